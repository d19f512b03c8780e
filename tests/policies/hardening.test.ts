import { AWS_HARDENING, TLS12_SSL_POLICIES } from "../../components/aws/hardening";
import { AWS_TYPES } from "../../components/aws/types";
import { Props } from "../../components/core/platform/resource-facts";
import { evaluate } from "../../policies/evaluate";
import { registerPlatformFacts } from "../../policies/facts";
import { platformHardening } from "../../policies/rules/hardening";
import { RULES } from "../../policies/rules";
import { ConfigOverrides, PROJECT_DIR, runStack } from "../../tools/run-stack";
import { listStacks, readStackFile } from "../../tools/stack-file";
import { subject } from "./subject-fixture";

/** The checks of one AWS type (it must have some). */
function hardeningOf(type: string): (props: Props) => string[] {
  const check = AWS_HARDENING[type];
  if (check === undefined) throw new Error(`${type} has no hardening checks`);
  return check;
}

/** A compliant resource of each checked type, as the AWS components write it. */
const COMPLIANT: Readonly<Record<string, Props>> = {
  [AWS_TYPES.launchTemplate]: {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" },
    blockDeviceMappings: [
      { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 20, volumeType: "gp3" } },
    ],
  },
  [AWS_TYPES.instance]: {
    metadataOptions: { httpTokens: "required" },
    rootBlockDevice: { encrypted: true, volumeType: "gp3" },
    ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }],
    monitoring: true,
  },
  [AWS_TYPES.volume]: { encrypted: true, size: 20 },
  [AWS_TYPES.loadBalancer]: { loadBalancerType: "application", dropInvalidHeaderFields: true },
  [AWS_TYPES.listener]: {
    protocol: "HTTPS",
    port: 443,
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  },
  [AWS_TYPES.dbInstance]: {
    storageEncrypted: true,
    publiclyAccessible: false,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    skipFinalSnapshot: false,
    autoMinorVersionUpgrade: true,
  },
  [AWS_TYPES.autoScalingGroup]: { healthCheckType: "ELB", healthCheckGracePeriod: 120 },
};

