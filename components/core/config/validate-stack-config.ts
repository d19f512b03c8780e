import { COLOURS, Colour, otherColour } from "../colour";
import { CAPABILITY_NAMES, Capabilities } from "../platform/capabilities";
import { PlatformRules } from "../platform/platform";
import { patternRule } from "../platform/value-rule";
import { secretLook } from "../secret-shapes";
import { unknownKeyProblems } from "./config-keys";
import { ConfigError } from "./config-error";
import { readDecommission } from "./decommission-settings";
import {
  allDefined,
  anyValue,
  readAdminCidrs,
  readDataVolume,
  readDatabase,
  readDns,
  readHealthGate,
  readVpcCidr,
} from "./readers";
import { CONFIG_NAMESPACE, configKey, SETTINGS, SettingSpec } from "./settings";
import { RawSettings, SettingsReader } from "./settings-reader";
import {
  AppConfig,
  ColourConfig,
  DATABASE_URL_VARIABLE,
  DraftStackConfig,
  ENDPOINT_KINDS,
  StackConfig,
} from "./stack-config";

const NAME = patternRule(
  /^[a-z][a-z0-9-]{0,29}$/,
  "lower-case letters, digits and -, starting with a letter, at most 30 characters",
);
const ENVIRONMENT = patternRule(
  /^[a-z][a-z0-9-]{0,19}$/,
  "lower-case letters, digits and -, starting with a letter, at most 20 characters",
);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Lone UTF-16 surrogates cannot be written as UTF-8, and no environment can carry a NUL.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNWRITABLE = /\u0000|\p{Cs}/u;
const MAX_SERVERS_PER_COLOUR = 50;

/**
 * Settings that mean something only while another one turns their feature on: setting one
 * (to other than its default) while the feature is off is a mistake that would pass silently.
 */
const FEATURE_OF: Readonly<Record<string, { setting: string; off: string }>> = {
  dnsRecord: { setting: "dnsDomain", off: "is unset" },
  dnsPreviewRecord: { setting: "dnsDomain", off: "is unset" },
  dnsTtlSeconds: { setting: "dnsDomain", off: "is unset" },
  dbEngineVersion: { setting: "database", off: "is false" },
  dbSize: { setting: "database", off: "is false" },
  dbNodeCount: { setting: "database", off: "is false" },
  dbName: { setting: "database", off: "is false" },
  dbUser: { setting: "database", off: "is false" },
  dbMaintenanceDay: { setting: "database", off: "is false" },
  dbMaintenanceHour: { setting: "database", off: "is false" },
  dataVolumeMountPath: { setting: "dataVolumeSizeGiB", off: "is 0" },
  dataVolumeFilesystem: { setting: "dataVolumeSizeGiB", off: "is 0" },
};

/** Everything the validator needs besides the config itself. */
export interface ValidationContext {
  /** The Pulumi stack name, the default environment name. */
  readonly stack: string;
  /** Full config keys (`phoenix:appSecrets`) that Pulumi holds as secrets. */
  readonly secretKeys: readonly string[];
  /** The platforms a stack may choose from with `phoenix:platform`. */
  readonly platforms: readonly PlatformRules[];
}

/** A stack's validated settings: the neutral ones, and its platform's own. */
export interface ValidatedSettings {
  /** The neutral settings. */
  readonly config: StackConfig;
  /** What the chosen platform's `readSettings` returned. */
  readonly platformSettings: unknown;
}

/**
 * Validates a stack's config (every key, as Pulumi hands it to the program) and returns the
 * typed view. Core settings, the chosen platform's values and settings, and checks across them
 * all run in one pass.
 *
 * @throws ConfigError listing every problem (setting, value received, what is allowed); it is
 * thrown before the caller registers any resource.
 */
