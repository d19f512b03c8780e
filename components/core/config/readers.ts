import { isNetworkAddress, isPrivateCidr, parseIpv4Cidr } from "../cidr";
import { isUsableMountPath } from "../cloud-init/input-checks";
import { patternRule, ValueRule } from "../platform/value-rule";
import { PlatformRules } from "../platform/platform";
import { configKey } from "./settings";
import { SettingsReader } from "./settings-reader";
import {
  DataVolumeConfig,
  DatabaseConfig,
  DnsConfig,
  FILESYSTEMS,
  HealthGateConfig,
} from "./stack-config";

// Readers of groups of related settings, for the stack validator. Each records every problem on
// the shared reader and returns undefined when any of its settings was invalid.

const DB_IDENTIFIER = patternRule(
  /^[a-z_][a-z0-9_]{0,62}$/,
  "lower-case letters, digits and _, starting with a letter or _, at most 63 characters",
);
const DNS_LABEL = patternRule(
  /^(@|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/,
  "@ or a DNS label (lower-case letters, digits and -)",
);
const DOMAIN = patternRule(
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  "a domain name such as example.com",
);
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** Mount points that are, or hold, the operating system: a volume there would shadow it. */
const SYSTEM_TREES = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib32",
  "/lib64",
  "/proc",
  "/run",
  "/sbin",
  "/sys",
  "/usr",
];
/** Directories that hold other things too: a volume may go below them, not on them. */
const SYSTEM_DIRECTORIES = [
  "/",
  "/home",
  "/media",
  "/mnt",
  "/opt",
  "/root",
  "/srv",
  "/tmp",
  "/var",
  "/var/lib",
  "/var/log",
  "/var/cache",
  "/var/tmp",
];

/** A rule that takes any value, for settings whose platform is unknown (already a problem). */
export function anyValue(allowed: string): ValueRule {
  return { test: () => true, allowed };
}

/** The managed database's settings, with the platform's sizes and versions. */
export function readDatabase(
  r: SettingsReader,
  service: string | undefined,
  platform: PlatformRules | undefined,
): DatabaseConfig | undefined {
  const identifierFallback = service?.replace(/-/g, "_");
  const db = {
    engineVersion: r.string(
      "dbEngineVersion",
      platform?.values.databaseVersion ??
        patternRule(/^\d{2}$/, "a Postgres major version such as 16"),
    ),
    size: r.string(
      "dbSize",
      platform?.values.databaseSize ?? anyValue("a database size of the platform"),
      platform?.defaults.databaseSize,
    ),
    nodeCount: r.integer("dbNodeCount", 1, 3),
    name: r.string("dbName", DB_IDENTIFIER, identifierFallback),
    user: r.string("dbUser", DB_IDENTIFIER, identifierFallback),
    maintenanceDay: r.oneOf("dbMaintenanceDay", WEEKDAYS),
    maintenanceHour: r.string(
      "dbMaintenanceHour",
      patternRule(/^([01]\d|2[0-3]):[0-5]\d$/, "a time HH:MM from 00:00 to 23:59 (UTC)"),
    ),
  };
  return allDefined(db) ? db : undefined;
}

/** The endpoint records; undefined (and no problem) when `dnsDomain` is unset. */
export function readDns(r: SettingsReader, service: string | undefined): DnsConfig | undefined {
  const domain = r.string("dnsDomain", DOMAIN);
  const record = r.string("dnsRecord", DNS_LABEL, service);
  const previewFallback =
    record === undefined ? undefined : record === "@" ? "preview" : `${record}-preview`;
  const previewRecord = r.string("dnsPreviewRecord", DNS_LABEL, previewFallback);
  if (record !== undefined && record === previewRecord) {
    r.problem(
      "dnsPreviewRecord",
      `a record name other than ${configKey("dnsRecord")} (${record})`,
      previewRecord,
    );
  }
  const ttlSeconds = r.integer("dnsTtlSeconds", 30, 3600);
  const dns = { domain, record, previewRecord, ttlSeconds };
  return allDefined(dns) ? dns : undefined;
}

