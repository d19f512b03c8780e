/** Where an environment's live endpoint answers, as the edge record and the gate need it. */
export interface EnvironmentTarget {
  /** The host of the environment's live URL: a name, or an IPv4 address. */
  readonly host: string;
  /** The record type that points at it: an alias (CNAME) for a name, A for an address. */
  readonly recordType: "CNAME" | "A";
  /** The URL the gate probes: the live URL's origin and the environment's health path. */
  readonly healthUrl: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * Reads an environment's `liveUrl` output and the health path of its deployment record.
 *
 * @throws Error naming the environment when the URL is not an http(s) URL
 */
export function environmentTarget(
  environment: string,
  liveUrl: string,
  healthCheckPath: string,
): EnvironmentTarget {
  let url: URL;
  try {
    url = new URL(liveUrl);
  } catch {
    throw new Error(
      `environment ${environment}: its liveUrl output ${JSON.stringify(liveUrl)} is not a URL`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`environment ${environment}: its liveUrl output ${liveUrl} is not http(s)`);
  const host = url.hostname;
  return {
    host,
    recordType: IPV4.test(host) ? "A" : "CNAME",
    healthUrl: `${url.origin}${healthCheckPath.startsWith("/") ? "" : "/"}${healthCheckPath}`,
  };
}
