import { gunzipSync } from "zlib";
import { Props } from "../../components/core/platform/resource-facts";
import { deterministicGzip } from "../../components/vsphere/guestinfo";
import { renderNftablesRuleset } from "../../components/vsphere/nftables";
import { nftablesIngress } from "../../components/vsphere/nftables-ingress";
import { rebuildTrigger } from "../../components/vsphere/rebuild-trigger";
import { evaluate } from "../../policies/evaluate";
import { factsOf } from "../../policies/facts";
import { PolicySubject } from "../../policies/subject";
import { subjectsFromRecorded } from "../../tools/policy-subjects";
import { runStack } from "../../tools/run-stack";
import { SECRETS } from "../helpers/updates";

/**
 * What the policies know about vSphere, from its facts: each seeded fault in an otherwise
 * compliant vsphere-prod stack is caught by exactly the rule that owns it, with its message.
 */

let subjects: PolicySubject[];

beforeAll(async () => {
  const run = await runStack("vsphere-prod", {}, SECRETS);
  if (run.error) throw run.error;
  subjects = subjectsFromRecorded(run.resources);
}, 60_000);

const named = (name: string) => {
  const found = subjects.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no subject ${name}`);
  return found;
};

/** The subjects with one of them changed. */
const withFault = (name: string, change: (s: PolicySubject) => PolicySubject) =>
  subjects.map((s) => (s.name === name ? change(s) : s));

const decode = (value: string) => gunzipSync(Buffer.from(value, "base64")).toString("utf8");
const encode = (text: string) => deterministicGzip(Buffer.from(text, "utf8")).toString("base64");

/** A VM whose guestinfo value is rewritten, with its rebuild trigger kept true to it. */
function rewritten(
  s: PolicySubject,
  key: "userdata" | "metadata",
  edit: (t: string) => string,
): PolicySubject {
  const config = { ...(s.props.extraConfig as Record<string, string>) };
  const before = config[`guestinfo.${key}`] as string;
  const after = edit(decode(before));
  expect(after).not.toBe(decode(before));
  config[`guestinfo.${key}`] = encode(after);
  const uuid = (s.props.clone as { templateUuid: string }).templateUuid;
  return {
    ...s,
    props: { ...s.props, extraConfig: config, replaceTrigger: rebuildTrigger(uuid, config) },
  };
}

const found = (list: PolicySubject[]) =>
  evaluate(list)
    .filter((v) => v.level === "mandatory")
    .map((v) => `${v.policy}: ${v.message}`);

const BLUE0 = "vsphere:index/virtualMachine:VirtualMachine shop-vsphere-prod-blue-0";

describe("seeded faults in vsphere-prod", () => {
  it("the stack as committed passes every mandatory policy", () => {
    expect(found(subjects)).toEqual([]);
  });

  it("a rebuild trigger that does not cover the user data", () => {
    const digest = String(named("shop-vsphere-prod-blue-0").props.replaceTrigger);
    const faulty = withFault("shop-vsphere-prod-blue-0", (s) => ({
      ...s,
      props: { ...s.props, replaceTrigger: "0000000000000000" },
    }));
    expect(found(faulty)).toEqual([
      `servers-rebuilt-on-user-data: ${BLUE0} is rebuilt by replaceTrigger, which must replace it and hold the digest of its image and user data (${digest}); it holds "0000000000000000"`,
    ]);
  });

  it.each<[string, string, (s: PolicySubject) => PolicySubject, string[]]>([
    [
      "metadata that does not redact the user data",
      "shop-vsphere-prod-blue-0",
      (s) => rewritten(s, "metadata", (t) => JSON.stringify({ ...JSON.parse(t), redact: [] })),
      [
        `platform-hardening: ${BLUE0} redacts [] in its cloud-init metadata; it must redact "userdata", so the user data does not stay readable in the VM's configuration`,
      ],
    ],
    [
      "an extraConfig change that reboots",
      "shop-vsphere-prod-blue-0",
      (s) => ({ ...s, props: { ...s.props, extraConfigRebootRequired: true } }),
      [
        `platform-hardening: ${BLUE0} has extraConfigRebootRequired true; it must be false, so a change of extraConfig never reboots a server (a rebuild replaces it)`,
      ],
    ],
    [
      "the app port open to anyone",
      "shop-vsphere-prod-blue-0",
      (s) =>
        rewritten(s, "userdata", (t) =>
          t.replace("ip saddr @load_balancers_v4 tcp dport 8080 accept", "tcp dport 8080 accept"),
        ),
      [
        `app-port-behind-endpoint: ${BLUE0} admits port 8080 from 0.0.0.0/0; the app port may be reached only through the stack's load balancers (from its own private network)`,
      ],
    ],
    [
      "Postgres open to the internet",
      "shop-vsphere-prod-db-server-0",
      (s) =>
        rewritten(s, "userdata", (t) =>
          t.replace("ip saddr @app_servers_v4 tcp dport 5432 accept", "tcp dport 5432 accept"),
        ),
      [
        'firewalls-closed: vsphere:index/virtualMachine:VirtualMachine shop-vsphere-prod-db-server-0 opens Postgres (port 5432, range "5432") to 0.0.0.0/0; admit only named admin CIDRs or the app\'s servers',
        // The database VM is a server to the policies too, so the app-port rule sees the opening as well.
        "app-port-behind-endpoint: vsphere:index/virtualMachine:VirtualMachine shop-vsphere-prod-db-server-0 admits port 5432 from 0.0.0.0/0; the app port may be reached only through the stack's load balancers (from its own private network)",
      ],
    ],
    [
      "a server without its host firewall",
      "shop-vsphere-prod-green-1",
      (s) =>
        rewritten(s, "userdata", (t) =>
          t.replace("path: /etc/nftables.conf", "path: /etc/nftables.d/other.conf"),
        ),
      [
        "servers-firewalled: vsphere:index/virtualMachine:VirtualMachine shop-vsphere-prod-green-1 applies to nothing",
        "servers-firewalled: vsphere:index/virtualMachine:VirtualMachine shop-vsphere-prod-green-1 is behind no firewall: it carries none of the groups a firewall applies to",
      ],
    ],
    [
      "an app server without its colour tag",
      "shop-vsphere-prod-green-1",
      (s) => ({
        ...s,
        props: { ...s.props, annotation: String(s.props.annotation).replace("colour=green\n", "") },
      }),
      [
        "resources-tagged: vsphere:index/virtualMachine:VirtualMachine shop-vsphere-prod-green-1 lacks the tags colour",
      ],
    ],
    [
      "a data disk that would be deleted with its server",
      "shop-vsphere-prod-db-server-0",
      (s) => ({
        ...s,
        props: {
          ...s.props,
          disks: (s.props.disks as Props[]).map((d) =>
            d.attach ? { ...d, keepOnRemove: false } : d,
          ),
        },
      }),
      [
        'platform-hardening: vsphere:index/virtualMachine:VirtualMachine shop-vsphere-prod-db-server-0 attaches disk "data" with keepOnRemove false; it must be true, so deleting the VM leaves the data disk in place',
      ],
    ],
    [
      "an unprotected data disk",
      "shop-vsphere-prod-db-data",
      (s) => ({ ...s, protect: false }),
      [
        "stateful-resources-protected: vsphere:index/virtualDisk:VirtualDisk shop-vsphere-prod-db-data is not protected; stateful resources need protect: true",
      ],
    ],
    [
      "a live switch that sends live traffic to green's servers",
      "shop-vsphere-prod-lb-switch",
      (s) => ({
        ...s,
        propertyDependencies: {
          ...s.propertyDependencies,
          servers: [0, 1, 2].map((i) => named(`shop-vsphere-prod-green-${i}`).urn),
        },
      }),
      [
        "live-serves-one-colour: shop-vsphere-prod-lb-switch serves the servers of green, but live traffic is declared for blue",
      ],
    ],
  ])("%s", (_name, target, fault, expected) => {
    expect(found(withFault(target, fault))).toEqual(expected);
  });

  it("a load balancer's frontends, open to anyone, are its job: its own firewall answers to no app-port rule", () => {
    const lb = named("shop-vsphere-prod-lb-servers-0");
    const ingress =
      factsOf(lb.type)?.firewall?.ingress(lb.props, { urn: lb.urn, refs: {}, stack: [] }) ?? [];
    expect(ingress.find((r) => r.covers(80))?.sources.addresses).toEqual(["0.0.0.0/0"]);
    expect(found(subjects).filter((v) => v.startsWith("app-port-behind-endpoint"))).toEqual([]);
  });
});

