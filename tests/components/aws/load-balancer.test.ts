import { StackOutputs } from "../../../components/core/stack-outputs";
import { MockStackRun } from "../../../tools/mock-stack";
import { A } from "../../helpers/aws-types";
import { awsRun, childrenOf, idOf, outputOf, tagsOf } from "./aws-runs";

type Run = MockStackRun<StackOutputs>;

const LB = "shop-aws-prod-lb";
const CERTIFICATE =
  "arn:aws:acm:us-east-1:123456789012:certificate/4f1e2d3c-5b6a-4978-8e9f-0a1b2c3d4e5f";
const ALB_ARN = /^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\//;
const TG_ARN = /^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\//;

const tgArn = (run: Run, stack: string, colour: string) =>
  outputOf(run, A.targetGroup, `shop-${stack}-${colour}-tg`, "arn");

describe("AWS LoadBalancer (aws-prod: HTTPS, blue live, green on preview)", () => {
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-prod");
  });

  it("registers the ALB, the HTTP listener, the colour and preview rules, the gate and the HTTPS live switch", () => {
    expect(childrenOf(run, A.lb, LB)).toEqual([
      `${A.loadBalancer}::${LB}-alb`,
      `${A.listener}::${LB}-http`,
      `${A.listenerRule}::${LB}-blue`,
      `${A.listenerRule}::${LB}-green`,
      `${A.listenerRule}::${LB}-preview`,
      `${A.healthGate}::${LB}-gate`,
      `${A.listener}::${LB}-live`,
      `${A.listenerRule}::${LB}-preview-https`,
    ]);
  });

  it("puts an internet-facing ALB that drops invalid headers, refuses deletion and logs access in the public subnets", async () => {
    const publicSubnets = await Promise.all(
      [0, 1, 2].map((i) => idOf(run, A.subnet, `shop-aws-prod-net-public-${i}`)),
    );
    expect(run.get(A.loadBalancer, `${LB}-alb`).inputs).toEqual({
      loadBalancerType: "application",
      internal: false,
      subnets: publicSubnets,
      securityGroups: [await idOf(run, A.securityGroup, "shop-aws-prod-net-lb-sg")],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      enableHttp2: true,
      idleTimeout: 60,
      accessLogs: { bucket: "example-shop-alb-access-logs", prefix: LB, enabled: true },
      tags: tagsOf(`${LB}-alb`, "shop", "aws-prod"),
    });
  });

  it("redirects HTTP to HTTPS on 443 with a 301", async () => {
    expect(run.get(A.listener, `${LB}-http`).inputs).toEqual({
      loadBalancerArn: expect.stringMatching(ALB_ARN),
      port: 80,
      protocol: "HTTP",
      defaultActions: [
        {
          type: "redirect",
          redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
        },
      ],
      tags: tagsOf(`${LB}-http`, "shop", "aws-prod"),
    });
  });

  it("switches live traffic with the HTTPS listener: TLS 1.3/1.2 policy, the certificate, all of it to blue, only after the gate", async () => {
    const live = run.get(A.listener, `${LB}-live`);
    expect(live.inputs).toEqual({
      loadBalancerArn: await outputOf(run, A.loadBalancer, `${LB}-alb`, "arn"),
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: CERTIFICATE,
      defaultActions: [
        {
          type: "forward",
          forward: { targetGroups: [{ arn: await tgArn(run, "aws-prod", "blue"), weight: 100 }] },
        },
      ],
      tags: tagsOf(`${LB}-live`, "shop", "aws-prod"),
    });
    expect(live.opts.dependsOn).toEqual([`${A.healthGate}::${LB}-gate`]);
    expect(await tgArn(run, "aws-prod", "blue")).toEqual(expect.stringMatching(TG_ARN));
  });

  it("reaches each colour through its own rule on the X-Phoenix-Colour header", async () => {
    const httpArn = await outputOf(run, A.listener, `${LB}-http`, "arn");
    for (const [colour, priority] of [
      ["blue", 10],
      ["green", 20],
    ] as const) {
      expect(run.get(A.listenerRule, `${LB}-${colour}`).inputs).toEqual({
        listenerArn: httpArn,
        priority,
        conditions: [{ httpHeader: { httpHeaderName: "X-Phoenix-Colour", values: [colour] } }],
        actions: [{ type: "forward", targetGroupArn: await tgArn(run, "aws-prod", colour) }],
        tags: tagsOf(`${LB}-${colour}`, "shop", "aws-prod"),
      });
    }
  });

  it("sends the preview host to green's target group", async () => {
    expect(run.get(A.listenerRule, `${LB}-preview`).inputs).toEqual({
      listenerArn: await outputOf(run, A.listener, `${LB}-http`, "arn"),
      priority: 100,
      conditions: [{ hostHeader: { values: ["shop-preview.example.com"] } }],
      actions: [{ type: "forward", targetGroupArn: await tgArn(run, "aws-prod", "green") }],
      tags: tagsOf(`${LB}-preview`, "shop", "aws-prod"),
    });
  });

  it("answers the preview host on HTTPS too, through the live listener", async () => {
    const rule = run.get(A.listenerRule, `${LB}-preview-https`);
    expect(rule.inputs).toEqual({
      listenerArn: await outputOf(run, A.listener, `${LB}-live`, "arn"),
      priority: 100,
      conditions: [{ hostHeader: { values: ["shop-preview.example.com"] } }],
      actions: [{ type: "forward", targetGroupArn: await tgArn(run, "aws-prod", "green") }],
      tags: tagsOf(`${LB}-preview-https`, "shop", "aws-prod"),
    });
  });

  it("gates blue through its colour rule and in its target group, after both colour rules and blue's group", async () => {
    const dns = await outputOf(run, A.loadBalancer, `${LB}-alb`, "dnsName");
    const probe = run.get(A.command, `${LB}-gate-blue`);
    const command =
      `bash components/core/health-probe.sh --url http://${dns}/healthz` +
      " --successes 5 --timeout 900 --interval 5 --request-timeout 5" +
      " --header 'X-Phoenix-Colour: blue' --servers 2" +
      ` --target-group ${await tgArn(run, "aws-prod", "blue")}` +
      " --target-health components/aws/target-health.sh --region us-east-1";
    expect(probe.inputs.create).toBe(command);
    expect(probe.inputs.update).toBe(command);
    expect(run.ofType(A.command).map((c) => c.name)).toEqual([`${LB}-gate-blue`]);
    expect(run.get(A.healthGate, `${LB}-gate`).opts.dependsOn).toEqual([
      `${A.listenerRule}::${LB}-blue`,
      `${A.listenerRule}::${LB}-green`,
      `${A.autoScalingGroup}::shop-aws-prod-blue-asg`,
    ]);
  });
});