/** Each single fault: the type, what it changes, and exactly the message it must yield. */
const FAULTS: readonly [string, string, (p: Props) => Props, string][] = [
  [
    AWS_TYPES.launchTemplate,
    "IMDSv1 allowed",
    (p) => ({ ...p, metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" } }),
    'requires IMDSv2: metadataOptions.httpTokens is "optional"; set it to "required"',
  ],
  [
    AWS_TYPES.launchTemplate,
    "no metadata options",
    (p) => ({ ...p, metadataOptions: undefined }),
    'requires IMDSv2: metadataOptions.httpTokens is unset; set it to "required"',
  ],
  [
    AWS_TYPES.launchTemplate,
    "no block devices",
    (p) => ({ ...p, blockDeviceMappings: [] }),
    'must encrypt its volumes: blockDeviceMappings is []; map the root device with ebs.encrypted "true"',
  ],
  [
    AWS_TYPES.launchTemplate,
    "block devices unset",
    (p) => ({ ...p, blockDeviceMappings: undefined }),
    'must encrypt its volumes: blockDeviceMappings is unset; map the root device with ebs.encrypted "true"',
  ],
  [
    AWS_TYPES.launchTemplate,
    "an unencrypted device",
    (p) => ({
      ...p,
      blockDeviceMappings: [
        ...(p.blockDeviceMappings as object[]),
        { deviceName: "/dev/sdf", ebs: { encrypted: "false" } },
      ],
    }),
    'must encrypt its volumes: blockDeviceMappings[1].ebs.encrypted is "false"; set it to "true"',
  ],
  [
    AWS_TYPES.launchTemplate,
    "a device without encryption set",
    (p) => ({ ...p, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 20 } }] }),
    'must encrypt its volumes: blockDeviceMappings[0].ebs.encrypted is unset; set it to "true"',
  ],
  [
    AWS_TYPES.instance,
    "IMDSv1 allowed",
    (p) => ({ ...p, metadataOptions: { httpTokens: "optional" } }),
    'requires IMDSv2: metadataOptions.httpTokens is "optional"; set it to "required"',
  ],
  [
    AWS_TYPES.instance,
    "unencrypted root",
    (p) => ({ ...p, rootBlockDevice: { encrypted: false } }),
    "must encrypt its volumes: rootBlockDevice.encrypted is false; set it to true",
  ],
  [
    AWS_TYPES.instance,
    "no root device settings",
    (p) => ({ ...p, rootBlockDevice: undefined }),
    "must encrypt its volumes: rootBlockDevice.encrypted is unset; set it to true",
  ],
  [
    AWS_TYPES.instance,
    "an unencrypted inline EBS device",
    (p) => ({
      ...p,
      ebsBlockDevices: [...(p.ebsBlockDevices as object[]), { deviceName: "/dev/sdg" }],
    }),
    "must encrypt its volumes: ebsBlockDevices[1].encrypted is unset; set it to true",
  ],
  [
    AWS_TYPES.instance,
    "basic monitoring",
    (p) => ({ ...p, monitoring: false }),
    "needs detailed monitoring: monitoring is false; set it to true",
  ],
  [
    AWS_TYPES.instance,
    "monitoring unset",
    (p) => ({ ...p, monitoring: undefined }),
    "needs detailed monitoring: monitoring is unset; set it to true",
  ],
  [
    AWS_TYPES.volume,
    "unencrypted",
    (p) => ({ ...p, encrypted: false }),
    "must be encrypted: encrypted is false; set it to true",
  ],
  [
    AWS_TYPES.volume,
    "encryption unset",
    (p) => ({ ...p, encrypted: undefined }),
    "must be encrypted: encrypted is unset; set it to true",
  ],
  [
    AWS_TYPES.loadBalancer,
    "invalid headers passed on",
    (p) => ({ ...p, dropInvalidHeaderFields: false }),
    "must drop invalid HTTP headers: dropInvalidHeaderFields is false; set it to true",
  ],
  [
    AWS_TYPES.loadBalancer,
    "invalid headers unset (the type's default)",
    () => ({}),
    "must drop invalid HTTP headers: dropInvalidHeaderFields is unset; set it to true",
  ],
  [
    AWS_TYPES.listener,
    "TLS 1.0 policy",
    (p) => ({ ...p, sslPolicy: "ELBSecurityPolicy-2016-08" }),
    'must refuse TLS 1.0 and 1.1: sslPolicy is "ELBSecurityPolicy-2016-08"; set it to a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS-1-2-* or -FS-1-2-*), e.g. "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"',
  ],
  [
    AWS_TYPES.listener,
    "TLS 1.1 policy",
    (p) => ({ ...p, sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06" }),
    'must refuse TLS 1.0 and 1.1: sslPolicy is "ELBSecurityPolicy-TLS13-1-1-2021-06"; set it to a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS-1-2-* or -FS-1-2-*), e.g. "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"',
  ],
  [
    AWS_TYPES.listener,
    "policy unset",
    (p) => ({ ...p, sslPolicy: undefined }),
    'must refuse TLS 1.0 and 1.1: sslPolicy is unset (AWS then uses ELBSecurityPolicy-2016-08); set it to a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS-1-2-* or -FS-1-2-*), e.g. "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"',
  ],
  [
    AWS_TYPES.dbInstance,
    "unencrypted storage",
    (p) => ({ ...p, storageEncrypted: false }),
    "must encrypt its storage: storageEncrypted is false; set it to true",
  ],
  [
    AWS_TYPES.dbInstance,
    "storage encryption unset",
    (p) => ({ ...p, storageEncrypted: undefined }),
    "must encrypt its storage: storageEncrypted is unset; set it to true",
  ],
  [
    AWS_TYPES.dbInstance,
    "publicly accessible",
    (p) => ({ ...p, publiclyAccessible: true }),
    "must not be publicly accessible: publiclyAccessible is true; set it to false",
  ],
  [
    AWS_TYPES.dbInstance,
    "backup retention unset",
    (p) => ({ ...p, backupRetentionPeriod: undefined }),
    "keeps too few backups: backupRetentionPeriod is unset (AWS then keeps 1 day); set it to 7 or more",
  ],
  [
    AWS_TYPES.dbInstance,
    "backups off",
    (p) => ({ ...p, backupRetentionPeriod: 0 }),
    "keeps too few backups: backupRetentionPeriod is 0; set it to 7 or more",
  ],
  [
    AWS_TYPES.dbInstance,
    "six days of backups",
    (p) => ({ ...p, backupRetentionPeriod: 6 }),
    "keeps too few backups: backupRetentionPeriod is 6; set it to 7 or more",
  ],
  [
    AWS_TYPES.dbInstance,
    "no deletion protection",
    (p) => ({ ...p, deletionProtection: false }),
    "needs deletion protection: deletionProtection is false; set it to true",
  ],
  [
    AWS_TYPES.dbInstance,
    "deletion protection unset",
    (p) => ({ ...p, deletionProtection: undefined }),
    "needs deletion protection: deletionProtection is unset; set it to true",
  ],
  [
    AWS_TYPES.dbInstance,
    "final snapshot skipped",
    (p) => ({ ...p, skipFinalSnapshot: true }),
    "must take a final snapshot: skipFinalSnapshot is true; set it to false (with finalSnapshotIdentifier)",
  ],
  [
    AWS_TYPES.dbInstance,
    "minor upgrades off",
    (p) => ({ ...p, autoMinorVersionUpgrade: false }),
    "must take minor version upgrades: autoMinorVersionUpgrade is false; set it to true or leave it unset",
  ],
  [
    AWS_TYPES.autoScalingGroup,
    "EC2 health checks",
    (p) => ({ ...p, healthCheckType: "EC2" }),
    'must replace servers the load balancer finds unhealthy: healthCheckType is "EC2"; set it to "ELB"',
  ],
  [
    AWS_TYPES.autoScalingGroup,
    "health check type unset",
    (p) => ({ ...p, healthCheckType: undefined }),
    'must replace servers the load balancer finds unhealthy: healthCheckType is unset; set it to "ELB"',
  ],
  [
    AWS_TYPES.autoScalingGroup,
    "grace period unset",
    (p) => ({ ...p, healthCheckGracePeriod: undefined }),
    "needs a health check grace period: healthCheckGracePeriod is unset; set it (in seconds)",
  ],
];

describe("AWS hardening checks", () => {
  it("checks exactly the types the coverage table maps to platform-hardening", () => {
    expect(Object.keys(AWS_HARDENING).sort()).toEqual(Object.keys(COMPLIANT).sort());
    expect(Object.values(AWS_TYPES)).toEqual(expect.arrayContaining(Object.keys(AWS_HARDENING)));
  });

  it.each(Object.keys(COMPLIANT))("a compliant %s passes", (type) => {
    expect(hardeningOf(type)(COMPLIANT[type] as Props)).toEqual([]);
  });

  it.each(FAULTS)("%s with %s fails with exactly its message", (type, _fault, change, message) => {
    expect(hardeningOf(type)(change(COMPLIANT[type] as Props))).toEqual([message]);
  });

  it("accepts a launch template's encryption as the boolean true too", () => {
    const check = hardeningOf(AWS_TYPES.launchTemplate);
    const props = COMPLIANT[AWS_TYPES.launchTemplate] as Props;
    expect(
      check({
        ...props,
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true } }],
      }),
    ).toEqual([]);
  });

  it("reports every fault of one resource, each once", () => {
    expect(hardeningOf(AWS_TYPES.dbInstance)({})).toEqual([
      "must encrypt its storage: storageEncrypted is unset; set it to true",
      "keeps too few backups: backupRetentionPeriod is unset (AWS then keeps 1 day); set it to 7 or more",
      "needs deletion protection: deletionProtection is unset; set it to true",
    ]);
    expect(hardeningOf(AWS_TYPES.instance)({})).toHaveLength(3);
  });

  it("accepts every listed TLS 1.2+ policy on HTTPS, and checks no other protocol", () => {
    const check = hardeningOf(AWS_TYPES.listener);
    for (const sslPolicy of TLS12_SSL_POLICIES) {
      expect(check({ protocol: "HTTPS", sslPolicy })).toEqual([]);
    }
    expect(
      TLS12_SSL_POLICIES.every((p) => /^ELBSecurityPolicy-(TLS13-1-2|TLS-1-2|FS-1-2)-/.test(p)),
    ).toBe(true);
    expect(check({ protocol: "HTTP", port: 80 })).toEqual([]);
    expect(
      check({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }),
    ).toHaveLength(1);
  });

  it("asks invalid-header dropping of application load balancers only", () => {
    expect(hardeningOf(AWS_TYPES.loadBalancer)({ loadBalancerType: "network" })).toEqual([]);
  });
});

