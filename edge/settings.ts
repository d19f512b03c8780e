import { unknownSettingProblems } from "../components/core/config/config-keys";
import { HealthGateConfig } from "../components/core/config/stack-config";

/** The config namespace of the edge program (its project name). */
export const EDGE_NAMESPACE = "phoenix-edge";

/** Every setting the edge reads (`phoenix-edge:<name>`). */
export const EDGE_SETTINGS = [
  "project",
  "environments",
  "active",
  "weights",
  "dns",
  "route53ZoneId",
  "domain",
  "record",
  "ttlSeconds",
  "gateSuccesses",
  "gateTimeoutSeconds",
  "gateIntervalSeconds",
] as const;

/** The Phoenix project whose stack files sit beside the edge in the repository. */
export interface RepositoryStacks {
  /** Its name (`Pulumi.yaml`). */
  readonly project: string;
  /** The stacks that have a `Pulumi.<stack>.yaml`. */
  readonly stacks: readonly string[];
}

/** The DNS platforms an edge record can live on. */
export const EDGE_DNS = ["route53", "digitalocean"] as const;

/** A DNS platform of the edge. */
export type EdgeDns = (typeof EDGE_DNS)[number];

/** The edge's validated settings. */
export interface EdgeSettings {
  /** The Phoenix project whose stacks are the environments. */
  readonly project: string;
  /** The environments (Phoenix stack names) the edge may point at, in the order given. */
  readonly environments: readonly string[];
  /** The environment users are sent to. */
  readonly active: string;
  /** Percent of users per environment; only environments above 0 get a record. */
  readonly weights: Readonly<Record<string, number>>;
  readonly dns: EdgeDns;
  /** Route53's hosted zone of the domain (route53 only). */
  readonly route53ZoneId: string | undefined;
  readonly domain: string;
  readonly record: string;
  readonly ttlSeconds: number;
  /** The gate on every environment that gets traffic. */
  readonly gate: HealthGateConfig;
}

/** Thrown when the edge's settings are invalid: every problem, before any resource. */
export class EdgeConfigError extends Error {
  /** Each problem: the setting, the value received and what is allowed. */
  readonly problems: readonly string[];

