import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import { BlueGreenPlan } from "../core/blue-green-plan";
import { COLOURS, Colour } from "../core/colour";
import { assertServersMatchPlan, endpointIntent } from "../core/endpoint-intent";
import { HealthGateConfig } from "../core/config/stack-config";
import { gateTriggers, HealthGate } from "../core/health-gate";

/** Arguments of a {@link LoadBalancer}. */
export interface LoadBalancerArgs {
  /** Region of the load balancers. */
  readonly region: pulumi.Input<string>;
  /** VPC the load balancers join (they reach droplets over it). */
  readonly vpcId: pulumi.Input<string>;
  /** Port the app listens on. */
  readonly appPort: number;
  /** Path that answers 2xx when the app is healthy. */
  readonly healthCheckPath: string;
  /** Which colour is live, the weights, the preview colour and the gate. */
  readonly plan: BlueGreenPlan;
  /** Droplet IDs of each colour that has servers. */
  readonly dropletIds: Partial<Record<Colour, pulumi.Input<number[]>>>;
  /**
   * Each colour's server fingerprint: when one of a gated colour's changes, the gate runs
   * again before the live endpoint serves it.
   * @default {} (the gate re-runs only on the plan's own triggers)
   */
  readonly fingerprints?: Partial<Record<Colour, pulumi.Input<string>>>;
  /** Consecutive successes, time limit and pause of the health gate. */
  readonly gate: HealthGateConfig;
  /**
   * Port users connect to over HTTP.
   * @default 80
   */
  readonly entryPort?: number;
  /**
   * Name of a DigitalOcean certificate: the live endpoint then serves HTTPS on 443 and
   * redirects HTTP to it.
   * @default undefined (HTTP only)
   */
  readonly certificateName?: pulumi.Input<string>;
}

/**
 * The cookie the colour load balancers pin a client to a droplet with: the gate proves each
 * droplet of a colour through it.
 */
export const AFFINITY_COOKIE = "PHOENIX_SERVER";

