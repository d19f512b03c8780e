import { COLOURS, Colour, isColour } from "./colour";
import { EndpointKind, StackConfig } from "./config/stack-config";

/**
 * What a deployment leaves behind for the next one to compare with: which colours the live
 * endpoint served when it finished, and the settings that decide what is safe to change. The
 * stack exports it (`phoenixDeployment`) only once its live switch has completed, so a failed
 * update leaves the previous record in place; the next update reads it back through a
 * reference to its own stack (`previous-deployment.ts`) and the offline plan takes it from the
 * base version's run.
 */
export interface DeploymentRecord {
  /** Format version, for reading records of older Phoenix releases. */
  readonly version: 1;
  readonly service: string;
  readonly environment: string;
  readonly region: string;
  readonly vpcCidr: string;
  readonly endpoint: EndpointKind;
  /** The port the serving servers' app listens on, and the path their health is checked on. */
  readonly appPort: number;
  readonly healthCheckPath: string;
  /** The colours whose servers the live endpoint served at the end of the deployment. */
  readonly served: readonly Colour[];
  /** Each colour's servers as deployed. */
  readonly colours: Readonly<Record<Colour, ColourRecord>>;
  /** The managed database, when the stack had one. */
  readonly database: { readonly engineVersion: string } | null;
  /** The data volumes, when the stack had them. */
  readonly dataVolume: {
    readonly sizeGiB: number;
    readonly mountPath: string;
    readonly filesystem: string;
  } | null;
}

/** One colour's servers as deployed. */
export interface ColourRecord {
  readonly count: number;
  readonly image: string | null;
  readonly size: string;
  /** The servers' fingerprint (everything that went into them); null without servers. */
  readonly fingerprint: string | null;
}

/** The stack output that carries the record. */
export const DEPLOYMENT_RECORD_OUTPUT = "phoenixDeployment";

/** The record a deployment of these settings leaves, serving `served` at its end. */
export function deploymentRecord(
  config: StackConfig,
  served: readonly Colour[],
  fingerprints: Readonly<Record<Colour, string | null>>,
): DeploymentRecord {
  return {
    version: 1,
    service: config.app.name,
    environment: config.environment,
    region: config.region,
    vpcCidr: config.network.vpcCidr,
    endpoint: config.endpoint,
    appPort: config.app.port,
    healthCheckPath: config.app.healthCheckPath,
    served: [...served],
    colours: {
      blue: colourRecord(config, "blue", fingerprints.blue),
      green: colourRecord(config, "green", fingerprints.green),
    },
    database: config.database ? { engineVersion: config.database.engineVersion } : null,
    dataVolume: config.dataVolume
      ? {
          sizeGiB: config.dataVolume.sizeGiB,
          mountPath: config.dataVolume.mountPath,
          filesystem: config.dataVolume.filesystem,
        }
      : null,
  };
}

function colourRecord(config: StackConfig, colour: Colour, print: string | null): ColourRecord {
  const { count, image, size } = config.colours[colour];
  return {
    count,
    image: count > 0 ? (image ?? null) : null,
    size,
    fingerprint: count > 0 ? print : null,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a record back from a stack output; undefined when there is none (a first deployment)
 * or it is not one this release understands (then the update is treated as a first one, which
 * the program says).
 */
export function parseDeploymentRecord(value: unknown): DeploymentRecord | undefined {
  if (!isObject(value) || value.version !== 1) return undefined;
  const { served, colours } = value;
  if (!Array.isArray(served) || !served.every(isColour) || !isObject(colours)) return undefined;
  const colourOk = (c: unknown) =>
    isObject(c) && typeof c.count === "number" && typeof c.size === "string";
  if (!COLOURS.every((c) => colourOk(colours[c]))) return undefined;
  for (const key of [
    "service",
    "environment",
    "region",
    "vpcCidr",
    "endpoint",
    "healthCheckPath",
  ]) {
    if (typeof value[key] !== "string") return undefined;
  }
  if (typeof value.appPort !== "number") return undefined;
  return value as unknown as DeploymentRecord;
}