export function validateStackConfig(
  config: Readonly<Record<string, string>>,
  context: ValidationContext,
): ValidatedSettings {
  const platformSettings = Object.assign({}, ...context.platforms.map((p) => p.settings)) as Record<
    string,
    SettingSpec
  >;
  const specs: Record<string, SettingSpec> = { ...SETTINGS, ...platformSettings };
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(prefix) && Object.hasOwn(specs, key.slice(prefix.length)))
      raw[key.slice(prefix.length)] = value;
  }
  const secretSettings = context.secretKeys
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));

  const r = new SettingsReader(raw as RawSettings, specs);
  r.problems.push(
    ...unknownKeyProblems(Object.keys(config), {
      settings: Object.keys(specs),
      providerConfig: Object.assign({}, ...context.platforms.map((p) => p.facts.providerConfig)),
    }),
  );

  const names = context.platforms.map((p) => p.name);
  const platformName = r.oneOf("platform", names);
  const platform = context.platforms.find((p) => p.name === platformName);
  for (const other of context.platforms.filter((p) => p !== platform)) {
    for (const name of Object.keys(other.settings).filter((n) => !r.isUnset(n))) {
      r.problem(
        name,
        `nothing: it is a setting of the ${other.name} platform, and ${configKey("platform")} is ${platformName ?? "not valid"}`,
      );
    }
  }

  const environment = readEnvironment(r, context.stack);
  const region = r.string(
    "region",
    platform?.values.region ?? anyValue("a region of the platform"),
  );
  const app = readApp(r, secretSettings);
  const traffic = readTraffic(r, platform);
  const service = app?.name ?? r.text("service");

  const wantsDatabase = r.boolean("database");
  const tlsCertificateName = r.string(
    "tlsCertificateName",
    platform?.values.certificate ?? anyValue("a certificate of the platform"),
  );
  if (tlsCertificateName !== undefined && traffic?.endpoint === "floatingIp") {
    r.problem(
      "tlsCertificateName",
      `nothing while ${configKey("endpoint")} is floatingIp (TLS terminates at a load balancer; the server serves its own)`,
    );
  }
  // On a platform without one, the database's own settings are moot: only `database` is wrong.
  const canHaveDatabase = platform?.capabilities.managedDatabase !== false;
  const database =
    wantsDatabase && canHaveDatabase ? readDatabase(r, service, platform) : undefined;
  if (wantsDatabase && app !== undefined) {
    for (const [setting, names] of [
      ["appEnv", Object.keys(app.env)],
      ["appSecrets", app.secretEnvNames],
    ] as const) {
      if (names.includes(DATABASE_URL_VARIABLE)) {
        r.problems.push(
          `${configKey(setting)}: received ${DATABASE_URL_VARIABLE}, which Phoenix sets from the stack's database; allowed: any other name, or ${configKey("database")} false`,
        );
      }
    }
  }
  const dns = r.isUnset("dnsDomain") ? undefined : readDns(r, service);
  const network = { vpcCidr: readVpcCidr(r), adminCidrs: readAdminCidrs(r) };
  const dataVolumeSize = r.integer("dataVolumeSizeGiB", 0, 16384);
  const dataVolume = dataVolumeSize ? readDataVolume(r, service, dataVolumeSize) : undefined;
  const healthGate = readHealthGate(r);
  // Up to 30 days: a review stack left longer is forgotten, not under review.
  const reviewTtlHours = r.isUnset("reviewTtlHours")
    ? undefined
    : r.integer("reviewTtlHours", 1, 720);
  const decommission = readDecommission(
    r,
    context.stack,
    wantsDatabase === true || (dataVolumeSize ?? 0) > 0,
  );

  const features: Record<string, boolean | undefined> = {
    dnsDomain: !r.isUnset("dnsDomain"),
    database: wantsDatabase,
    dataVolumeSizeGiB: dataVolumeSize === undefined ? undefined : dataVolumeSize > 0,
  };
  for (const [name, feature] of Object.entries(FEATURE_OF)) {
    if (!r.isCustomised(name) || features[feature.setting] !== false) continue;
    r.problem(
      name,
      `nothing while ${configKey(feature.setting)} ${feature.off}, as it has no effect then; remove it, or turn the feature on`,
      r.text(name),
    );
  }
  if (platform) {
    refuseMissingCapabilities(r, platform, {
      database: wantsDatabase === true,
      endpoint: traffic?.endpoint,
      canaryWeight: traffic?.canaryWeight,
      dns: !r.isUnset("dnsDomain"),
    });
  }
  const namespaces = Object.keys(platform?.facts.providerConfig ?? {});
  const providerConfig = Object.fromEntries(
    Object.entries(config).filter(([k]) => namespaces.includes(k.slice(0, k.indexOf(":")))),
  );
  const platformOwn = platform?.readSettings(r, providerConfig);

  const draft: DraftStackConfig = {
    ...(platformName !== undefined ? { platform: platformName } : {}),
    ...(environment !== undefined ? { environment } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(app !== undefined ? { app } : {}),
    ...(traffic ?? {}),
    ...(database !== undefined ? { database } : {}),
    ...(dns !== undefined ? { dns } : {}),
    ...(dataVolume !== undefined ? { dataVolume } : {}),
    ...(tlsCertificateName !== undefined ? { tlsCertificateName } : {}),
    ...(allDefined(network) ? { network } : {}),
  };
  for (const p of platform?.crossCheck(draft) ?? []) {
    r.problems.push(`${configKey(p.setting)}: received ${p.received}; allowed: ${p.allowed}`);
  }

  const full = {
    platform: platformName,
    environment,
    region,
    app,
    colours: traffic?.colours,
    active: traffic?.active,
    canaryWeight: traffic?.canaryWeight,
    endpoint: traffic?.endpoint,
    network: allDefined(network) ? network : undefined,
    healthGate,
  };
  if (r.problems.length > 0 || !allDefined(full)) {
    if (r.problems.length === 0)
      throw new Error("internal error: an invalid setting has no problem");
    throw new ConfigError(r.problems);
  }
  return {
    config: {
      ...full,
      tlsCertificateName,
      database,
      dns,
      dataVolume,
      ...(decommission ? { decommission } : {}),
      ...(reviewTtlHours !== undefined ? { reviewTtlHours } : {}),
    },
    platformSettings: platformOwn,
  };
}

