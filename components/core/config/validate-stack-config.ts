import { COLOURS, Colour, otherColour } from "../colour";
import { isNetworkAddress, isPrivateCidr, parseIpv4Cidr } from "../cidr";
import { ConfigError } from "./config-error";
import { SettingName, SETTINGS, configKey } from "./settings";
import { RawSettings, SettingsReader } from "./settings-reader";
import {
  DATABASE_URL_VARIABLE,
  ColourConfig,
  DataVolumeConfig,
  DatabaseConfig,
  DnsConfig,
  ENDPOINT_KINDS,
  FILESYSTEMS,
  PLATFORMS,
  StackConfig,
} from "./stack-config";

const NAME = {
  pattern: /^[a-z][a-z0-9-]{0,29}$/,
  allowed: "lower-case letters, digits and -, starting with a letter, at most 30 characters",
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DB_IDENTIFIER = {
  pattern: /^[a-z_][a-z0-9_]{0,62}$/,
  allowed: "lower-case letters, digits and _, starting with a letter or _",
};
const DNS_LABEL = /^(@|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const MAX_SERVERS_PER_COLOUR = 50;
/** Mount points that would shadow the operating system. */
const RESERVED_MOUNTS = [
  "/",
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/sys",
  "/tmp",
  "/usr",
  "/var",
];

/** Everything the validator needs besides the raw settings. */
export interface ValidationContext {
  /** The Pulumi stack name, the default environment name. */
  readonly stack: string;
  /** Settings Pulumi holds as secrets (names without the namespace). */
  readonly secretSettings: readonly string[];
}

/**
 * Validates a stack's raw `phoenix:` settings and returns the typed view.
 *
 * @throws ConfigError listing every problem (setting, value received, what is allowed); it is
 * thrown before the caller registers any resource.
 */
export function validateStackConfig(raw: RawSettings, context: ValidationContext): StackConfig {
  const r = new SettingsReader(raw);

  for (const key of Object.keys(raw)) {
    if (!(key in SETTINGS)) {
      r.problems.push(
        `${configKey(key as SettingName)}: unknown setting; allowed: one of ${Object.keys(SETTINGS).join(", ")}`,
      );
    }
  }

  const platform = r.oneOf("platform", PLATFORMS);
  const environment = r.string(
    "environment",
    {
      pattern: /^[a-z][a-z0-9-]{0,19}$/,
      allowed: "lower-case letters, digits and -, starting with a letter, at most 20 characters",
    },
    context.stack,
  );
  const region = r.string("region", {
    pattern: /^[a-z]{2,4}\d$/,
    allowed: "a region slug such as nyc3",
  });
  const service =
    r.text("service") === undefined
      ? (r.problem("service", "a service name (required)"), undefined)
      : r.string("service", NAME);

  const appPort = r.integer("appPort", 1, 65535);
  if (appPort === 22)
    r.problem("appPort", "any port from 1 to 65535 except 22, which is reserved for SSH");
  const healthCheckPath = r.string("healthCheckPath", {
    pattern: /^\/[^\s?#]*(\?[^\s#]*)?$/,
    allowed: "a path starting with / and without spaces, such as /healthz",
  });
  const env = r.stringMap("appEnv") ?? {};
  if (raw.appSecrets !== undefined && !context.secretSettings.includes("appSecrets")) {
    r.problem(
      "appSecrets",
      "only values set with `pulumi config set --secret`; this one is stored in plain text",
    );
  }
  const secrets = r.stringMap("appSecrets") ?? {};
  for (const [setting, names] of [
    ["appEnv", Object.keys(env)],
    ["appSecrets", Object.keys(secrets)],
  ] as const) {
    for (const bad of names.filter((n) => !ENV_NAME.test(n))) {
      r.problems.push(
        `${configKey(setting)}: received variable name ${JSON.stringify(bad)}; allowed: letters, digits and _, not starting with a digit`,
      );
    }
  }
  for (const both of Object.keys(env).filter((n) => n in secrets)) {
    r.problems.push(
      `${configKey("appEnv")}: received ${JSON.stringify(both)}, which is also in ${configKey("appSecrets")}; allowed: each variable in one of the two`,
    );
  }

  const active = r.oneOf("active", COLOURS);
  const colours = {} as Record<Colour, ColourConfig | undefined>;
  for (const colour of COLOURS) colours[colour] = readColour(r, colour);

  const canaryWeight = r.integer("canaryWeight", 0, 100);
  const endpoint = r.oneOf("endpoint", ENDPOINT_KINDS);
  if (active !== undefined) {
    const live = colours[active];
    if (live && live.count === 0) {
      r.problem(
        `${active}Count`,
        `at least 1, because ${configKey("active")} is ${active}; set ${configKey("active")} to the other colour first`,
        "0",
      );
    }
    const other = colours[otherColour(active)];
    if (canaryWeight !== undefined && canaryWeight > 0 && other && other.count === 0) {
      r.problem(
        "canaryWeight",
        `0 while ${configKey(`${otherColour(active)}Count`)} is 0 (a canary needs servers on the other colour)`,
      );
    }
    if (endpoint === "floatingIp" && live && live.count !== 1) {
      r.problem(
        "endpoint",
        `loadBalancer, because a floating IP serves exactly one server and ${configKey(`${active}Count`)} is ${live.count}`,
      );
    }
    if (endpoint === "floatingIp" && canaryWeight !== undefined && canaryWeight > 0) {
      r.problem(
        "endpoint",
        `loadBalancer when ${configKey("canaryWeight")} is above 0 (a floating IP cannot split traffic)`,
      );
    }
  }

  const wantsDatabase = r.boolean("database");
  const tlsCertificateName = r.string("tlsCertificateName", {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/,
    allowed: "the name of a certificate in your account (letters, digits, ., _ and -)",
  });
  if (tlsCertificateName !== undefined && endpoint === "floatingIp") {
    r.problem(
      "tlsCertificateName",
      `nothing while ${configKey("endpoint")} is floatingIp (TLS terminates at a load balancer; the server serves its own)`,
    );
  }
  const database = wantsDatabase ? readDatabase(r, service) : undefined;
  for (const setting of ["appEnv", "appSecrets"] as const) {
    const names = Object.keys(setting === "appEnv" ? env : secrets);
    if (wantsDatabase && names.includes(DATABASE_URL_VARIABLE)) {
      r.problems.push(
        `${configKey(setting)}: received ${DATABASE_URL_VARIABLE}, which Phoenix sets from the stack's database; allowed: any other name, or ${configKey("database")} false`,
      );
    }
  }
  const dns = r.text("dnsDomain") === undefined ? undefined : readDns(r, service);
  const network = {
    vpcCidr: readVpcCidr(r),
    adminCidrs: readAdminCidrs(r),
  };
  const dataVolume = readDataVolume(r, service);
  const gate = {
    successes: r.integer("gateSuccesses", 1, 20),
    timeoutSeconds: r.integer("gateTimeoutSeconds", 10, 3600),
    intervalSeconds: r.integer("gateIntervalSeconds", 1, 60),
  };
  if (
    gate.timeoutSeconds !== undefined &&
    gate.intervalSeconds !== undefined &&
    gate.successes !== undefined &&
    gate.intervalSeconds * gate.successes > gate.timeoutSeconds
  ) {
    r.problem(
      "gateTimeoutSeconds",
      `at least gateSuccesses × gateIntervalSeconds = ${gate.successes * gate.intervalSeconds}, or the gate could never pass`,
    );
  }

  if (r.problems.length > 0) throw new ConfigError(r.problems);
  // Every value below was checked above: `checked` only drops `undefined` from the types.
  return {
    platform: checked(platform),
    environment: checked(environment),
    region: checked(region),
    app: {
      name: checked(service),
      port: checked(appPort),
      healthCheckPath: checked(healthCheckPath),
      env,
      secretEnvNames: Object.keys(secrets).sort(),
    },
    colours: colours as Record<Colour, ColourConfig>,
    active: checked(active),
    canaryWeight: checked(canaryWeight),
    endpoint: checked(endpoint),
    tlsCertificateName,
    database,
    dns,
    network: network as StackConfig["network"],
    dataVolume,
    healthGate: gate as StackConfig["healthGate"],
  };
}

/** Narrows a value the validator has checked; a missing one was recorded as a problem. */
function checked<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("internal error: a checked setting has no value");
  return value;
}

function readColour(r: SettingsReader, colour: Colour): ColourConfig | undefined {
  const count = r.integer(`${colour}Count`, 0, MAX_SERVERS_PER_COLOUR);
  const size = r.string(`${colour}Size`, {
    pattern: /^[a-z0-9][a-z0-9-]*$/,
    allowed: "a size slug such as s-1vcpu-1gb",
  });
  const image = r.string(`${colour}Image`, {
    pattern: /^\S+$/,
    allowed: "a pinned image identifier without spaces",
  });
  if (
    count !== undefined &&
    count > 0 &&
    image === undefined &&
    r.text(`${colour}Image`) === undefined
  ) {
    r.problem(
      `${colour}Image`,
      `a pinned image, required because ${configKey(`${colour}Count`)} is ${count}`,
    );
  }
  if (count === undefined || size === undefined) return undefined;
  return { count, size, image };
}

function readDatabase(r: SettingsReader, service: string | undefined): DatabaseConfig | undefined {
  const db = {
    engineVersion: r.string("dbEngineVersion", {
      pattern: /^\d{2}$/,
      allowed: "a Postgres major version such as 16",
    }),
    size: r.string("dbSize", {
      pattern: /^db-[a-z0-9-]+$/,
      allowed: "a database size slug such as db-s-1vcpu-1gb",
    }),
    nodeCount: r.integer("dbNodeCount", 1, 3),
    name: r.string("dbName", DB_IDENTIFIER, service?.replace(/-/g, "_")),
    user: r.string("dbUser", DB_IDENTIFIER, service?.replace(/-/g, "_")),
    maintenanceDay: r.oneOf("dbMaintenanceDay", WEEKDAYS),
    maintenanceHour: r.string("dbMaintenanceHour", {
      pattern: /^([01]\d|2[0-3]):[0-5]\d$/,
      allowed: "a time HH:MM from 00:00 to 23:59 (UTC)",
    }),
  };
  return Object.values(db).every((v) => v !== undefined) ? (db as DatabaseConfig) : undefined;
}

function readDns(r: SettingsReader, service: string | undefined): DnsConfig | undefined {
  const label = {
    pattern: DNS_LABEL,
    allowed: "@ or a DNS label (lower-case letters, digits and -)",
  };
  const domain = r.string("dnsDomain", {
    pattern: DOMAIN,
    allowed: "a domain name such as example.com",
  });
  const record = r.string("dnsRecord", label, service);
  const previewFallback =
    record === undefined ? undefined : record === "@" ? "preview" : `${record}-preview`;
  const previewRecord = r.string("dnsPreviewRecord", label, previewFallback);
  if (record !== undefined && record === previewRecord) {
    r.problem("dnsPreviewRecord", `a record name other than ${configKey("dnsRecord")} (${record})`);
  }
  const ttlSeconds = r.integer("dnsTtlSeconds", 30, 3600);
  if ([domain, record, previewRecord, ttlSeconds].includes(undefined)) return undefined;
  return {
    domain: checked(domain),
    record: checked(record),
    previewRecord: checked(previewRecord),
    ttlSeconds: checked(ttlSeconds),
  };
}

function readVpcCidr(r: SettingsReader): string | undefined {
  const text = r.text("vpcCidr");
  const cidr = text === undefined ? undefined : parseIpv4Cidr(text);
  if (
    cidr &&
    isNetworkAddress(cidr) &&
    isPrivateCidr(cidr) &&
    cidr.prefix >= 16 &&
    cidr.prefix <= 28
  )
    return text;
  r.problem(
    "vpcCidr",
    "a private (RFC 1918) IPv4 network address with a prefix from /16 to /28, such as 10.10.0.0/20",
  );
  return undefined;
}

function readAdminCidrs(r: SettingsReader): string[] | undefined {
  const list = r.stringList("adminCidrs");
  if (list === undefined) return undefined;
  let ok = true;
  for (const text of list) {
    const cidr = parseIpv4Cidr(text);
    if (cidr === undefined || !isNetworkAddress(cidr)) {
      ok = false;
      r.problems.push(
        `${configKey("adminCidrs")}: received ${JSON.stringify(text)}; allowed: IPv4 network addresses in CIDR form, such as 203.0.113.0/24`,
      );
    } else if (cidr.prefix < 8) {
      ok = false;
      r.problems.push(
        `${configKey("adminCidrs")}: received ${JSON.stringify(text)}, which opens SSH to the whole internet or a large part of it; allowed: a prefix of /8 or longer naming your admin networks`,
      );
    }
  }
  return ok ? list : undefined;
}

function readDataVolume(
  r: SettingsReader,
  service: string | undefined,
): DataVolumeConfig | undefined {
  const sizeGiB = r.integer("dataVolumeSizeGiB", 0, 16384);
  if (!sizeGiB) return undefined;
  const mountPath = r.string(
    "dataVolumeMountPath",
    { pattern: /^(\/[A-Za-z0-9._-]+)+$/, allowed: "an absolute path such as /var/lib/app" },
    service && `/var/lib/${service}`,
  );
  if (mountPath !== undefined && RESERVED_MOUNTS.includes(mountPath)) {
    r.problem(
      "dataVolumeMountPath",
      `a directory of its own, not a system directory (${RESERVED_MOUNTS.join(", ")})`,
      mountPath,
    );
  }
  const filesystem = r.oneOf("dataVolumeFilesystem", FILESYSTEMS);
  if (mountPath === undefined || filesystem === undefined) return undefined;
  return { sizeGiB, mountPath, filesystem };
}
