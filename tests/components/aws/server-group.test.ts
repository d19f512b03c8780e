import { parse } from "yaml";
import { ServerGroup, ServerGroupArgs } from "../../../components/aws/server-group";
import { StackOutputs } from "../../../components/core/stack-outputs";
import { MockStackRun, runInMockStack } from "../../../tools/mock-stack";
import { A } from "../../helpers/aws-types";
import { deployed, update } from "../../helpers/updates";
import { awsRun, idOf, outputOf, PLAIN_OPTIONS, tagsOf } from "./aws-runs";

type Run = MockStackRun<StackOutputs>;

const NET = "shop-aws-prod-net";
const BLUE = "shop-aws-prod-blue";
const PRIVATE_SUBNETS = [0, 1, 2].map((i) => `${NET}-private-${i}`);

describe("AWS ServerGroup (aws-prod blue, first deploy)", () => {
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-prod");
  });

  it("builds a launch template from the pinned AMI: IMDSv2 only, encrypted gp3 root, the servers' group and profile, colour tags", async () => {
    const tags = tagsOf(`${BLUE}-template`, "shop", "aws-prod", "blue");
    expect(run.get(A.launchTemplate, `${BLUE}-template`).inputs).toEqual({
      namePrefix: `${BLUE}-`,
      description: "shop aws-prod blue",
      imageId: "ami-0c7217cdde317cfec",
      instanceType: "m7i.large",
      userData: expect.any(String),
      iamInstanceProfile: { name: `${NET}-server-profile` },
      vpcSecurityGroupIds: [await idOf(run, A.securityGroup, `${NET}-server-sg`)],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: 20,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags },
        { resourceType: "network-interface", tags },
      ],
      updateDefaultVersion: true,
      tags,
    });
  });

  it("replaces the template on image, type or user data, and ignores nothing on a first deploy", () => {
    expect(run.get(A.launchTemplate, `${BLUE}-template`).opts).toEqual({
      ...PLAIN_OPTIONS,
      replaceOnChanges: ["imageId", "instanceType", "userData"],
    });
  });

  it("hands the servers a secret base64 cloud-config with the app's environment only in the root-only file", () => {
    const template = run.get(A.launchTemplate, `${BLUE}-template`);
    expect(template.secretProps).toContain("userData");
    const text = Buffer.from(template.inputs.userData as string, "base64").toString("utf8");
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(text) as {
      write_files: { path: string; owner: string; permissions: string; content: string }[];
      runcmd: string[][];
    };
    expect(doc.write_files.map((f) => [f.path, f.owner, f.permissions])).toEqual([
      ["/etc/phoenix/shop.env", "root:root", "0600"],
      ["/etc/systemd/system/shop.service.d/10-phoenix.conf", "root:root", "0644"],
    ]);
    const env = doc.write_files[0]?.content ?? "";
    expect(env).toContain('SESSION_SECRET="first-session-secret"');
    expect(env).toContain('APP_ENV="production"');
    expect(env).toMatch(/^DATABASE_URL="postgresql:\/\/shop@[^":]+:5432\/shop\?sslmode=require"$/m);
    expect(doc.runcmd).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "shop.service"],
      ["systemctl", "restart", "shop.service"],
    ]);
  });

  it("gives the colour its own target group, draining 60 s, ramping 30 s, health-checked and sticky", async () => {
    const tg = run.get(A.targetGroup, `${BLUE}-tg`);
    expect(tg.inputs).toEqual({
      namePrefix: "blue-",
      vpcId: await idOf(run, A.vpc, `${NET}-vpc`),
      port: 8080,
      protocol: "HTTP",
      targetType: "instance",
      deregistrationDelay: 60,
      slowStart: 30,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: "/healthz",
        matcher: "200-299",
        interval: 10,
        timeout: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 2,
      },
      stickiness: { enabled: true, type: "lb_cookie", cookieDuration: 300 },
      tags: tagsOf(`${BLUE}-tg`, "shop", "aws-prod", "blue"),
    });
    // By colour prefix, so that a replacement can stand beside the old group.
    expect(run.get(A.targetGroup, "shop-aws-prod-green-tg").inputs.namePrefix).toBe("green-");
  });

  it("runs exactly the colour's count over the three private subnets, replaced on ELB health, waiting for healthy capacity", async () => {
    const asg = run.get(A.autoScalingGroup, `${BLUE}-asg`);
    expect(asg.parent).toBe(`${A.serverGroup}::${BLUE}`);
    const subnets = await Promise.all(PRIVATE_SUBNETS.map((s) => idOf(run, A.subnet, s)));
    expect(asg.inputs).toEqual({
      namePrefix: `${BLUE}-`,
      vpcZoneIdentifiers: subnets,
      minSize: 2,
      maxSize: 2,
      desiredCapacity: 2,
      launchTemplate: {
        id: await idOf(run, A.launchTemplate, `${BLUE}-template`),
        version: "1",
      },
      targetGroupArns: [await outputOf(run, A.targetGroup, `${BLUE}-tg`, "arn")],
      healthCheckType: "ELB",
      healthCheckGracePeriod: 120,
      waitForElbCapacity: 2,
      waitForCapacityTimeout: "15m",
      instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
      enabledMetrics: [
        "GroupDesiredCapacity",
        "GroupInServiceInstances",
        "GroupPendingInstances",
        "GroupTerminatingInstances",
        "GroupTotalInstances",
      ],
      tags: Object.entries(tagsOf(`${BLUE}-asg`, "shop", "aws-prod", "blue")).map(
        ([key, value]) => ({ key, value, propagateAtLaunch: false }),
      ),
    });
    expect(subnets).toEqual(subnets.map(() => expect.stringMatching(/^subnet-[0-9a-f]{17}$/)));
  });

  it("replaces the group with its template, and launches it only behind its colour rule and the egress routes", () => {
    expect(run.get(A.autoScalingGroup, `${BLUE}-asg`).opts).toEqual({
      ...PLAIN_OPTIONS,
      replaceOnChanges: ["launchTemplate"],
      dependsOn: [
        `${A.listenerRule}::shop-aws-prod-lb-blue`,
        `${A.route}::${NET}-public-default`,
        `${A.route}::${NET}-private-default-0`,
        `${A.route}::${NET}-private-default-1`,
        `${A.route}::${NET}-private-default-2`,
      ],
    });
  });
});

