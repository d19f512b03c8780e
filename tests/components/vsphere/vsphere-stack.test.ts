import * as pulumi from "@pulumi/pulumi";
import { gunzipSync } from "zlib";
import { parse } from "yaml";
import { StackOutputs } from "../../../components/core/stack-outputs";
import { rebuildTrigger } from "../../../components/vsphere/rebuild-trigger";
import { FROZEN_VM_INPUTS } from "../../../components/vsphere/server-group";
import {
  VSPHERE_COMPONENTS,
  VSPHERE_FUNCTIONS,
  VSPHERE_TYPES,
} from "../../../components/vsphere/types";
import { MockStackRun, RecordedResource, unwrap } from "../../../tools/mock-stack";
import { runStack } from "../../../tools/run-stack";
import { deployed, SECRETS } from "../../helpers/updates";

/**
 * What the vSphere platform registers for the committed stacks, through the real stack program
 * under the mock runtime: the lookups by name, each VM's inputs and options, the order of the
 * load balancers' commands, the database's disk and release step, and where DNS goes.
 */

const VM = VSPHERE_TYPES.virtualMachine;
const REMOTE = "command:remote:Command";
let prod: MockStackRun<StackOutputs>;
let dev: MockStackRun<StackOutputs>;
let live: MockStackRun<StackOutputs>;

beforeAll(async () => {
  prod = await runStack("vsphere-prod", {}, SECRETS);
  dev = await runStack("vsphere-dev", {}, SECRETS);
  if (prod.error) throw prod.error;
  if (dev.error) throw dev.error;
  // Deployed and applied again: blue then serves live traffic when the update starts.
  live = await deployed("vsphere-prod");
}, 60_000);

const key = (r: RecordedResource) => `${r.type}::${r.name}`;
const vm = (run: MockStackRun<unknown>, name: string) => run.get(VM, name);

/** The answer of the lookup of a template by name. */
function template(run: MockStackRun<unknown>, name: string): Record<string, unknown> {
  const found = run.invokes.find(
    (i) => i.token === VSPHERE_FUNCTIONS.getVirtualMachine && i.inputs.name === name,
  );
  if (found === undefined) throw new Error(`no lookup of template ${name}`);
  return found.outputs as Record<string, unknown>;
}

/** A guestinfo value of a VM, decoded as cloud-init decodes it. */
function guestinfo(r: RecordedResource, which: "userdata" | "metadata"): string {
  const config = r.inputs.extraConfig as Record<string, string>;
  expect(config[`guestinfo.${which}.encoding`]).toBe("gzip+base64");
  return gunzipSync(Buffer.from(config[`guestinfo.${which}`] as string, "base64")).toString("utf8");
}

describe("lookups", () => {
  it("finds the datacenter, cluster, datastore, port group and each template by name, in the datacenter", () => {
    const dc = prod.invokes.find((i) => i.token === VSPHERE_FUNCTIONS.getDatacenter);
    expect(dc?.inputs).toEqual({ name: "ams-dc1" });
    const datacenterId = dc?.outputs.id;
    const named = (token: string) =>
      prod.invokes.filter((i) => i.token === token).map((i) => i.inputs);
    expect(named(VSPHERE_FUNCTIONS.getComputeCluster)).toEqual([
      { name: "ams-prod-cl01", datacenterId },
    ]);
    expect(named(VSPHERE_FUNCTIONS.getDatastore)).toEqual([
      { name: "ams-vsan-prod", datacenterId },
    ]);
    expect(named(VSPHERE_FUNCTIONS.getNetwork)).toEqual([
      { name: "pg-shop-prod-vlan120", datacenterId },
    ]);
    expect(
      named(VSPHERE_FUNCTIONS.getVirtualMachine)
        .map((i) => i.name)
        .sort(),
    ).toEqual([
      "haproxy-debian12-2026.11.1",
      "postgres-17-debian12-2026.11.1",
      "shop-1.4.2-202611181030",
      "shop-1.5.0-202611241415",
    ]);
  });
});