describe("platform-hardening", () => {
  const BOX = "test:index/box:Box";
  const PLAIN = "test:index/plain:Plain";
  beforeAll(() => {
    registerPlatformFacts({
      platform: "test",
      types: {
        [BOX]: {
          hardening: (props) => [
            ...(props.sealed === true ? [] : [`must be sealed: sealed is ${String(props.sealed)}`]),
            ...(props.locked === true ? [] : [`must be locked: locked is ${String(props.locked)}`]),
          ],
        },
        [PLAIN]: {},
      },
      databasePorts: [],
      providerConfig: {},
    });
  });

  it("is a mandatory resource rule, registered with the others", () => {
    expect(platformHardening.kind).toBe("resource");
    expect(platformHardening.enforcementLevel).toBe("mandatory");
    expect(RULES).toContain(platformHardening);
  });

  it("reports each problem the type's facts find, after its type and name", () => {
    expect(platformHardening.check(subject(BOX, "b", { sealed: true, locked: true }), {})).toEqual(
      [],
    );
    expect(platformHardening.check(subject(BOX, "b", { sealed: true }), {})).toEqual([
      "test:index/box:Box b must be locked: locked is undefined",
    ]);
    expect(platformHardening.check(subject(BOX, "b", {}), {})).toEqual([
      "test:index/box:Box b must be sealed: sealed is undefined",
      "test:index/box:Box b must be locked: locked is undefined",
    ]);
  });

  it("passes types that declare no hardening, and types no platform declares", () => {
    expect(platformHardening.check(subject(PLAIN, "p", {}), {})).toEqual([]);
    expect(platformHardening.check(subject("test:index/unknown:Unknown", "u", {}), {})).toEqual([]);
  });

  it("runs through evaluate as a mandatory policy", () => {
    const found = evaluate([subject(BOX, "b", { sealed: true, locked: false })]).filter(
      (v) => v.policy === "platform-hardening",
    );
    expect(found).toEqual([
      {
        policy: "platform-hardening",
        level: "mandatory",
        urn: "urn:pulumi:prod::phoenix::test:index/box:Box::b",
        message: "test:index/box:Box b must be locked: locked is false",
      },
    ]);
  });
});