describe("AWS ServerGroup (aws-prod, the next update of the deployed stack)", () => {
  let next: Run;
  beforeAll(async () => {
    const previous = await deployed("aws-prod");
    next = await update(previous, "aws-prod", { "phoenix:greenImage": "ami-0123456789abcdef0" });
    if (next.error) throw next.error;
  });

  it("freezes the live colour: its template and group ignore every change that would rebuild its servers", () => {
    expect(next.get(A.serverGroup, BLUE).inputs.frozen).toBe(true);
    expect(next.get(A.launchTemplate, `${BLUE}-template`).opts).toEqual({
      ...PLAIN_OPTIONS,
      replaceOnChanges: ["imageId", "instanceType", "userData"],
      ignoreChanges: ["name", "namePrefix", "imageId", "instanceType", "userData"],
    });
    expect(next.get(A.autoScalingGroup, `${BLUE}-asg`).opts.ignoreChanges).toEqual([
      "launchTemplate",
      "desiredCapacity",
      "minSize",
      "maxSize",
      "waitForElbCapacity",
    ]);
  });

  it("leaves the non-live colour free to be rebuilt from its new image", () => {
    expect(next.get(A.serverGroup, "shop-aws-prod-green").inputs.frozen).toBe(false);
    const template = next.get(A.launchTemplate, "shop-aws-prod-green-template");
    expect(template.inputs.imageId).toBe("ami-0123456789abcdef0");
    expect(template.opts.ignoreChanges).toEqual([]);
    expect(next.get(A.autoScalingGroup, "shop-aws-prod-green-asg").opts.ignoreChanges).toEqual([]);
  });
});

describe("AWS ServerGroup (constructed alone)", () => {
  const args: ServerGroupArgs = {
    colour: "green",
    service: "shop",
    environment: "prod",
    count: 0,
    image: "ami-0123456789abcdef0",
    size: "t3.small",
    vpcId: "vpc-1",
    subnetIds: ["subnet-1"],
    securityGroupId: "sg-1",
    instanceProfileName: "profile",
    appPort: 8080,
    healthCheckPath: "/healthz",
    appEnvironment: {},
  };

  it("refuses a colour without servers before registering anything", async () => {
    const run = await runInMockStack(() => new ServerGroup("g", args));
    expect((run.error as Error).message).toBe(
      "ServerGroup g: count received 0; allowed: a whole number ≥ 1 (a colour without servers has no group)",
    );
    expect(run.resources).toEqual([]);
  });
});