describe("an app server", () => {
  it("is cloned from its colour's template with its size, on the looked-up cluster, datastore and port group", () => {
    const blue = template(prod, "shop-1.4.2-202611181030");
    const cluster = prod.invokes.find((i) => i.token === VSPHERE_FUNCTIONS.getComputeCluster);
    const datastore = prod.invokes.find((i) => i.token === VSPHERE_FUNCTIONS.getDatastore);
    const network = prod.invokes.find((i) => i.token === VSPHERE_FUNCTIONS.getNetwork);
    const { extraConfig, replaceTrigger, annotation, ...rest } = vm(
      prod,
      "shop-vsphere-prod-blue-0",
    ).inputs;
    expect(rest).toEqual({
      name: "shop-vsphere-prod-blue-0",
      resourcePoolId: cluster?.outputs.resourcePoolId,
      datastoreId: datastore?.outputs.id,
      folder: "phoenix/shop-prod",
      numCpus: 4,
      memory: 8192,
      guestId: blue.guestId,
      firmware: blue.firmware,
      networkInterfaces: [{ networkId: network?.outputs.id, adapterType: "vmxnet3" }],
      disks: [{ label: "disk0", size: 20, thinProvisioned: true, unitNumber: 0 }],
      clone: { templateUuid: blue.uuid },
      extraConfigRebootRequired: false,
      enableDiskUuid: true,
      waitForGuestNetTimeout: 10,
    });
    expect(annotation).toBe(
      "shop vsphere-prod blue app server 0, from template shop-1.4.2-202611181030\n\nservice=shop\nenvironment=vsphere-prod\ncolour=blue\nmanaged-by=phoenix\nrole=app",
    );
    // The rebuild trigger is the digest of the template and everything cloud-init reads.
    expect(replaceTrigger).toBe(
      rebuildTrigger(blue.uuid as string, extraConfig as Record<string, string>),
    );
  });

  it("gets its address, gateway and resolvers from the metadata, and cloud-init redacts its user data", () => {
    expect(JSON.parse(guestinfo(vm(prod, "shop-vsphere-prod-green-2"), "metadata"))).toEqual({
      "instance-id": "shop-vsphere-prod-green-2",
      "local-hostname": "shop-vsphere-prod-green-2",
      network: {
        version: 2,
        ethernets: {
          primary: {
            match: { name: "en*" },
            dhcp4: false,
            addresses: ["10.120.0.98/24"],
            routes: [{ to: "0.0.0.0/0", via: "10.120.0.1" }],
            nameservers: { addresses: ["10.0.0.53", "10.0.1.53"] },
          },
        },
      },
      redact: ["userdata", "userdata.encoding"],
    });
  });

  it("carries the app's environment and a firewall admitting the app port from the two load balancers only", () => {
    const userData = parse(guestinfo(vm(prod, "shop-vsphere-prod-blue-1"), "userdata"), {
      version: "1.1",
    }) as { write_files: { path: string; content: string }[] };
    const files = Object.fromEntries(userData.write_files.map((f) => [f.path, f.content]));
    expect(files["/etc/phoenix/shop.env"]).toContain('SESSION_SECRET="first-session-secret"');
    expect(files["/etc/phoenix/shop.env"]).toMatch(
      /^DATABASE_URL="postgresql:\/\/shop:.+@10\.120\.0\.20:5432\/shop\?sslmode=require"$/m,
    );
    expect(files["/etc/nftables.conf"]).toContain("\t\telements = { 10.120.0.11, 10.120.0.12 }\n");
    expect(files["/etc/nftables.conf"]).toContain(
      "\t\tip saddr @load_balancers_v4 tcp dport 8080 accept\n",
    );
  });

  it("keeps its extraConfig a secret (it carries the app's secrets)", async () => {
    const resource = vm(prod, "shop-vsphere-prod-blue-0").resource as unknown as {
      extraConfig: pulumi.Output<unknown>;
    };
    expect(await pulumi.isSecret(resource.extraConfig)).toBe(true);
    expect(vm(prod, "shop-vsphere-prod-blue-0").secretProps).toContain("extraConfig");
  });

  it("is rebuilt, never patched, the old one first (it takes its address), and ignores nothing unless its colour serves", () => {
    for (const run of [prod, dev])
      for (const r of run.ofType(VM).filter((v) => /-(blue|green)-\d$/.test(v.name)))
        expect({ vm: key(r), ...r.opts }).toMatchObject({
          vm: key(r),
          replaceOnChanges: ["clone.templateUuid", "replaceTrigger"],
          deleteBeforeReplace: true,
          ignoreChanges: [],
        });
  });

  it("serving live traffic, ignores every change that would rebuild, power off or reboot it", () => {
    for (const i of [0, 1, 2]) {
      expect(vm(live, `shop-vsphere-prod-blue-${i}`).opts.ignoreChanges).toEqual([
        ...FROZEN_VM_INPUTS,
      ]);
      expect(vm(live, `shop-vsphere-prod-green-${i}`).opts.ignoreChanges).toEqual([]);
    }
  });

  it("is kept on another host than the rest of its colour by a DRS rule", async () => {
    const rule = prod.get(
      VSPHERE_TYPES.computeClusterVmAntiAffinityRule,
      "shop-vsphere-prod-green-spread",
    );
    const cluster = prod.invokes.find((i) => i.token === VSPHERE_FUNCTIONS.getComputeCluster);
    const ids = await Promise.all(
      [0, 1, 2].map((i) =>
        unwrap((vm(prod, `shop-vsphere-prod-green-${i}`).resource as pulumi.CustomResource).id),
      ),
    );
    expect(rule.inputs).toEqual({
      name: "shop-vsphere-prod-green-spread",
      computeClusterId: cluster?.outputs.id,
      virtualMachineIds: ids,
    });
    // One server has no other to keep apart from.
    expect(dev.ofType(VSPHERE_TYPES.computeClusterVmAntiAffinityRule)).toEqual([]);
  });
});

