import { DELIVERY_TYPES } from "../../delivery/types";
import { readDeliverySettings } from "../../delivery/settings";
import { discoverStacks } from "../../delivery/phoenix-stacks";
import * as service from "@pulumi/pulumiservice";
import { MockStackRun, unwrap } from "../../tools/mock-stack";
import { PROJECT_DIR } from "../../tools/run-stack";
import { listStacks } from "../../tools/stack-file";
import { projectDir } from "../helpers/project-dir";
import { byName, deliveryRun, yamlOf } from "./delivery-run";

// The delivery program's offline plan, asserted input by input (@pulumi/pulumiservice 1.3.0).
describe("the delivery program (delivery/Pulumi.delivery.yaml)", () => {
  let run: MockStackRun<unknown>;
  const STACKS = listStacks(PROJECT_DIR);
  beforeAll(async () => {
    run = await deliveryRun();
    if (run.error) throw run.error;
  });

  it("covers every committed stack file: an environment and settings each, drift for all but the template", () => {
    expect(STACKS).toContain("pr");
    expect(byName(run, "environment")).toEqual(STACKS.map((s) => `env-${s}`));
    expect(byName(run, "deploymentSettings")).toEqual(STACKS.map((s) => `deploy-${s}`));
    expect(byName(run, "driftSchedule")).toEqual(
      STACKS.filter((s) => s !== "pr").map((s) => `drift-${s}`),
    );
    expect(byName(run, "agentPool")).toEqual(["vcenter-agents"]);
  });

  const paths = (stack: string, ...platforms: string[]) => [
    "Pulumi.yaml",
    `Pulumi.${stack}.yaml`,
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "stacks/**",
    "components/core/**",
    ...platforms.map((p) => `components/${p}/**`),
  ];
  const settings = (stack: string, template: boolean, ...platforms: string[]) => ({
    organization: "organization",
    project: "phoenix",
    stack,
    sourceContext: { git: { branch: "refs/heads/main", repoDir: "." } },
    vcs: {
      provider: "github",
      repository: "example/phoenix",
      deployCommits: !template,
      previewPullRequests: !template,
      pullRequestTemplate: template,
      paths: paths(stack, ...platforms),
    },
    operationContext: {
      options: { skipIntermediateDeployments: true, deleteAfterDestroy: template },
    },
    cacheOptions: { enable: true },
  });

  it.each([
    ["prod", false, ["digitalocean"]],
    ["aws-prod", false, ["aws"]],
    ["pr", true, ["digitalocean"]],
  ])(
    "deploys %s from main on push, previews pull requests (the template only spawns review stacks)",
    (stack, template, platforms) => {
      const r = run.get(DELIVERY_TYPES.deploymentSettings, `deploy-${stack}`);
      expect(r.inputs).toEqual(settings(stack, template, ...platforms));
      expect(r.opts.dependsOn).toEqual([`${DELIVERY_TYPES.environment}::env-${stack}`]);
    },
  );

  it("deploys the vSphere stacks from the self-hosted agent pool inside vCenter's network", async () => {
    const pool = run.get(DELIVERY_TYPES.agentPool, "vcenter-agents");
    expect(pool.inputs).toEqual({
      organizationName: "organization",
      name: "phoenix-vcenter",
      description:
        "Self-hosted deployment agents inside the private network of vCenter, for the vSphere stacks.",
    });
    for (const [stack, dns] of [
      ["vsphere-prod", "aws"],
      ["vsphere-dev", "digitalocean"],
    ] as const) {
      const r = run.get(DELIVERY_TYPES.deploymentSettings, `deploy-${stack}`);
      const platforms = dns === "aws" ? ["aws", "vsphere"] : ["digitalocean", "vsphere"];
      expect(r.inputs).toEqual({
        ...settings(stack, false, ...platforms),
        agentPoolId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(r.inputs.agentPoolId).toBe(
        await unwrap((pool.resource as service.AgentPool).agentPoolId),
      );
      expect(r.propertyDependencies.agentPoolId).toEqual([pool.urn]);
    }
    for (const stack of STACKS.filter((s) => !s.startsWith("vsphere")))
      expect(
        run.get(DELIVERY_TYPES.deploymentSettings, `deploy-${stack}`).inputs.agentPoolId,
      ).toBeUndefined();
  });

  it("puts drift back on every deployed stack every four hours, once its settings exist", () => {
    for (const stack of STACKS.filter((s) => s !== "pr")) {
      const r = run.get(DELIVERY_TYPES.driftSchedule, `drift-${stack}`);
      expect(r.inputs).toEqual({
        organization: "organization",
        project: "phoenix",
        stack,
        scheduleCron: "0 */4 * * *",
        autoRemediate: true,
      });
      expect(r.opts.dependsOn).toEqual([`${DELIVERY_TYPES.deploymentSettings}::deploy-${stack}`]);
    }
  });

  const DO_TOKEN = ["  digitalocean:", "    token:", "      fn::secret: dop_v1_0123456789abcdef"];
  const AWS_LOGIN = (stack: string) => [
    "  aws:",
    "    login:",
    "      fn::open::aws-login:",
    "        oidc:",
    "          duration: 2h",
    "          roleArn: arn:aws:iam::123456789012:role/phoenix-deployments",
    `          sessionName: pulumi-deployments-phoenix-${stack}`,
  ];
  const AWS_VARIABLES = [
    "  environmentVariables:",
    "    AWS_ACCESS_KEY_ID: ${aws.login.accessKeyId}",
    "    AWS_SECRET_ACCESS_KEY: ${aws.login.secretAccessKey}",
    "    AWS_SESSION_TOKEN: ${aws.login.sessionToken}",
  ];
  const VSPHERE = (user: string, password: string, key: string) => [
    "  vsphere:",
    `    user: ${user}`,
    "    password:",
    `      fn::secret: ${password}`,
    "    sshPrivateKey:",
    `      fn::secret: ${key}`,
  ];
  const VSPHERE_CONFIG = [
    "    vsphere:user: ${vsphere.user}",
    "    vsphere:password: ${vsphere.password}",
    "    phoenix:vsphereSshPrivateKey: ${vsphere.sshPrivateKey}",
  ];
  it.each([
    [
      "dev",
      true,
      [...DO_TOKEN, "  pulumiConfig:", "    digitalocean:token: ${digitalocean.token}"],
    ],
    ["aws-prod", false, [...AWS_LOGIN("aws-prod"), ...AWS_VARIABLES]],
    [
      "vsphere-dev",
      true,
      [
        ...DO_TOKEN,
        ...VSPHERE("svc-phoenix-dev@vsphere.local", "lab-password-1", "LAB-KEY-1"),
        "  pulumiConfig:",
        "    digitalocean:token: ${digitalocean.token}",
        ...VSPHERE_CONFIG,
      ],
    ],
    [
      "vsphere-prod",
      true,
      [
        ...AWS_LOGIN("vsphere-prod"),
        ...VSPHERE("svc-phoenix@vsphere.local", "prod-password-2", "PROD-KEY-2"),
        "  pulumiConfig:",
        ...VSPHERE_CONFIG,
        ...AWS_VARIABLES,
      ],
    ],
  ])(
    "gives %s the ESC environment phoenix/<stack> with its platforms' credentials",
    async (stack, secret, lines) => {
      const r = run.get(DELIVERY_TYPES.environment, `env-${stack}`);
      expect({ ...r.inputs, yaml: undefined }).toEqual({
        organization: "organization",
        project: "phoenix",
        name: stack,
        yaml: undefined,
      });
      expect(await yamlOf(r)).toBe(["values:", ...lines, ""].join("\n"));
      // A token or password in it makes the whole document a Pulumi secret.
      expect(r.secretProps).toEqual(secret ? ["yaml"] : []);
    },
  );

  it("exports the stacks, their environments and the agent pool's token as a secret", async () => {
    const outputs = run.result as { stacks: string[]; environments: Record<string, string> };
    expect(outputs.stacks).toEqual(STACKS);
    expect(outputs.environments).toEqual(
      Object.fromEntries(STACKS.map((s) => [s, `phoenix/${s}`])),
    );
  });
});

describe("the delivery program's settings", () => {
  const stacks = discoverStacks(PROJECT_DIR).stacks;
  const base = {
    "phoenix-delivery:repository": "example/phoenix",
    "phoenix-delivery:awsRoleArn": "arn:aws:iam::123456789012:role/phoenix-deployments",
  };

  it("names every missing credential and malformed setting in one error", () => {
    expect(() =>
      readDeliverySettings(
        {
          ...base,
          "phoenix-delivery:driftCron": "hourly",
          "phoenix-delivery:brnach": "release",
          "aws:region": "us-east-1",
          "phoenix-delivery:vsphere": JSON.stringify({
            "vsphere-prod": { password: "p" },
            prod: { password: "p", sshPrivateKey: "k" },
          }),
        },
        stacks,
      ),
    ).toThrow(
      [
        "Invalid delivery configuration (7 problems):",
        "  - phoenix-delivery:brnach: unknown setting (did you mean phoenix-delivery:branch?); allowed: one of repository, branch, driftCron, awsRoleArn, vsphereAgentPool, digitaloceanToken, vsphere",
        '  - phoenix-delivery:driftCron: received "hourly"; allowed: a cron expression of five fields (minute hour day month weekday)',
        "  - phoenix-delivery:digitaloceanToken: received nothing; allowed: the DigitalOcean API token (set with --secret), which stacks dev, legacy, pr, prod, vsphere-dev need",
        "  - phoenix-delivery:vsphere.prod: received secrets for a stack that is not a vSphere stack file; allowed: vsphere-dev, vsphere-prod",
        "  - phoenix-delivery:vsphere.vsphere-dev.password: received nothing; allowed: the stack's vCenter password, set with pulumi config set --secret --path 'phoenix-delivery:vsphere.vsphere-dev.password'",
        "  - phoenix-delivery:vsphere.vsphere-dev.sshPrivateKey: received nothing; allowed: the stack's SSH private key, set with pulumi config set --secret --path 'phoenix-delivery:vsphere.vsphere-dev.sshPrivateKey'",
        "  - phoenix-delivery:vsphere.vsphere-prod.sshPrivateKey: received nothing; allowed: the stack's SSH private key, set with pulumi config set --secret --path 'phoenix-delivery:vsphere.vsphere-prod.sshPrivateKey'",
      ].join("\n"),
    );
  });

  it("refuses a stack file that does not open its own environment, whose platform it cannot serve, or whose review lifetime is out of place", () => {
    const dir = projectDir({
      "Pulumi.yaml": "name: phoenix\nruntime: nodejs\n",
      "Pulumi.a.yaml": "environment:\n  - phoenix/b\nconfig:\n  phoenix:platform: aws\n",
      "Pulumi.c.yaml": "config:\n  phoenix:platform: openstack\n",
      "Pulumi.d.yaml":
        "environment:\n  - phoenix/d\nconfig:\n  phoenix:platform: aws\n  phoenix:reviewTtlHours: 72\n",
      "Pulumi.pr.yaml": "environment:\n  - phoenix/pr\nconfig:\n  phoenix:platform: aws\n",
    });
    expect(discoverStacks(dir).problems).toEqual([
      'Pulumi.a.yaml: environment: received ["phoenix/b"]; allowed: a list naming phoenix/a, the environment this program defines for the stack',
      'Pulumi.c.yaml: phoenix:platform received "openstack"; allowed: digitalocean, aws or vsphere, whose credentials this program provides',
      "Pulumi.d.yaml: phoenix:reviewTtlHours received 72; allowed: nothing outside the review template Pulumi.pr.yaml, as it schedules the stack's destroy and makes its data disposable",
      "Pulumi.pr.yaml: phoenix:reviewTtlHours received nothing; allowed: the hours after which each review stack destroys itself, as one left open would otherwise run until someone destroys it",
    ]);
  });
});