function readEnvironment(r: SettingsReader, stack: string): string | undefined {
  if (!r.isUnset("environment")) return r.string("environment", ENVIRONMENT);
  if (ENVIRONMENT.test(stack)) return stack;
  r.problem(
    "environment",
    `${ENVIRONMENT.allowed}; it is unset, and the stack name ${JSON.stringify(stack)} is not one, so set it`,
    undefined,
  );
  return undefined;
}

function readApp(r: SettingsReader, secretSettings: readonly string[]): AppConfig | undefined {
  const name = r.string("service", NAME);
  let port = r.integer("appPort", 1, 65535);
  if (port === 22) {
    r.problem("appPort", "any port from 1 to 65535 except 22, which is reserved for SSH");
    port = undefined;
  }
  const healthCheckPath = r.string(
    "healthCheckPath",
    patternRule(
      /^\/[^\s?#]*(\?[^\s#]*)?$/,
      "a path starting with / and without spaces, such as /healthz",
    ),
  );
  const env = r.stringMap("appEnv");
  if (!r.isUnset("appSecrets") && !secretSettings.includes("appSecrets")) {
    r.problem(
      "appSecrets",
      "only values set with `pulumi config set --secret`; this one is stored in plain text",
    );
  }
  const secrets = r.stringMap("appSecrets");
  const names = { appEnv: Object.keys(env ?? {}), appSecrets: Object.keys(secrets ?? {}) };
  for (const [setting, list] of Object.entries(names)) {
    for (const bad of list.filter((n) => !ENV_NAME.test(n))) {
      r.problems.push(
        `${configKey(setting)}: received variable name ${JSON.stringify(bad)}; allowed: letters, digits and _, not starting with a digit`,
      );
    }
  }
  for (const [setting, map] of [
    ["appEnv", env],
    ["appSecrets", secrets],
  ] as const) {
    for (const [variable, value] of Object.entries(map ?? {})) {
      if (!UNWRITABLE.test(value)) continue;
      r.problems.push(
        `${configKey(setting)}: received a value for ${JSON.stringify(variable)} with a NUL character or a lone UTF-16 surrogate; allowed: text an environment file can hold`,
      );
    }
  }
  for (const [variable, value] of Object.entries(env ?? {})) {
    const look = secretLook(variable, value);
    if (look === undefined) continue;
    r.problems.push(
      `${configKey("appEnv")}: received a value for ${variable} that looks like ${look} (not shown); ` +
        `allowed: plain settings only, since appEnv is stored and shown in plain text; keep it as a secret instead: ` +
        `pulumi config rm --path 'phoenix:appEnv.${variable}' && pulumi config set --secret --path 'phoenix:appSecrets.${variable}' '<value>'`,
    );
  }
  for (const both of names.appEnv.filter((n) => names.appSecrets.includes(n))) {
    r.problems.push(
      `${configKey("appEnv")}: received ${JSON.stringify(both)}, which is also in ${configKey("appSecrets")}; allowed: each variable in one of the two`,
    );
  }
  const app = { name, port, healthCheckPath, env, secrets };
  if (!allDefined(app)) return undefined;
  return {
    name: app.name,
    port: app.port,
    healthCheckPath: app.healthCheckPath,
    env: app.env,
    secretEnvNames: Object.keys(app.secrets).sort(),
  };
}

/** The colours, the live colour, the canary and the endpoint, and the rules that tie them. */
function readTraffic(
  r: SettingsReader,
  platform: PlatformRules | undefined,
): Pick<StackConfig, "colours" | "active" | "canaryWeight" | "endpoint"> | undefined {
  const active = r.oneOf("active", COLOURS);
  const colours = {} as Record<Colour, ColourConfig | undefined>;
  for (const colour of COLOURS) colours[colour] = readColour(r, colour, platform);
  const canaryWeight = r.integer("canaryWeight", 0, 100);
  const endpoint = r.oneOf("endpoint", ENDPOINT_KINDS);
  if (active !== undefined) {
    const live = colours[active];
    const other = otherColour(active);
    if (live && live.count === 0) {
      r.problem(
        `${active}Count`,
        `at least 1, because ${configKey("active")} is ${active}; set ${configKey("active")} to the other colour first`,
        "0",
      );
    }
    if (canaryWeight !== undefined && canaryWeight > 0 && colours[other]?.count === 0) {
      r.problem(
        "canaryWeight",
        `0 while ${configKey(`${other}Count`)} is 0 (a canary needs servers on the other colour)`,
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
  const traffic = { active, canaryWeight, endpoint, blue: colours.blue, green: colours.green };
  if (!allDefined(traffic)) return undefined;
  return {
    active: traffic.active,
    canaryWeight: traffic.canaryWeight,
    endpoint: traffic.endpoint,
    colours: { blue: traffic.blue, green: traffic.green },
  };
}

function readColour(
  r: SettingsReader,
  colour: Colour,
  platform: PlatformRules | undefined,
): ColourConfig | undefined {
  const count = r.integer(`${colour}Count`, 0, MAX_SERVERS_PER_COLOUR);
  const size = r.string(
    `${colour}Size`,
    platform?.values.serverSize ?? anyValue("a server size of the platform"),
    platform?.defaults.serverSize,
  );
  const image = r.string(
    `${colour}Image`,
    platform?.values.image ?? anyValue("a pinned image of the platform"),
  );
  if (count !== undefined && count > 0 && r.isUnset(`${colour}Image`)) {
    r.problem(
      `${colour}Image`,
      `a pinned image, required because ${configKey(`${colour}Count`)} is ${count}`,
      undefined,
    );
    return undefined;
  }
  if (count === undefined || size === undefined) return undefined;
  if (image === undefined && !r.isUnset(`${colour}Image`)) return undefined;
  return { count, size, image };
}

/** Refuses settings that need something the platform cannot build, naming what it lacks. */
function refuseMissingCapabilities(
  r: SettingsReader,
  platform: PlatformRules,
  wants: {
    database: boolean;
    endpoint: string | undefined;
    canaryWeight: number | undefined;
    dns: boolean;
  },
): void {
  const lacks = (capability: keyof typeof CAPABILITY_NAMES) =>
    `because the ${platform.name} platform has no ${CAPABILITY_NAMES[capability].replace(/^an? /, "")}`;
  const has: Capabilities = platform.capabilities;
  if (wants.database && !has.managedDatabase)
    r.problem("database", `false, ${lacks("managedDatabase")}`);
  if (wants.endpoint === "loadBalancer" && !has.loadBalancer)
    r.problem(
      "endpoint",
      `${has.staticAddress ? "floatingIp" : "nothing"}, ${lacks("loadBalancer")}`,
    );
  if (wants.endpoint === "floatingIp" && !has.staticAddress)
    r.problem(
      "endpoint",
      `${has.loadBalancer ? "loadBalancer" : "nothing"}, ${lacks("staticAddress")}`,
    );
  if ((wants.canaryWeight ?? 0) > 0 && has.canary === "none")
    r.problem(
      "canaryWeight",
      `0, because the ${platform.name} platform cannot split traffic between colours`,
    );
  if (wants.dns && !has.dns) r.problem("dnsDomain", `nothing (leave it unset), ${lacks("dns")}`);
}