describe("the load balancers", () => {
  it("are two VMs from the HAProxy template at their own addresses, in a group of their own", () => {
    const servers = prod.get(
      VSPHERE_COMPONENTS.loadBalancerServers,
      "shop-vsphere-prod-lb-servers",
    );
    expect(servers.inputs).toEqual({
      role: "loadBalancer",
      count: 2,
      image: "haproxy-debian12-2026.11.1",
      frozen: false,
    });
    for (const i of [0, 1]) {
      const r = vm(prod, `shop-vsphere-prod-lb-servers-${i}`);
      expect(r.parent).toBe(key(servers));
      expect(r.inputs.clone).toEqual({
        templateUuid: template(prod, "haproxy-debian12-2026.11.1").uuid,
      });
      expect(JSON.parse(guestinfo(r, "metadata")).network.ethernets.primary.addresses).toEqual([
        `10.120.0.1${i + 1}/24`,
      ]);
      expect(r.opts.deleteBeforeReplace).toBe(true);
    }
  });

  it("get each colour's servers pushed as haproxy.cfg, checked and reloaded hitlessly, once their VM exists", () => {
    for (const i of [0, 1]) {
      const config = prod.get(REMOTE, `shop-vsphere-prod-lb-config-${i}`);
      const { stdin, ...rest } = config.inputs as { stdin: string };
      expect(rest).toMatchObject({
        connection: {
          host: `10.120.0.1${i + 1}`,
          user: "phoenix",
          dialErrorLimit: 30,
          perDialTimeout: 10,
        },
        create: "sudo -n /usr/local/sbin/phoenix-haproxy-apply",
      });
      for (const [n, address] of [
        ["blue-0", "10.120.0.64"],
        ["blue-2", "10.120.0.66"],
        ["green-0", "10.120.0.96"],
        ["green-2", "10.120.0.98"],
      ])
        expect(stdin).toContain(`    server ${n} ${address}:8080 cookie ${n}\n`);
      expect(config.opts.dependsOn).toEqual([`${VM}::shop-vsphere-prod-lb-servers-${i}`]);
    }
  });

  it("prove the live colour through the first load balancer's preview frontend, each server by its cookie, after its config", () => {
    const gate = prod.get("phoenix:core:HealthGate", "shop-vsphere-prod-lb-gate");
    expect(gate.opts.dependsOn).toEqual([`${REMOTE}::shop-vsphere-prod-lb-config-0`]);
    const probe = prod.get("command:local:Command", "shop-vsphere-prod-lb-gate-blue");
    expect(probe.inputs.create).toBe(
      "bash components/core/health-probe.sh --url http://10.120.0.11:8081/healthz --successes 5 --timeout 600 --interval 5 --request-timeout 5 --header 'X-Phoenix-Colour: blue' --servers 3 --affinity-cookie PHOENIX_SERVER",
    );
  });

  it("are built (and rebuilt) one after the other: the second waits for the first one's routing", () => {
    expect(vm(prod, "shop-vsphere-prod-lb-servers-0").opts.dependsOn).toEqual([]);
    expect(vm(prod, "shop-vsphere-prod-lb-servers-1").opts.dependsOn).toEqual([
      `${REMOTE}::shop-vsphere-prod-lb-switch-0`,
    ]);
  });

  it("switch the routing on each load balancer only after the gate, with the map on stdin", () => {
    const sw = prod.get(VSPHERE_COMPONENTS.liveSwitch, "shop-vsphere-prod-lb-switch");
    expect(sw.opts.dependsOn).toEqual(["phoenix:core:HealthGate::shop-vsphere-prod-lb-gate"]);
    for (const i of [0, 1]) {
      const command = prod.get(REMOTE, `shop-vsphere-prod-lb-switch-${i}`);
      expect(command.parent).toBe(key(sw));
      expect(command.inputs.create).toBe(
        "sudo -n /usr/local/sbin/phoenix-haproxy-switch /etc/haproxy/phoenix-routing.map /run/haproxy/admin.sock 'set map /etc/haproxy/phoenix-routing.map blue_percent 100' 'set map /etc/haproxy/phoenix-routing.map preview be_green'",
      );
      expect(command.inputs.stdin).toBe(
        "# Phoenix routing state: written by haproxy-switch.sh before the Runtime API commands.\n# Live: blue (blue 100 %, green 0 %). Preview: green.\nblue_percent 100\npreview be_green\n",
      );
      expect(command.opts.dependsOn).toEqual([
        "phoenix:core:HealthGate::shop-vsphere-prod-lb-gate",
        `${REMOTE}::shop-vsphere-prod-lb-config-${i}`,
      ]);
    }
  });

  it("serve live on the virtual address and the preview on its port 8081", async () => {
    expect(await unwrap(prod.result.liveUrl)).toBe("http://shop-ams.example.com/");
    expect(await unwrap(prod.result.previewUrl as pulumi.Output<string>)).toBe(
      "http://shop-ams-preview.example.com:8081/",
    );
  });
});