/** The committed AWS stack files, and the floating-IP path (an instance and its data volume). */
const AWS_STACKS = listStacks(PROJECT_DIR).filter(
  (s) => readStackFile(PROJECT_DIR, s).config["phoenix:platform"] === "aws",
);
const RUNS: readonly [string, string, ConfigOverrides][] = [
  ...AWS_STACKS.map((s): [string, string, ConfigOverrides] => [s, s, {}]),
  [
    "aws-dev with a floating IP and a data volume",
    "aws-dev",
    { "phoenix:endpoint": "floatingIp", "phoenix:dataVolumeSizeGiB": "20" },
  ],
];
const SECRETS = { "phoenix:appSecrets": '{"SESSION_SECRET":"s3cr3t-session-value"}' };

describe("the AWS stacks pass AWS's hardening checks", () => {
  /** Per run: the problems found, and the checked types it registers. */
  const results = new Map<string, { problems: string[]; types: string[] }>();
  beforeAll(async () => {
    for (const [label, stack, overrides] of RUNS) {
      // As `npm run plan` and the Pulumi CLI read it: the CLI's config rules apply.
      const run = await runStack(stack, overrides, SECRETS, PROJECT_DIR, { cliRules: true });
      if (run.error) throw run.error;
      const checked = run.resources.filter((r) => AWS_HARDENING[r.type] !== undefined);
      results.set(label, {
        problems: checked.flatMap((r) =>
          hardeningOf(r.type)(r.inputs).map((p) => `${r.type} ${r.name} ${p}`),
        ),
        types: checked.map((r) => r.type),
      });
    }
  });

  it("has committed AWS stacks, aws-prod among them", () => {
    expect(AWS_STACKS).toContain("aws-prod");
  });

  it.each(RUNS.map(([label]) => label))("%s", (label) => {
    expect(results.get(label)?.problems).toEqual([]);
  });

  it("between them register every type that has checks", () => {
    const types = new Set([...results.values()].flatMap((r) => r.types));
    expect([...types].sort()).toEqual(Object.keys(AWS_HARDENING).sort());
  });
});