/** The stack network's private range: RFC 1918, /16 to /28. */
export function readVpcCidr(r: SettingsReader): string | undefined {
  const allowed =
    "a private (RFC 1918) IPv4 network address with a prefix from /16 to /28, such as 10.10.0.0/20";
  return r.string("vpcCidr", {
    allowed,
    test: (text) => {
      const cidr = parseIpv4Cidr(text);
      return (
        cidr !== undefined &&
        isNetworkAddress(cidr) &&
        isPrivateCidr(cidr) &&
        cidr.prefix >= 16 &&
        cidr.prefix <= 28
      );
    },
  });
}

/** CIDRs that may reach SSH: network addresses, none wider than /8. */
export function readAdminCidrs(r: SettingsReader): string[] | undefined {
  const list = r.stringList("adminCidrs");
  if (list === undefined) return undefined;
  let ok = true;
  for (const text of list) {
    const cidr = parseIpv4Cidr(text);
    if (cidr === undefined || !isNetworkAddress(cidr)) {
      ok = false;
      r.problem("adminCidrs", "IPv4 network addresses in CIDR form, such as 203.0.113.0/24", text);
    } else if (cidr.prefix < 8) {
      ok = false;
      r.problems.push(
        `${configKey("adminCidrs")}: received ${JSON.stringify(text)}, which opens SSH to the whole internet or a large part of it; allowed: a prefix of /8 or longer naming your admin networks`,
      );
    }
  }
  return ok ? list : undefined;
}

/** The data volume of the given size (read by the caller, as other checks need it). */
export function readDataVolume(
  r: SettingsReader,
  service: string | undefined,
  sizeGiB: number,
): DataVolumeConfig | undefined {
  const mountPath = r.string(
    "dataVolumeMountPath",
    patternRule(/^\//, "an absolute path such as /var/lib/app"),
    service && `/var/lib/${service}`,
  );
  let usable = mountPath;
  if (mountPath !== undefined && !isUsableMountPath(mountPath)) {
    r.problem(
      "dataVolumeMountPath",
      'a normalised absolute path of letters, digits and "_", ".", "+", "-", at most 200 characters, such as /var/lib/app',
      mountPath,
    );
    usable = undefined;
  } else if (
    mountPath !== undefined &&
    (SYSTEM_DIRECTORIES.includes(mountPath) ||
      SYSTEM_TREES.some((t) => mountPath === t || mountPath.startsWith(`${t}/`)))
  ) {
    r.problem(
      "dataVolumeMountPath",
      `a directory of its own, not a system directory (${SYSTEM_DIRECTORIES.join(", ")}) nor anything in ${SYSTEM_TREES.join(", ")}`,
      mountPath,
    );
    usable = undefined;
  }
  const filesystem = r.oneOf("dataVolumeFilesystem", FILESYSTEMS);
  if (usable === undefined || filesystem === undefined) return undefined;
  return { sizeGiB, mountPath: usable, filesystem };
}

/** What the health gate requires; its time limit must leave room for the successes. */
export function readHealthGate(r: SettingsReader): HealthGateConfig | undefined {
  const gate = {
    successes: r.integer("gateSuccesses", 1, 20),
    timeoutSeconds: r.integer("gateTimeoutSeconds", 10, 3600),
    intervalSeconds: r.integer("gateIntervalSeconds", 1, 60),
  };
  if (!allDefined(gate)) return undefined;
  if (gate.intervalSeconds * gate.successes > gate.timeoutSeconds) {
    r.problem(
      "gateTimeoutSeconds",
      `at least gateSuccesses × gateIntervalSeconds = ${gate.successes * gate.intervalSeconds}, or the gate could never pass`,
    );
    return undefined;
  }
  return gate;
}

/** Whether every field of a record is defined, narrowing its type. */
export function allDefined<T extends object>(
  record: T,
): record is { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.values(record).every((v) => v !== undefined);
}