describe("AWS LoadBalancer (aws-prod with a 10% canary and access logs)", () => {
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-prod", {
      "phoenix:canaryWeight": "10",
      "phoenix:awsAccessLogBucket": "shop-alb-logs",
    });
  });

  it("forwards live traffic 90/10 to blue and green, keeping each client with its colour", async () => {
    expect(run.get(A.listener, `${LB}-live`).inputs.defaultActions).toEqual([
      {
        type: "forward",
        forward: {
          targetGroups: [
            { arn: await tgArn(run, "aws-prod", "blue"), weight: 90 },
            { arn: await tgArn(run, "aws-prod", "green"), weight: 10 },
          ],
          stickiness: { enabled: true, duration: 3600 },
        },
      },
    ]);
    expect(run.ofType(A.command).map((c) => c.name)).toEqual([
      `${LB}-gate-blue`,
      `${LB}-gate-green`,
    ]);
  });

  it("writes the ALB's access logs to the bucket, under the component's name", () => {
    expect(run.get(A.loadBalancer, `${LB}-alb`).inputs.accessLogs).toEqual({
      bucket: "shop-alb-logs",
      prefix: LB,
      enabled: true,
    });
  });
});

describe("AWS LoadBalancer (aws-dev: HTTP only, deletable)", () => {
  const DEV = "shop-aws-dev-lb";
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-dev");
  });

  it("lets the ALB be deleted, as phoenix:awsLoadBalancerDeletionProtection false asks, and keeps no access logs", () => {
    const alb = run.get(A.loadBalancer, `${DEV}-alb`).inputs;
    expect(alb.enableDeletionProtection).toBe(false);
    expect(alb.accessLogs).toBeUndefined();
  });

  it("answers 503 on HTTP until a colour is live", () => {
    expect(run.get(A.listener, `${DEV}-http`).inputs.defaultActions).toEqual([
      {
        type: "fixed-response",
        fixedResponse: {
          contentType: "text/plain",
          statusCode: "503",
          messageBody: "No colour is live yet.",
        },
      },
    ]);
    expect(run.ofType(A.listener).map((l) => l.name)).toEqual([`${DEV}-http`]);
  });

  it("switches live traffic with the last HTTP rule (priority 50000, every path), after the gate", async () => {
    const live = run.get(A.listenerRule, `${DEV}-live`);
    expect(live.inputs).toEqual({
      listenerArn: await outputOf(run, A.listener, `${DEV}-http`, "arn"),
      priority: 50000,
      conditions: [{ pathPattern: { values: ["/*"] } }],
      actions: [
        {
          type: "forward",
          forward: { targetGroups: [{ arn: await tgArn(run, "aws-dev", "blue"), weight: 100 }] },
        },
      ],
      tags: tagsOf(`${DEV}-live`, "shop", "aws-dev"),
    });
    expect(live.opts.dependsOn).toEqual([`${A.healthGate}::${DEV}-gate`]);
  });
});