describe("nftablesIngress", () => {
  it("reads an app server's ruleset: SSH from the admins, the app port from the load balancers", () => {
    const rules = nftablesIngress(
      renderNftablesRuleset({
        role: "app",
        appPort: 8080,
        loadBalancerAddresses: ["10.0.0.11", "10.0.0.12"],
        adminCidrs: ["203.0.113.0/24"],
      }),
    );
    expect(
      rules.map((r) => [r.protocol, r.ports, r.sources.addresses, r.covers(8080), r.covers(22)]),
    ).toEqual([
      ["tcp", "22", ["203.0.113.0/24"], false, true],
      ["tcp", "8080", ["10.0.0.11/32", "10.0.0.12/32"], true, false],
    ]);
  });

  it("reads a load balancer's: frontends from anywhere, VRRP from its peer (no port)", () => {
    const rules = nftablesIngress(
      renderNftablesRuleset({
        role: "loadBalancer",
        previewPort: 8081,
        vrrpPeerAddress: "10.0.0.12",
      }),
    );
    expect(
      rules.map((r) => [r.protocol, r.ports, r.sources.addresses, r.covers(80), r.covers(8081)]),
    ).toEqual([
      ["tcp", "80,8081", ["0.0.0.0/0"], true, true],
      ["vrrp", "none", ["10.0.0.12/32"], false, false],
    ]);
  });

  it("counts a rule it does not understand as open to everything on every port (fail closed)", () => {
    const ruleset = renderNftablesRuleset({
      role: "database",
      appServerAddresses: ["10.0.0.64/26"],
    }).replace("ip saddr @app_servers_v4 tcp dport 5432 accept", "meta l4proto tcp accept");
    const rules = nftablesIngress(ruleset);
    expect(
      rules.map((r) => [r.protocol, r.ports, r.sources.addresses, r.covers(5432), r.covers(22)]),
    ).toEqual([["all", "all", ["0.0.0.0/0"], true, true]]);
  });
});