  /** @param problems one line per problem */
  constructor(problems: readonly string[]) {
    super(
      `Invalid edge configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "EdgeConfigError";
    this.problems = problems;
  }
}

const STACK_NAME = /^[A-Za-z0-9._-]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const key = (name: string) => `${EDGE_NAMESPACE}:${name}`;
const shown = (v: string | undefined) => (v === undefined ? "nothing" : v);

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Validates the edge's config in one pass: the environments (two at most: the one users leave and
 * the one they move to), the active one among them, the weights (each environment's percent,
 * summing to 100, the active one above 0; only on a DNS platform with weighted records), the DNS
 * record, and the gate. A key of its namespace that is no setting is refused (a typo would lose
 * the setting to its default), and so is an environment of the repository's own Phoenix project
 * without a stack file there (a misspelt environment would fail only once it gets traffic).
 *
 * @param config every key of the edge stack, as Pulumi hands it to the program
 * @param repository the Phoenix project beside the edge and its stack files, when known
 * @throws EdgeConfigError listing every problem, before the program registers any resource
 */
export function readEdgeSettings(
  config: Readonly<Record<string, string>>,
  repository?: RepositoryStacks,
): EdgeSettings {
  const problems = unknownSettingProblems(EDGE_NAMESPACE, Object.keys(config), EDGE_SETTINGS);
  const text = (name: string) => config[key(name)];
  const problem = (name: string, received: string | undefined, allowed: string) =>
    problems.push(`${key(name)}: received ${shown(received)}; allowed: ${allowed}`);

  const project = text("project") ?? "phoenix";
  if (!STACK_NAME.test(project)) problem("project", project, "a Pulumi project name");

  const rawEnvs = parseJson(text("environments"));
  let environments: string[] = [];
  if (
    Array.isArray(rawEnvs) &&
    rawEnvs.length >= 1 &&
    rawEnvs.length <= 2 &&
    rawEnvs.every((e) => typeof e === "string" && STACK_NAME.test(e)) &&
    new Set(rawEnvs).size === rawEnvs.length
  ) {
    environments = rawEnvs as string[];
  } else {
    problem(
      "environments",
      text("environments"),
      "a list of one or two distinct Phoenix stack names (the environment users are on, and the one they move to)",
    );
  }

  // Another project's stacks live elsewhere: only this repository's own can be checked.
  const own = repository?.project === project ? repository : undefined;
  const missing = own ? environments.filter((e) => !own.stacks.includes(e)) : [];
  if (own && missing.length > 0)
    problem(
      "environments",
      text("environments"),
      `stacks of the ${project} project with a stack file in the repository, one of ${own.stacks.join(", ")} (no ${missing.map((e) => `Pulumi.${e}.yaml`).join(", ")})`,
    );

  const active = text("active") ?? "";
  if (environments.length > 0 && !environments.includes(active))
    problem("active", text("active"), `one of ${environments.join(", ")}`);

  const dnsText = text("dns");
  const dns = EDGE_DNS.find((d) => d === dnsText);
  if (dns === undefined) problem("dns", dnsText, `one of ${EDGE_DNS.join(", ")}`);

  const weights = readWeights(text("weights"), environments, active, dns, problem);

  const route53ZoneId = text("route53ZoneId");
  if (dns === "route53" && !/^Z[A-Z0-9]{1,31}$/.test(route53ZoneId ?? ""))
    problem(
      "route53ZoneId",
      route53ZoneId,
      "the ID of the domain's Route53 hosted zone, like Z04517273VCLIDX9UJ6KE",
    );
  if (dns === "digitalocean" && route53ZoneId !== undefined)
    problem("route53ZoneId", route53ZoneId, `nothing while ${key("dns")} is digitalocean`);

  const domain = text("domain") ?? "";
  if (!DOMAIN.test(domain)) problem("domain", text("domain"), "a domain name like example.com");
  const record = text("record") ?? "";
  if (!LABEL.test(record))
    problem(
      "record",
      text("record"),
      "one DNS label like www (an alias record cannot sit at the apex)",
    );

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problem(name, raw, `an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const ttlSeconds = integer("ttlSeconds", 60, 30, 3600);
  const gate = {
    successes: integer("gateSuccesses", 3, 1, 100),
    timeoutSeconds: integer("gateTimeoutSeconds", 300, 10, 3600),
    intervalSeconds: integer("gateIntervalSeconds", 5, 1, 300),
  };
  if (problems.length > 0 || dns === undefined) throw new EdgeConfigError(problems);
  return {
    project,
    environments,
    active,
    weights,
    dns,
    route53ZoneId,
    domain,
    record,
    ttlSeconds,
    gate,
  };
}

function readWeights(
  text: string | undefined,
  environments: readonly string[],
  active: string,
  dns: EdgeDns | undefined,
  problem: (name: string, received: string | undefined, allowed: string) => void,
): Record<string, number> {
  if (text === undefined) return { [active]: 100 };
  if (dns === "digitalocean") {
    problem(
      "weights",
      text,
      "nothing while phoenix-edge:dns is digitalocean (its records have no weights: the edge points at one environment)",
    );
    return { [active]: 100 };
  }
  const raw = parseJson(text);
  const ok =
    typeof raw === "object" &&
    raw !== null &&
    !Array.isArray(raw) &&
    Object.entries(raw).every(
      ([env, w]) =>
        environments.includes(env) &&
        Number.isInteger(w) &&
        (w as number) >= 0 &&
        (w as number) <= 100,
    );
  const weights = ok ? (raw as Record<string, number>) : {};
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (!ok || sum !== 100 || !((weights[active] ?? 0) > 0)) {
    problem(
      "weights",
      text,
      `a map of ${environments.join(" and ")} to whole percents that sum to 100, the active one (${active}) above 0`,
    );
    return { [active]: 100 };
  }
  return Object.fromEntries(
    environments.filter((e) => (weights[e] ?? 0) > 0).map((e) => [e, weights[e] as number]),
  );
}
