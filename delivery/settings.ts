import { unknownSettingProblems } from "../components/core/config/config-keys";
import { PhoenixStack } from "./phoenix-stacks";

/** The config namespace of the delivery program (its project name). */
export const DELIVERY_NAMESPACE = "phoenix-delivery";

/** One vSphere stack's secrets: its vCenter password and the deployment's SSH private key. */
export interface VsphereSecrets {
  readonly password: string;
  readonly sshPrivateKey: string;
}

/** The delivery program's validated settings. Secret values stay plain here; see program.ts. */
export interface DeliverySettings {
  /** GitHub `owner/name`. */
  readonly repository: string;
  /** The branch pushes to which deploy. */
  readonly branch: string;
  /** When drift detection runs (cron, UTC). */
  readonly driftCron: string;
  /** The role ESC's aws-login assumes through OIDC. */
  readonly awsRoleArn: string;
  /** The self-hosted agent pool vSphere stacks deploy from. */
  readonly vsphereAgentPool: string;
  /** The DigitalOcean API token (secret), when set. */
  readonly digitaloceanToken: string | undefined;
  /** Each vSphere stack's secrets, by stack name. */
  readonly vsphere: Readonly<Record<string, VsphereSecrets>>;
}

/** Every setting with its default (undefined: required, or optional without one). */
export const DELIVERY_DEFAULTS = {
  branch: "main",
  driftCron: "0 */4 * * *",
  vsphereAgentPool: "phoenix-vcenter",
} as const;

/** Thrown when the delivery stack's settings are invalid: every problem, before any resource. */
export class DeliveryConfigError extends Error {
  /** Each problem: the setting, the value received and what is allowed. */
  readonly problems: readonly string[];

  /** @param problems one line per problem */
  constructor(problems: readonly string[]) {
    super(
      `Invalid delivery configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "DeliveryConfigError";
    this.problems = problems;
  }
}

const RULES = {
  repository: {
    pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
    allowed: "a GitHub repository as owner/name",
  },
  branch: { pattern: /^[A-Za-z0-9_./-]+$/, allowed: "a branch name" },
  driftCron: {
    pattern: /^\S+ \S+ \S+ \S+ \S+$/,
    allowed: "a cron expression of five fields (minute hour day month weekday)",
  },
  awsRoleArn: {
    pattern: /^arn:aws:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/,
    allowed: "an IAM role ARN like arn:aws:iam::123456789012:role/name",
  },
  vsphereAgentPool: { pattern: /^[A-Za-z0-9_.-]+$/, allowed: "an agent pool name" },
} as const;

/** Every setting the delivery program reads (`phoenix-delivery:<name>`). */
export const DELIVERY_SETTINGS: readonly string[] = [
  ...Object.keys(RULES),
  "digitaloceanToken",
  "vsphere",
];

const key = (name: string) => `${DELIVERY_NAMESPACE}:${name}`;
const shown = (v: string | undefined) => (v === undefined ? "nothing" : JSON.stringify(v));

/**
 * Validates the delivery stack's config against the Phoenix stacks it serves, in one pass: each
 * setting's form, and that every stack's credentials are there (the DigitalOcean token for the
 * stacks that use DigitalOcean, a vSphere stack's password and SSH key under its name), and
 * that no key of its namespace is a setting it does not have (a typo that would lose a setting).
 *
 * @param config every key of the delivery stack, as Pulumi hands it to the program
 * @throws DeliveryConfigError listing every problem
 */
export function readDeliverySettings(
  config: Readonly<Record<string, string>>,
  stacks: readonly PhoenixStack[],
): DeliverySettings {
  const problems = unknownSettingProblems(
    DELIVERY_NAMESPACE,
    Object.keys(config),
    DELIVERY_SETTINGS,
  );
  const value = (name: keyof typeof RULES): string => {
    const fallback = (DELIVERY_DEFAULTS as Record<string, string | undefined>)[name];
    const received = config[key(name)] ?? fallback;
    const rule = RULES[name];
    if (received === undefined || !rule.pattern.test(received))
      problems.push(`${key(name)}: received ${shown(received)}; allowed: ${rule.allowed}`);
    return received ?? "";
  };
  const repository = value("repository");
  const branch = value("branch");
  const driftCron = value("driftCron");
  const awsRoleArn = value("awsRoleArn");
  const vsphereAgentPool = value("vsphereAgentPool");

  const digitaloceanToken = config[key("digitaloceanToken")] || undefined;
  const users = stacks.filter((s) => s.credentials.includes("digitalocean")).map((s) => s.stack);
  if (digitaloceanToken === undefined && users.length > 0) {
    problems.push(
      `${key("digitaloceanToken")}: received nothing; allowed: the DigitalOcean API token (set with --secret), which stacks ${users.join(", ")} need`,
    );
  }
  const vsphere = readVsphere(config[key("vsphere")], stacks, problems);
  if (problems.length > 0) throw new DeliveryConfigError(problems);
  return {
    repository,
    branch,
    driftCron,
    awsRoleArn,
    vsphereAgentPool,
    digitaloceanToken,
    vsphere,
  };
}

function readVsphere(
  text: string | undefined,
  stacks: readonly PhoenixStack[],
  problems: string[],
): Record<string, VsphereSecrets> {
  let raw: unknown = {};
  try {
    raw = text === undefined ? {} : JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isMap(raw)) {
    problems.push(
      `${key("vsphere")}: received text that is no map; allowed: a map of vSphere stack names to { password, sshPrivateKey }`,
    );
    return {};
  }
  const wanted = stacks.filter((s) => s.credentials.includes("vsphere")).map((s) => s.stack);
  const result: Record<string, VsphereSecrets> = {};
  for (const stack of Object.keys(raw).filter((s) => !wanted.includes(s))) {
    problems.push(
      `${key("vsphere")}.${stack}: received secrets for a stack that is not a vSphere stack file; allowed: ${wanted.join(", ") || "none"}`,
    );
  }
  for (const stack of wanted) {
    const entry = raw[stack];
    const password = isMap(entry) && typeof entry.password === "string" ? entry.password : "";
    const sshPrivateKey =
      isMap(entry) && typeof entry.sshPrivateKey === "string" ? entry.sshPrivateKey : "";
    for (const [name, v] of [
      ["password", password],
      ["sshPrivateKey", sshPrivateKey],
    ] as const) {
      if (v === "")
        problems.push(
          `${key("vsphere")}.${stack}.${name}: received nothing; allowed: the stack's ${name === "password" ? "vCenter password" : "SSH private key"}, set with pulumi config set --secret --path '${key("vsphere")}.${stack}.${name}'`,
        );
    }
    result[stack] = { password, sshPrivateKey };
  }
  return result;
}
