import * as lb from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { BlueGreenPlan } from "../core/blue-green-plan";
import { COLOURS, Colour } from "../core/colour";
import { assertServersMatchPlan, endpointIntent } from "../core/endpoint-intent";
import { HealthGateConfig } from "../core/config/stack-config";
import { gateTriggers, HealthGate } from "../core/health-gate";
import { TagContext } from "../core/tags";
import { ServerGroup } from "./server-group";
import { awsTags } from "./tags";

/** Arguments of a {@link LoadBalancer}. */
export interface LoadBalancerArgs {
  /** Service and environment, for tags. */
  readonly tags: TagContext;
  /** Region, for the gate's target-health check. */
  readonly region: string;
  /** Public subnets, one per zone. */
  readonly subnetIds: pulumi.Input<string>[];
  /** The load balancer's security group (80 and 443 from the internet). */
  readonly securityGroupId: pulumi.Input<string>;
  /** Path that answers 2xx when the app is healthy. */
  readonly healthCheckPath: string;
  /** Which colour is live, the weights, the preview colour and the gate. */
  readonly plan: BlueGreenPlan;
  /** Each colour's servers, for the colours that have some. */
  readonly groups: Partial<Record<Colour, ServerGroup>>;
  /** Each colour's server fingerprint: a change re-runs the gate for that colour. */
  readonly fingerprints: Partial<Record<Colour, pulumi.Input<string>>>;
  /** Consecutive successes, time limit and pause of the health gate. */
  readonly gate: HealthGateConfig;
  /**
   * Host name the preview colour is reached on (a listener rule routes it there).
   * @default undefined (the preview colour is reached only with the colour header)
   */
  readonly previewHost?: string;
  /**
   * ARN of an ACM certificate: the live endpoint then serves HTTPS on 443 and HTTP redirects.
   * @default undefined (HTTP only)
   */
  readonly certificateArn?: string;
  /**
   * Whether the ALB refuses deletion.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * S3 bucket for access logs.
   * @default undefined (no access logs)
   */
  readonly accessLogBucket?: string;
  /** Resources the servers need before they start (their egress routes). */
  readonly serversNeed?: pulumi.Resource[];
}

/** The script the health gate asks for a target group's states with. */
export const TARGET_HEALTH_SCRIPT = path.join(__dirname, "target-health.sh");

/** The request header a listener rule routes to one colour by (the gate's own path). */
export const COLOUR_HEADER = "X-Phoenix-Colour";

/** TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward secrecy only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Priorities of the listener rules: the colour paths, the preview host, and last, live. */
const PRIORITY: Readonly<Record<Colour | "preview", number>> = {
  blue: 10,
  green: 20,
  preview: 100,
};
const LIVE_PRIORITY = 50000;

