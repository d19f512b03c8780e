import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { StackOutputs } from "../../components/core/stack-outputs";
import { evaluate, Violation } from "../../policies/evaluate";
import { factsOf, registerPlatformFacts } from "../../policies/facts";
import { serversRebuiltOnUserData } from "../../policies/rules/servers";
import { TypeFacts } from "../../components/core/platform/resource-facts";
import { ResourceRule } from "../../policies/subject";
import { PolicySubject } from "../../policies/subject";
import { MockStackRun } from "../../tools/mock-stack";
import { environmentClaims } from "../../tools/plan/checks/environment-claims";
import { secretExposure } from "../../tools/plan/checks/secrets-stay-secret";
import { subjectsFromRecorded } from "../../tools/policy-subjects";
import { projectDir } from "../helpers/project-dir";
import { deployed, SECRETS } from "../helpers/updates";
import * as fs from "fs";

/**
 * Each class of seeded fault (issue #7), applied to the resources the real prod and legacy
 * stacks register, one change at a time: the policies the pull-request check runs must catch it,
 * with a message that says what is wrong. The unchanged stacks pass (tests/contract).
 */

let prod: MockStackRun<StackOutputs>;
let legacy: MockStackRun<StackOutputs>;
beforeAll(async () => {
  prod = await deployed("prod");
  legacy = await deployed("legacy");
});

const subjects = (run: MockStackRun<StackOutputs>) => subjectsFromRecorded(run.resources);

/** The subjects with one resource changed. */
function changed(
  list: readonly PolicySubject[],
  name: string,
  change: (s: PolicySubject) => Partial<PolicySubject>,
): PolicySubject[] {
  expect(list.some((s) => s.name === name)).toBe(true);
  return list.map((s) => (s.name === name ? { ...s, ...change(s) } : s));
}

/** A resource rule's findings on a subject of a type whose facts the test declares. */
function checkWithFacts(
  rule: ResourceRule,
  types: Record<string, TypeFacts>,
  subject: PolicySubject,
): string[] {
  registerPlatformFacts({ platform: "test", types, databasePorts: [], providerConfig: {} });
  return rule.check(subject, {});
}

/** The mandatory violations, as `policy: message`. */
const found = (list: readonly PolicySubject[]): string[] =>
  evaluate(list)
    .filter((v: Violation) => v.level === "mandatory")
    .map((v) => `${v.policy}: ${v.message}`);