/**
 * The endpoints of a blue/green service on DigitalOcean load balancers:
 * - `${name}-live`: the live endpoint, serving the live colour (plus the canary colour, if any);
 * - `${name}-<colour>`: one endpoint per colour with servers. The non-live one is the preview
 *   endpoint, for testing before cutover; the live one is what the gate probes when the live
 *   colour is rebuilt in place.
 *
 * The live endpoint's targets change only after the health gate (`${name}-gate`) has proven,
 * through its colour endpoint, every droplet of every colour about to serve live traffic: the
 * colour endpoints pin clients with a cookie, which the gate uses to reach each droplet. If the
 * gate fails, the update fails and live still serves the old colour.
 *
 * A droplet added to a DigitalOcean load balancer gets traffic only once its health checks
 * pass, so the live endpoint serves the colour taking over beside the one leaving for one update
 * (`plan.leavingNext`), and drops the old colour only in the next.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  /** Public IP of the live endpoint. */
  readonly liveIp: pulumi.Output<string>;
  /** Public IP of the preview endpoint, when the non-live colour has servers. */
  readonly previewIp: pulumi.Output<string> | undefined;
  /** Public IP of each colour's own endpoint. */
  readonly colourIps: Partial<Record<Colour, pulumi.Output<string>>>;
  /** UIDs of every load balancer here. */
  readonly loadBalancerUids: pulumi.Output<string[]>;
  /** The live load balancer's ID: known once the live switch has done this update's work. */
  readonly liveId: pulumi.Output<string>;
  /** The health gate. */
  readonly gate: HealthGate;

  /**
   * @param name component name; children are `${name}-live`, `${name}-blue`, `${name}-green`,
   *   `${name}-gate`
   * @param args endpoint settings
   * @param opts resource options
   */
  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const { plan } = args;
    // Checked before anything is registered, the component included.
    assertServersMatchPlan(name, "dropletIds", plan, args.dropletIds);
    // The intent is registered as the component's inputs, so policies and previews can read it.
    super(
      "phoenix:digitalocean:LoadBalancer",
      name,
      { ...endpointIntent(plan, args.certificateName !== undefined, `${name}-live`) },
      opts,
    );
    const http = {
      entryPort: args.entryPort ?? 80,
      entryProtocol: "http",
      targetPort: args.appPort,
      targetProtocol: "http",
    };
    // Only the live endpoint terminates TLS: the colour endpoints are probed and tested by IP.
    const tls = args.certificateName && {
      forwardingRules: [
        http,
        { ...http, entryPort: 443, entryProtocol: "https", certificateName: args.certificateName },
      ],
      redirectHttpToHttps: true,
    };
    const make = (
      lbName: string,
      dropletIds: pulumi.Input<number[]>,
      dependsOn: pulumi.Resource[],
      live = false,
    ): digitalocean.LoadBalancer =>
      new digitalocean.LoadBalancer(
        lbName,
        {
          name: lbName,
          region: args.region,
          vpcUuid: args.vpcId,
          dropletIds,
          forwardingRules: [http],
          healthcheck: {
            protocol: "http",
            port: args.appPort,
            path: args.healthCheckPath,
            checkIntervalSeconds: 10,
            responseTimeoutSeconds: 5,
            healthyThreshold: 3,
            unhealthyThreshold: 3,
          },
          disableLetsEncryptDnsRecords: true,
          ...(live && tls ? tls : {}),
          // Colour endpoints pin a client to a droplet, so the gate can prove each droplet.
          ...(live
            ? {}
            : {
                stickySessions: {
                  type: "cookies",
                  cookieName: AFFINITY_COOKIE,
                  cookieTtlSeconds: 300,
                },
              }),
        },
        { parent: this, dependsOn },
      );

    const colourLbs: Partial<Record<Colour, digitalocean.LoadBalancer>> = {};
    for (const colour of COLOURS) {
      const ids = args.dropletIds[colour];
      if (ids !== undefined) colourLbs[colour] = make(`${name}-${colour}`, ids, []);
    }
    const probeUrl = (colour: Colour): pulumi.Output<string> =>
      pulumi.interpolate`http://${(colourLbs[colour] as digitalocean.LoadBalancer).ip}:${args.entryPort ?? 80}${args.healthCheckPath}`;
    const fingerprints = args.fingerprints ?? {};
    this.gate = new HealthGate(
      `${name}-gate`,
      {
        targets: Object.fromEntries(
          plan.gate.colours.map((c) => [
            c,
            { url: probeUrl(c), servers: plan.colours[c].count, affinityCookie: AFFINITY_COOKIE },
          ]),
        ),
        settings: args.gate,
        triggers: gateTriggers(
          plan.gate.triggers,
          Object.fromEntries(plan.gate.colours.map((c) => [c, fingerprints[c]])),
        ),
      },
      { parent: this },
    );

    const liveIds = pulumi
      .all(plan.served.map((c) => pulumi.output(args.dropletIds[c] as pulumi.Input<number[]>)))
      .apply((lists) => lists.flat());
    const live = make(`${name}-live`, liveIds, [this.gate], true);

    this.liveIp = live.ip;
    this.liveId = live.id;
    this.colourIps = Object.fromEntries(
      Object.entries(colourLbs).map(([c, lb]) => [c, lb.ip]),
    ) as Partial<Record<Colour, pulumi.Output<string>>>;
    this.previewIp = plan.preview === undefined ? undefined : colourLbs[plan.preview]?.ip;
    this.loadBalancerUids = pulumi.all([live, ...Object.values(colourLbs)].map((lb) => lb.id));
    this.registerOutputs({
      liveIp: this.liveIp,
      previewIp: this.previewIp,
      loadBalancerUids: this.loadBalancerUids,
    });
  }
}