describe("the database", () => {
  it("keeps its data on a protected, retained VMDK in its own folder", () => {
    const disk = prod.get(VSPHERE_TYPES.virtualDisk, "shop-vsphere-prod-db-data");
    expect(disk.inputs).toEqual({
      vmdkPath: "phoenix-data/shop-prod/shop-vsphere-prod-postgres-data.vmdk",
      datastore: "ams-vsan-prod",
      size: 200,
      type: "thin",
      createDirectories: true,
    });
    expect(disk.opts).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("attaches it to a server deleted before its replacement and never powered off mid-shutdown", () => {
    const server = vm(prod, "shop-vsphere-prod-db-server-0");
    const datastore = prod.invokes.find((i) => i.token === VSPHERE_FUNCTIONS.getDatastore);
    expect(server.inputs.disks).toEqual([
      { label: "disk0", size: 20, thinProvisioned: true, unitNumber: 0 },
      {
        label: "data",
        attach: true,
        path: "phoenix-data/shop-prod/shop-vsphere-prod-postgres-data.vmdk",
        datastoreId: datastore?.outputs.id,
        unitNumber: 1,
        keepOnRemove: true,
      },
    ]);
    expect(server.inputs).toMatchObject({
      numCpus: 8,
      memory: 32768,
      forcePowerOff: false,
      shutdownWaitTimeout: 5,
    });
    expect(server.opts).toMatchObject({ deleteBeforeReplace: true, ignoreChanges: [] });
    expect(server.parent).toBe(`${VSPHERE_COMPONENTS.databaseServer}::shop-vsphere-prod-db-server`);
  });

  it("stops Postgres and unmounts the disk over SSH before the server goes", async () => {
    const release = prod.get(REMOTE, "shop-vsphere-prod-db-server-release");
    const id = await unwrap(
      (vm(prod, "shop-vsphere-prod-db-server-0").resource as pulumi.CustomResource).id,
    );
    expect(release.inputs).toMatchObject({
      connection: { host: "10.120.0.20", user: "phoenix" },
      delete: "sudo -n /usr/local/sbin/phoenix-postgres-release /var/lib/postgresql",
      triggers: [id],
    });
    expect(release.inputs.create).toBeUndefined();
    expect(release.opts.dependsOn).toEqual([`${VM}::shop-vsphere-prod-db-server-0`]);
  });

  it("gives the app DATABASE_URL, a secret, with a generated password", async () => {
    const uri = prod.result.databaseUri as pulumi.Output<string>;
    expect(await pulumi.isSecret(uri)).toBe(true);
    expect(await unwrap(uri)).toBe(
      "postgresql://shop:mock-shop-vsphere-prod-db-password-0123456789abcdef@10.120.0.20:5432/shop?sslmode=require",
    );
    expect(
      prod.get("random:index/randomPassword:RandomPassword", "shop-vsphere-prod-db-password")
        .inputs,
    ).toEqual({
      length: 32,
      special: false,
    });
  });
});

describe("DNS, on the platform the stack chooses", () => {
  it("vsphere-prod: Route53 A records in its hosted zone, live and preview on the load balancers' address", () => {
    const records = prod.ofType("aws:route53/record:Record");
    expect(records.map((r) => [r.name, r.inputs])).toEqual([
      [
        "shop-vsphere-prod-dns-live",
        {
          zoneId: "Z04517273VCLIDX9UJ6KE",
          name: "shop-ams.example.com",
          type: "A",
          records: ["10.120.0.10"],
          ttl: 60,
        },
      ],
      [
        "shop-vsphere-prod-dns-preview",
        {
          zoneId: "Z04517273VCLIDX9UJ6KE",
          name: "shop-ams-preview.example.com",
          type: "A",
          records: ["10.120.0.10"],
          ttl: 60,
        },
      ],
    ]);
    // The live record is written after the switch: it depends on it.
    expect(records[0]?.propertyDependencies.records).toContain(
      `urn:pulumi:vsphere-prod::phoenix::phoenix:vsphere:LoadBalancer$phoenix:vsphere:LiveSwitch::shop-vsphere-prod-lb-switch`,
    );
  });

  it("vsphere-dev: a DigitalOcean record for live alone (green has no servers)", () => {
    expect(
      dev.ofType("digitalocean:index/dnsRecord:DnsRecord").map((r) => [r.name, r.inputs]),
    ).toEqual([
      [
        "shop-vsphere-dev-dns-live",
        { domain: "dev.example.com", name: "shop", type: "A", value: "10.220.0.10", ttl: 60 },
      ],
    ]);
    expect(dev.ofType("aws:route53/record:Record")).toEqual([]);
  });
});