describe("the policies catch each class of seeded fault", () => {
  it("a gate that can never fail: its probe command does more than probe", () => {
    const list = changed(subjects(prod), "shop-prod-lb-gate-blue", (s) => ({
      props: {
        ...s.props,
        create: `${String(s.props.create)} || true`,
        update: `${String(s.props.update)} || true`,
      },
    }));
    expect(found(list)).toEqual([
      "gate-proves-what-goes-live: shop-prod-lb-gate-blue does more than run health-probe.sh (it could pass without probing)",
    ]);
  });

  it("a gate that proves fewer servers than the colour has, or none", () => {
    const fewer = changed(subjects(prod), "shop-prod-lb-gate-blue", (s) => ({
      props: {
        ...s.props,
        create: String(s.props.create).replace("--servers 2", "--servers 1"),
        update: String(s.props.update).replace("--servers 2", "--servers 1"),
      },
    }));
    expect(found(fewer)).toEqual([
      "gate-proves-what-goes-live: shop-prod-lb-gate-blue proves 1 server(s) where the colour has 2",
    ]);
  });

  it("a gate probing the wrong colour, or whose triggers omit the image", () => {
    const wrong = changed(subjects(prod), "shop-prod-lb-gate", (s) => ({
      props: { ...s.props, targets: ["green"] },
    }));
    expect(found(wrong)).toEqual([
      "gate-proves-what-goes-live: shop-prod-lb-gate probes green, but the live endpoint serves blue",
    ]);
    const blind = changed(subjects(prod), "shop-prod-lb-gate", (s) => ({
      props: {
        ...s.props,
        triggers: (s.props.triggers as string[]).filter((t) => !t.startsWith("blue=")),
      },
    }));
    expect(found(blind)).toEqual([
      "gate-proves-what-goes-live: shop-prod-lb-gate does not re-run when blue's image changes (no trigger blue=187654321@...)",
    ]);
  });

  it("the live DNS record pointed at the preview endpoint", () => {
    const list = subjects(prod);
    const preview = list.find((s) => s.name === "shop-prod-dns-preview") as PolicySubject;
    const swapped = changed(list, "shop-prod-dns-live", () => ({
      propertyDependencies: preview.propertyDependencies,
    }));
    expect(found(swapped)).toEqual([
      "live-dns-follows-live-switch: shop-prod-dns-live is the live record but does not point at the live switch (urn:pulumi:prod::phoenix::phoenix:digitalocean:LoadBalancer$digitalocean:index/loadBalancer:LoadBalancer::shop-prod-lb-live)",
    ]);
  });

  it("a database firewall that admits more than this stack's servers", () => {
    const list = changed(subjects(prod), "shop-prod-db-firewall", (s) => ({
      props: {
        ...s.props,
        rules: [...(s.props.rules as object[]), { type: "tag", value: "shop-staging-app" }],
      },
    }));
    expect(found(list)).toEqual([
      'database-admits-own-servers: digitalocean:index/databaseFirewall:DatabaseFirewall shop-prod-db-firewall admits tag "shop-staging-app", which not every server of this stack carries (its servers share shop-prod-app, service:shop, environment:prod, managed-by:phoenix)',
    ]);
  });

  it.each([
    [["0.0.0.0/1", "128.0.0.0/1"], "0.0.0.0/1, 128.0.0.0/1"],
    [
      Array.from({ length: 20 }, (_, i) => `${i + 11}.0.0.0/8`),
      Array.from({ length: 20 }, (_, i) => `${i + 11}.0.0.0/8`).join(", "),
    ],
    [["2000::/3"], "2000::/3"],
  ])("SSH opened to a set of broad ranges: %j", (sources, shown) => {
    const list = changed(subjects(prod), "shop-prod-net-firewall", (s) => ({
      props: {
        ...s.props,
        inboundRules: [
          ...(s.props.inboundRules as object[]).slice(0, 1),
          { protocol: "tcp", portRange: "22", sourceAddresses: sources },
        ],
      },
    }));
    expect(found(list)).toEqual([
      `firewalls-closed: digitalocean:index/firewall:Firewall shop-prod-net-firewall opens SSH (port 22, range "22") to ${shown}; admit only named admin CIDRs or the app's servers`,
    ]);
  });

  it("a firewall that applies to nothing, and servers that leave its tag", () => {
    const nothing = changed(subjects(prod), "shop-prod-net-firewall", (s) => ({
      props: { ...s.props, tags: [] },
    }));
    expect(found(nothing)).toContain(
      "servers-firewalled: digitalocean:index/firewall:Firewall shop-prod-net-firewall applies to nothing",
    );
    const untagged = changed(subjects(prod), "shop-prod-green-1", (s) => ({
      props: { ...s.props, tags: (s.props.tags as string[]).filter((t) => t !== "shop-prod-app") },
    }));
    expect(found(untagged)).toEqual([
      "servers-firewalled: digitalocean:index/droplet:Droplet shop-prod-green-1 is behind no firewall: it carries none of the groups a firewall applies to",
      // ...and the database, which admits the stack's tag, would no longer admit that server.
      'database-admits-own-servers: digitalocean:index/databaseFirewall:DatabaseFirewall shop-prod-db-firewall admits tag "shop-prod-app", which not every server of this stack carries (its servers share service:shop, environment:prod, managed-by:phoenix)',
    ]);
  });

  it("a server outside any server group", () => {
    const list = changed(subjects(prod), "shop-prod-green-1", () => ({ parent: undefined }));
    expect(found(list)).toEqual([
      "servers-in-groups: digitalocean:index/droplet:Droplet shop-prod-green-1 belongs to no server group; every server must be built by one",
    ]);
  });

  it("a database outside the private network, or reached without TLS", () => {
    const outside = changed(subjects(prod), "shop-prod-db-cluster", (s) => ({
      props: { ...s.props, privateNetworkUuid: undefined },
    }));
    expect(found(outside)).toEqual([
      "database-private: digitalocean:index/databaseCluster:DatabaseCluster shop-prod-db-cluster is on no private network; give it the stack's",
    ]);
    const plain = changed(subjects(prod), "shop-prod-green-0", (s) => ({
      props: { ...s.props, userData: String(s.props.userData).replace("?sslmode=require", "") },
    }));
    expect(found(plain)).toEqual([
      "database-over-tls: digitalocean:index/droplet:Droplet shop-prod-green-0 reaches its database without requiring TLS (its DATABASE_URL has no sslmode=require)",
    ]);
  });

  it("a live endpoint that stops redirecting to HTTPS", () => {
    const list = changed(subjects(prod), "shop-prod-lb-live", (s) => ({
      props: { ...s.props, redirectHttpToHttps: false },
    }));
    expect(found(list)).toEqual([
      "live-endpoint-keeps-https: digitalocean:index/loadBalancer:LoadBalancer shop-prod-lb-live must redirect HTTP to HTTPS: its endpoint serves HTTPS",
    ]);
  });

  it("an attachment that would attach before detaching", () => {
    const list = changed(subjects(legacy), "ledger-legacy-blue-data-0-attachment", () => ({
      deleteBeforeReplace: false,
    }));
    expect(found(list)).toEqual([
      "volumes-detach-first: digitalocean:index/volumeAttachment:VolumeAttachment ledger-legacy-blue-data-0-attachment would attach the volume to the new server before detaching it from the old; it needs deleteBeforeReplace: true",
    ]);
  });

  it("a server that ignores its image, and a live one that does not ignore what would replace it", () => {
    const held = changed(subjects(prod), "shop-prod-green-0", () => ({ ignoreChanges: ["image"] }));
    expect(found(held)).toEqual([
      "live-servers-untouched: digitalocean:index/droplet:Droplet shop-prod-green-0 ignores changes of image, so a new release would never reach it",
    ]);
    const exposed = changed(subjects(prod), "shop-prod-blue-0", () => ({ ignoreChanges: [] }));
    expect(found(exposed)).toEqual([
      "live-servers-untouched: digitalocean:index/droplet:Droplet shop-prod-blue-0 serves live traffic but a change of dropletAgent, gpuPartitionMode, image, monitoring, publicNetworking, region, sshKeys, userData, vpcUuid, size would replace, resize or reboot it; it must ignore them until its colour no longer serves",
    ]);
  });

  it("a server whose user data would be updated in place", () => {
    const rule = serversRebuiltOnUserData;
    const droplet = subjects(prod).find((s) => s.name === "shop-prod-green-0") as PolicySubject;
    // DigitalOcean's schema replaces a droplet on user data: nothing to ask of the program.
    expect(rule.check({ ...droplet, replaceOnChanges: [] }, {})).toEqual([]);
    // A platform whose schema updates user data in place (vSphere's extraConfig only reboots):
    const inPlace = { ...droplet, type: "test:index/vm:Vm" };
    const types = { "test:index/vm:Vm": { ...factsOf(droplet.type), replaceOn: ["image"] } };
    expect(checkWithFacts(rule, types, { ...inPlace, replaceOnChanges: [] })).toEqual([
      'test:index/vm:Vm shop-prod-green-0 would be updated in place when its userData changes; it needs replaceOnChanges: ["userData"]',
    ]);
    expect(checkWithFacts(rule, types, { ...inPlace, replaceOnChanges: ["userData"] })).toEqual([]);
    // CrossGuard cannot show replaceOnChanges: unknown is not judged there.
    expect(checkWithFacts(rule, types, { ...inPlace, replaceOnChanges: undefined })).toEqual([]);
  });
});