/**
 * The endpoints of a blue/green service on one Application Load Balancer:
 * - each colour's target group is reached through a listener rule on the colour header
 *   (`${name}-<colour>`): the health gate's path to it, which the colour's auto scaling group
 *   waits behind;
 * - the preview colour is reached on its own host name (`${name}-preview`);
 * - the live switch (`${name}-live`) forwards to the colours' target groups with the plan's
 *   weights: the HTTPS listener when a certificate is given (HTTP then redirects to it), or the
 *   last rule of the HTTP listener. It depends on the health gate, so it moves only after the
 *   colours it is about to serve have proven healthy, through their own path and in their
 *   target group.
 *
 * The weights are owned by this program and never ignored (pulumi-aws#5772, #5798): an
 * unchanged `pulumi up` puts back weights changed by hand. A target keeps its open requests for
 * the target group's deregistration delay, and a new one ramps up over its slow start, so a
 * weight shift drops no request. No cold join: a target group behind the switch already has
 * healthy targets, so a cutover takes one update.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  /** The ALB. */
  readonly alb: lb.LoadBalancer;
  /** The ALB's DNS name, once the live switch has done this update's work. */
  readonly liveHostname: pulumi.Output<string>;
  /** The ALB's DNS name, for the preview host (routed by host name). */
  readonly previewHostname: pulumi.Output<string> | undefined;
  /** The hosted zone of the ALB's DNS name, for alias records. */
  readonly zoneId: pulumi.Output<string>;
  /** The live switch's ID: known once it has done this update's work. */
  readonly liveId: pulumi.Output<string>;
  /** The health gate. */
  readonly gate: HealthGate;

  /**
   * @param name component name; children are `${name}-alb`, `${name}-http`,
   *   `${name}-<colour>`, `${name}-preview`, `${name}-gate`, `${name}-live` and, with TLS,
   *   `${name}-preview-https`
   * @param args endpoint settings
   * @param opts resource options
   */
  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const { plan, groups } = args;
    assertServersMatchPlan(name, "groups", plan, groups);
    super(
      "phoenix:aws:LoadBalancer",
      name,
      { ...endpointIntent(plan, args.certificateArn !== undefined, `${name}-live`) },
      opts,
    );
    const parent = { parent: this };
    const tags = (n: string) => awsTags(n, args.tags);

    this.alb = new lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: false,
        subnets: args.subnetIds,
        securityGroups: [args.securityGroupId],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.deletionProtection ?? true,
        enableHttp2: true,
        idleTimeout: 60,
        ...(args.accessLogBucket
          ? { accessLogs: { bucket: args.accessLogBucket, prefix: name, enabled: true } }
          : {}),
        tags: tags(`${name}-alb`),
      },
      parent,
    );
    const http = new lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          args.certificateArn
            ? {
                type: "redirect",
                redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
              }
            : {
                type: "fixed-response",
                fixedResponse: {
                  contentType: "text/plain",
                  statusCode: "503",
                  messageBody: "No colour is live yet.",
                },
              },
        ],
        tags: tags(`${name}-http`),
      },
      parent,
    );

    const forwardTo = (colour: Colour) => [
      { type: "forward", targetGroupArn: (groups[colour] as ServerGroup).targetGroup.arn },
    ];
    const colourRules: Partial<Record<Colour, lb.ListenerRule>> = {};
    for (const colour of COLOURS) {
      const group = groups[colour];
      if (group === undefined) continue;
      const rule = new lb.ListenerRule(
        `${name}-${colour}`,
        {
          listenerArn: http.arn,
          priority: PRIORITY[colour],
          conditions: [{ httpHeader: { httpHeaderName: COLOUR_HEADER, values: [colour] } }],
          actions: forwardTo(colour),
          tags: tags(`${name}-${colour}`),
        },
        parent,
      );
      colourRules[colour] = rule;
      group.launch([rule], args.serversNeed ?? []);
    }
    const preview =
      plan.preview !== undefined && args.previewHost !== undefined
        ? new lb.ListenerRule(
            `${name}-preview`,
            {
              listenerArn: http.arn,
              priority: PRIORITY.preview,
              conditions: [{ hostHeader: { values: [args.previewHost] } }],
              actions: forwardTo(plan.preview),
              tags: tags(`${name}-preview`),
            },
            parent,
          )
        : undefined;

    this.gate = new HealthGate(
      `${name}-gate`,
      {
        targets: Object.fromEntries(
          plan.gate.colours.map((c) => {
            const group = groups[c] as ServerGroup;
            return [
              c,
              {
                url: pulumi.interpolate`http://${this.alb.dnsName}${args.healthCheckPath}`,
                servers: plan.colours[c].count,
                header: `${COLOUR_HEADER}: ${c}`,
                targetGroup: {
                  id: group.targetGroup.arn,
                  region: args.region,
                  script: TARGET_HEALTH_SCRIPT,
                },
              },
            ];
          }),
        ),
        settings: args.gate,
        triggers: gateTriggers(
          plan.gate.triggers,
          Object.fromEntries(plan.gate.colours.map((c) => [c, args.fingerprints[c]])),
        ),
      },
      {
        parent: this,
        // The gate probes through the colour rules, once every group has its servers.
        dependsOn: [
          ...Object.values(colourRules),
          ...plan.gate.colours.flatMap((c) => groups[c]?.autoScalingGroup ?? []),
        ],
      },
    );

    const served = plan.served.filter((c) => (plan.weights[c] ?? 0) > 0);
    const liveAction = {
      type: "forward",
      forward: {
        targetGroups: served.map((c) => ({
          arn: (groups[c] as ServerGroup).targetGroup.arn,
          weight: plan.weights[c],
        })),
        // During a split a client stays with the colour it first got.
        ...(served.length > 1 ? { stickiness: { enabled: true, duration: 3600 } } : {}),
      },
    };
    const gated = { parent: this, dependsOn: [this.gate] };
    const live = args.certificateArn
      ? new lb.Listener(
          `${name}-live`,
          {
            loadBalancerArn: this.alb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: TLS_POLICY,
            certificateArn: args.certificateArn,
            defaultActions: [liveAction],
            tags: tags(`${name}-live`),
          },
          gated,
        )
      : new lb.ListenerRule(
          `${name}-live`,
          {
            listenerArn: http.arn,
            priority: LIVE_PRIORITY,
            conditions: [{ pathPattern: { values: ["/*"] } }],
            actions: [liveAction],
            tags: tags(`${name}-live`),
          },
          gated,
        );

    // With TLS the preview name answers on HTTPS too (the certificate must cover it).
    if (args.certificateArn && plan.preview !== undefined && args.previewHost !== undefined) {
      new lb.ListenerRule(
        `${name}-preview-https`,
        {
          listenerArn: live.arn,
          priority: PRIORITY.preview,
          conditions: [{ hostHeader: { values: [args.previewHost] } }],
          actions: forwardTo(plan.preview),
          tags: tags(`${name}-preview-https`),
        },
        parent,
      );
    }

    // Users are sent to the name only once it serves the live colour.
    this.liveHostname = pulumi.all([this.alb.dnsName, live.arn]).apply(([dns]) => dns);
    this.previewHostname =
      preview && pulumi.all([this.alb.dnsName, preview.arn]).apply(([dns]) => dns);
    this.zoneId = this.alb.zoneId;
    this.liveId = live.id;
    this.registerOutputs({ liveHostname: this.liveHostname, zoneId: this.zoneId });
  }
}
