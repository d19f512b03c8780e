import * as pulumi from "@pulumi/pulumi";
import { planBlueGreen } from "./blue-green-plan";
import { COLOURS, Colour } from "./colour";
import { LoadedStackConfig } from "./config/read-stack-config";
import { ConfigError } from "./config/config-error";
import { isRebuildPath, transitionProblems } from "./config/transition-checks";
import { DeploymentRecord, deploymentRecord } from "./deployment-record";
import { Address, Platform, PlatformRules, ServerGroupHandle } from "./platform/platform";
import { tellWhatHappens, warnOfServedSplit } from "./update-messages";
import { StackOutputs } from "./stack-outputs";

/** The host part of an address: its IP or its host name. */
export function addressHost(address: Address): pulumi.Output<string> {
  return "ip" in address ? address.ip : address.hostname;
}

/** The fully qualified name of a record in a domain (`@` is the apex). */
export function fqdn(record: string, domain: string): string {
  return record === "@" ? domain : `${record}.${domain}`;
}

/**
 * Composes a blue/green stack on a platform from validated settings: the network, the database,
 * one server group per colour with servers, the live and preview endpoints behind the health
 * gate, and DNS. Written once for every platform; the platform supplies each part.
 *
 * What the previous deployment left (`previous`) decides what this update may touch: colours
 * that served live traffic when it started are frozen, and changes that cannot be made safely
 * are refused before any resource is registered (with how to make them safely).
 *
 * Child names are a contract with running stacks: `<service>-<environment>-net`, `-db`,
 * `-<colour>`, `-lb` or `-ip`, `-dns`. Renaming one replaces real infrastructure.
 *
 * @throws ConfigError when a change cannot be made safely from the previous deployment
 */
export function composeStack<N, G extends ServerGroupHandle, P>(
  platform: Platform<N, G, P>,
  loaded: LoadedStackConfig,
  settings: P,
  previous: DeploymentRecord | undefined,
): StackOutputs {
  const { config, appSecrets } = loaded;
  const plan = planBlueGreen(config, {
    servedBefore: previous?.served ?? [],
    joinBeforeLeave: config.endpoint === "loadBalancer" && platform.capabilities.coldJoin,
  });
  if (previous) {
    const problems = transitionProblems(previous, config, plan);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const rebuilding = isRebuildPath(config) ? [config.active] : [];
  const base = `${config.app.name}-${config.environment}`;
  const common = { region: config.region, settings };
  const named = { service: config.app.name, environment: config.environment };

  const network = platform.network(`${base}-net`, {
    ...common,
    ...named,
    vpcCidr: config.network.vpcCidr,
    appPort: config.app.port,
    adminCidrs: config.network.adminCidrs,
    healthCheckPath: config.app.healthCheckPath,
    appAccess: config.endpoint === "floatingIp" ? "anywhere" : "endpoint",
  });

  const database =
    config.database &&
    platform.database(`${base}-db`, { ...common, ...named, database: config.database, network });

  const appEnvironment = pulumi
    .all([appSecrets, database ? database.appEnvironment : {}])
    .apply(([secrets, reach]): Record<string, string> => ({
      ...config.app.env,
      ...secrets,
      ...reach,
    }));

  const groups: Partial<Record<Colour, G>> = {};
  for (const colour of COLOURS) {
    const { count, image, size } = plan.colours[colour];
    if (count === 0 || image === undefined) continue;
    groups[colour] = platform.serverGroup(`${base}-${colour}`, {
      ...common,
      ...named,
      colour,
      count,
      image,
      size,
      network,
      appEnvironment,
      dataVolume: config.dataVolume,
      frozen: plan.frozen.includes(colour) && !rebuilding.includes(colour),
      keptFingerprint: previous?.colours[colour].fingerprint ?? undefined,
    });
  }
  tellWhatHappens(plan, groups, rebuilding);

  if (platform.capabilities.canary === "byServerCount") warnOfServedSplit(platform.title, plan);
  const endpoint = platform.endpoint(`${base}-${config.endpoint === "floatingIp" ? "ip" : "lb"}`, {
    ...common,
    kind: config.endpoint,
    network,
    groups,
    plan,
    appPort: config.app.port,
    healthCheckPath: config.app.healthCheckPath,
    gate: config.healthGate,
    certificate: config.tlsCertificateName,
    previewHost: config.dns && fqdn(config.dns.previewRecord, config.dns.domain),
  });

  let liveHost = addressHost(endpoint.live);
  let previewHost = endpoint.preview && addressHost(endpoint.preview);
  if (config.dns) {
    const dns = platform.dns(`${base}-dns`, {
      settings,
      domain: config.dns.domain,
      ttlSeconds: config.dns.ttlSeconds,
      records: {
        live: { name: config.dns.record, address: endpoint.live },
        ...(endpoint.preview
          ? { preview: { name: config.dns.previewRecord, address: endpoint.preview } }
          : {}),
      },
    });
    liveHost = dns.fqdns.live as pulumi.Output<string>;
    previewHost = dns.fqdns.preview;
  }

  const fingerprints = pulumi
    .all(COLOURS.map((c) => groups[c]?.fingerprint ?? pulumi.output(null)))
    .apply(([blue, green]): Record<Colour, string | null> => ({
      blue: blue ?? null,
      green: green ?? null,
    }));
  const url = (host: pulumi.Output<string>, scheme: string, port: number): pulumi.Output<string> =>
    scheme === "https"
      ? pulumi.interpolate`https://${host}/`
      : pulumi.interpolate`http://${host}${port === 80 ? "" : `:${port}`}/`;
  return {
    liveUrl: url(liveHost, endpoint.liveScheme, endpoint.port),
    previewUrl: previewHost && url(previewHost, "http", endpoint.previewPort ?? endpoint.port),
    liveColour: plan.live,
    serverAddresses: pulumi
      .all(COLOURS.map((c) => groups[c]?.publicAddresses ?? pulumi.output([])))
      .apply(([blue, green]) => ({ blue: blue ?? [], green: green ?? [] })),
    databaseHost: database ? database.host : undefined,
    databaseUri: database ? database.uri : undefined,
    // Exported only once the live switch is done: a failed update keeps the previous record.
    phoenixDeployment: pulumi
      .all([endpoint.switched, fingerprints])
      .apply(([, prints]) => deploymentRecord(config, plan.served, prints)),
  };
}

/** A platform as the stack program's table holds it: its rules, and its composition. */
export interface RegisteredPlatform extends PlatformRules {
  /** Composes the stack on this platform from settings it validated. */
  compose(loaded: LoadedStackConfig, previous: DeploymentRecord | undefined): StackOutputs;
}

/** Registers a platform for the stack program's table. */
export function registerPlatform<N, G extends ServerGroupHandle, P>(
  platform: Platform<N, G, P>,
): RegisteredPlatform {
  return {
    ...platform,
    // `platformSettings` came from this platform's own `readSettings`, so it is a P.
    compose: (loaded, previous) =>
      composeStack(platform, loaded, loaded.platformSettings as P, previous),
  };
}