describe("the plan's own checks catch what CrossGuard cannot see", () => {
  it("app secrets leaving the stack as plain outputs", async () => {
    const secret = JSON.parse(SECRETS["phoenix:appSecrets"]) as Record<string, string>;
    const leaky = {
      ...prod,
      result: { ...prod.result, session: pulumi.output(secret.SESSION_SECRET as string) },
    };
    expect(await secretExposure(leaky as never, SECRETS, "urn:stack")).toEqual([
      {
        policy: "secrets-stay-secret",
        level: "mandatory",
        urn: "urn:stack",
        message:
          "the stack output session holds the value of a secret setting in plain text; keep it a Pulumi secret (pulumi.secret) end to end",
      },
    ]);
    expect(await secretExposure(prod, SECRETS, "urn:stack")).toEqual([]);
  });

  it("one stack claiming another stack's environment (and so its server tag)", () => {
    const root = path.resolve(__dirname, "../..");
    const dir = projectDir({
      "Pulumi.yaml": fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"),
      "Pulumi.prod.yaml": fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8"),
      "Pulumi.dev.yaml": fs
        .readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8")
        .replace("config:\n", "config:\n  phoenix:environment: prod\n"),
    });
    expect(environmentClaims(dir, "dev")).toEqual([
      {
        policy: "stack-owns-its-names",
        level: "mandatory",
        urn: null,
        message:
          "stack dev builds under the same names as stack prod (Pulumi.prod.yaml): shop-prod-*, so prod's database would admit dev's servers (tag shop-prod-app); give each stack its own phoenix:environment",
      },
    ]);
    expect(environmentClaims(root, "dev")).toEqual([]);
  });
});
