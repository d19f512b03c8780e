import * as path from "path";

/** Absolute path of the probe script shipped in this repository. */
export const HEALTH_PROBE_SCRIPT = path.join(__dirname, "health-probe.sh");

/** What the probe requires of a URL. */
export interface HealthProbeOptions {
  /** The http(s) URL to probe. */
  readonly url: string;
  /** Consecutive 2xx answers required. */
  readonly successes: number;
  /** Time limit for the whole probe. */
  readonly timeoutSeconds: number;
  /** Pause between attempts. */
  readonly intervalSeconds: number;
  /** Time limit for one request. */
  readonly requestTimeoutSeconds: number;
  /**
   * How many servers stand behind the URL, each to be proven on its own.
   * @default 1 (the URL is one server)
   */
  readonly servers?: number;
  /** With several servers: the cookie the load balancer pins a client to a server with. */
  readonly affinityCookie?: string;
  /**
   * With several servers, where no cookie names a server: the load balancer's target group,
   * whose healthy targets (as its own checks see them) must number `servers`.
   */
  readonly targetGroup?: string;
  /** The platform's `target-health.sh`, which prints the target group's states. */
  readonly targetHealth?: string;
  /** The target group's region. */
  readonly region?: string;
  /** A request header sent on every probe, `Name: value` (e.g. what routes to one colour). */
  readonly header?: string;
}

/**
 * The probe's argv: `bash <script> --url ... --request-timeout ...`, `--header H` when given,
 * then `--servers N --affinity-cookie NAME` (or `--servers N --target-group ID --target-health
 * SCRIPT --region R`)
 * when the URL is a load balancer in front of several servers.
 */
export function healthProbeArgv(
  options: HealthProbeOptions,
  script: string = HEALTH_PROBE_SCRIPT,
): string[] {
  if (options.targetGroup !== undefined && !options.targetHealth) {
    throw new Error(
      `health probe: targetGroup ${options.targetGroup} needs targetHealth, the platform's target-health.sh`,
    );
  }
  return [
    "bash",
    script,
    "--url",
    options.url,
    "--successes",
    String(options.successes),
    "--timeout",
    String(options.timeoutSeconds),
    "--interval",
    String(options.intervalSeconds),
    "--request-timeout",
    String(options.requestTimeoutSeconds),
    ...(options.header ? ["--header", options.header] : []),
    ...(options.targetGroup
      ? [
          "--servers",
          String(options.servers ?? 1),
          "--target-group",
          options.targetGroup,
          "--target-health",
          options.targetHealth ?? "",
          ...(options.region ? ["--region", options.region] : []),
        ]
      : (options.servers ?? 1) > 1 || options.affinityCookie
        ? [
            "--servers",
            String(options.servers ?? 1),
            "--affinity-cookie",
            options.affinityCookie ?? "",
          ]
        : []),
  ];
}

/** Quotes one word for a POSIX shell: words of safe characters stay bare, others single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The probe as one shell command line, for `@pulumi/command`'s `create` (run by `/bin/sh -c`).
 *
 * @param script the script path as the runner should see it (e.g. relative to the project root)
 */
export function healthProbeCommandLine(
  options: HealthProbeOptions,
  script: string = HEALTH_PROBE_SCRIPT,
): string {
  return healthProbeArgv(options, script).map(shellQuote).join(" ");
}
