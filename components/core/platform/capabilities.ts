/**
 * What a platform can build. Core refuses a setting that needs a capability the platform lacks,
 * with a message that names the capability, never by testing the platform's name.
 */
export interface Capabilities {
  /** A managed Postgres service (`phoenix:database`). */
  readonly managedDatabase: boolean;
  /** A load balancer in front of each colour (`phoenix:endpoint` loadBalancer). */
  readonly loadBalancer: boolean;
  /** A static address that moves between single servers (`phoenix:endpoint` floatingIp). */
  readonly staticAddress: boolean;
  /**
   * How a canary split (`phoenix:canaryWeight`) is served: with exact weights, by each colour's
   * share of the live servers (the platform balances per server), or not at all.
   */
  readonly canary: "weighted" | "byServerCount" | "none";
  /** Managed DNS records for the endpoints (`phoenix:dnsDomain`). */
  readonly dns: boolean;
  /**
   * Whether a server added to the live load balancer is health-checked from scratch before it
   * gets traffic. Then a colour joins the live endpoint before the one it replaces leaves, and
   * a cutover takes two updates, so that there is never a moment without a healthy server.
   */
  readonly coldJoin: boolean;
}

/** Human names of the capabilities, as validation messages use them. */
export const CAPABILITY_NAMES: Readonly<
  Record<Exclude<keyof Capabilities, "canary" | "coldJoin">, string>
> = {
  managedDatabase: "a managed database",
  loadBalancer: "a load balancer",
  staticAddress: "a static address",
  dns: "managed DNS",
};
