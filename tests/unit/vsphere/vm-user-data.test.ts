import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { renderUserData } from "../../../components/core/cloud-init/user-data";
import { AddressPlan } from "../../../components/vsphere/addresses";
import { renderDatabaseUserData } from "../../../components/vsphere/database-user-data";
import { renderKeepalivedConfig } from "../../../components/vsphere/keepalived";
import { renderLoadBalancerUserData } from "../../../components/vsphere/load-balancer-user-data";
import { renderNftablesRuleset } from "../../../components/vsphere/nftables";
import { withFirewall } from "../../../components/vsphere/user-data-firewall";
import { exposedText } from "../../../policies/user-data";
import { makeTempDir, requireTool, run } from "../cloud-init/tools";

/**
 * The user data of every vSphere VM role, checked by the real tools: `cloud-init schema` on the
 * document, `nft -c` on its ruleset, `haproxy -c` on its HAProxy configuration, `keepalived
 * --config-test` on a pair's VRRP configuration, `shellcheck` on every script it installs.
 */

interface WrittenFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}
interface CloudConfig {
  readonly users?: unknown[];
  readonly write_files: WrittenFile[];
  readonly runcmd: string[][];
}

const PAIR: AddressPlan = {
  subnet: "10.120.0.0/24",
  gateway: "10.120.0.1",
  nameservers: ["10.0.0.53"],
  serverBlock: "10.120.0.64/26",
  loadBalancers: ["10.120.0.11", "10.120.0.12"],
  virtualAddress: "10.120.0.10",
  database: "10.120.0.20",
};
const SINGLE: AddressPlan = { ...PAIR, loadBalancers: ["10.120.0.11"], virtualAddress: undefined };
const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3d0Vh7y8mJwF1c2Zt5RkQ9pXnB4sLrT0uE6aYvW2D deploy";

// Made when the module loads: each describe renders and validates its user data once, up front.
const dir = makeTempDir("vsphere-user-data");
let files = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(content: string, name = `file-${++files}`): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Fails unless `cloud-init schema` accepts the document; returns it parsed as cloud-init does. */
function validCloudConfig(userData: string): CloudConfig {
  const r = run(requireTool("cloud-init", "cloud-init"), [
    "schema",
    "--config-file",
    write(userData, `user-data-${++files}.yaml`),
  ]);
  expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({
    status: 0,
    output: expect.stringContaining("Valid cloud-config"),
  });
  return parse(userData, { version: "1.1" }) as CloudConfig;
}

const fileAt = (config: CloudConfig, at: string): WrittenFile => {
  const file = config.write_files.find((f) => f.path === at);
  if (file === undefined) throw new Error(`no ${at} in the user data`);
  return file;
};

function expectTool(command: string, pkg: string, args: string[]): void {
  const r = run(requireTool(command, pkg), args);
  expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({
    status: 0,
    output: expect.any(String),
  });
}

const nftCheck = (ruleset: string) => expectTool("nft", "nftables", ["-c", "-f", write(ruleset)]);
const shellcheck = (script: string) =>
  expectTool("shellcheck", "shellcheck", ["--shell=bash", write(script)]);

describe("an app server's user data with its host firewall", () => {
  const ruleset = renderNftablesRuleset({
    role: "app",
    appPort: 8080,
    loadBalancerAddresses: PAIR.loadBalancers,
    adminCidrs: ["10.0.50.0/24"],
  });
  const app = renderUserData({ service: "shop", environment: { SESSION_SECRET: "s3cr3t" } });
  const config = validCloudConfig(withFirewall(app, ruleset));

  it("installs and loads the ruleset before anything else runs", () => {
    expect(config.write_files[0]).toEqual({
      path: "/etc/nftables.conf",
      owner: "root:root",
      permissions: "0600",
      content: ruleset,
    });
    expect(config.runcmd.slice(0, 3)).toEqual([
      ["nft", "-f", "/etc/nftables.conf"],
      ["systemctl", "enable", "nftables.service"],
      ["systemctl", "daemon-reload"],
    ]);
    nftCheck(ruleset);
  });

  it("keeps everything the app's own user data had, in order", () => {
    const own = parse(app, { version: "1.1" }) as CloudConfig;
    expect(config.write_files.slice(1)).toEqual(own.write_files);
    expect(config.runcmd.slice(2)).toEqual(own.runcmd);
  });

  it("refuses what is not a cloud-config mapping", () => {
    expect(() => withFirewall("#!/bin/sh\necho hi\n", ruleset)).toThrow(
      new Error('user data: received "#!/bin/sh\\necho hi\\n"; allowed: a #cloud-config mapping'),
    );
  });
});

describe.each([
  ["a single load balancer", SINGLE, 0],
  ["the primary of a pair", PAIR, 0],
  ["the secondary of a pair", PAIR, 1],
])("%s's user data", (_name, addresses, index) => {
  const config = validCloudConfig(
    renderLoadBalancerUserData({
      index,
      addresses,
      healthCheckPath: "/healthz",
      adminCidrs: ["10.0.50.0/24"],
      sshUser: "phoenix",
      sshPublicKey: KEY,
    }),
  );
  const pair = addresses.loadBalancers.length === 2;

  it("writes exactly the firewall, HAProxy's configuration and map, Phoenix's two scripts and, for a pair, keepalived and its readiness check", () => {
    expect(config.write_files.map((f) => [f.path, f.permissions])).toEqual([
      ["/etc/nftables.conf", "0600"],
      ["/etc/haproxy/haproxy.cfg", "0644"],
      ["/etc/haproxy/phoenix-routing.map", "0644"],
      ["/usr/local/sbin/phoenix-haproxy-apply", "0755"],
      ["/usr/local/sbin/phoenix-haproxy-switch", "0755"],
      ...(pair
        ? [
            ["/usr/local/sbin/phoenix-lb-ready", "0755"],
            ["/etc/keepalived/keepalived.conf", "0644"],
          ]
        : []),
    ]);
    expect(config.runcmd).toEqual([
      ["nft", "-f", "/etc/nftables.conf"],
      ["systemctl", "enable", "nftables.service"],
      ["systemctl", "enable", "haproxy.service"],
      ["systemctl", "restart", "haproxy.service"],
      ...(pair
        ? [
            ["systemctl", "enable", "keepalived.service"],
            ["systemctl", "restart", "keepalived.service"],
          ]
        : []),
    ]);
  });

  it("configures keepalived for a pair, as keepalived.ts renders it for this node (tested there with keepalived --config-test)", () => {
    const file = config.write_files.find((f) => f.path === "/etc/keepalived/keepalived.conf");
    if (!pair) return expect(file).toBeUndefined();
    expect(file?.content).toBe(
      renderKeepalivedConfig({
        node: index === 0 ? "primary" : "secondary",
        addresses: { primary: "10.120.0.11", secondary: "10.120.0.12" },
        virtualAddress: "10.120.0.10",
        prefixLength: 24,
      }),
    );
  });

  it("lets the runner's user sudo Phoenix's two scripts and nothing else", () => {
    expect(config.users).toEqual([
      "default",
      {
        name: "phoenix",
        shell: "/bin/bash",
        lock_passwd: true,
        ssh_authorized_keys: [KEY],
        sudo: "ALL=(root) NOPASSWD: /usr/local/sbin/phoenix-haproxy-apply, /usr/local/sbin/phoenix-haproxy-switch",
      },
    ]);
  });

  it("admits the frontends from anywhere, SSH from the admins and VRRP only from its peer (nft -c)", () => {
    const ruleset = fileAt(config, "/etc/nftables.conf").content;
    nftCheck(ruleset);
    expect(ruleset).toContain("\t\ttcp dport { 80, 8081 } accept\n");
    expect(ruleset).toContain("\t\tip saddr @admin_v4 tcp dport 22 accept\n");
    const peer = addresses.loadBalancers[1 - index];
    if (pair) expect(ruleset).toContain(`\t\tip saddr ${peer} ip protocol vrrp accept\n`);
    else expect(ruleset).not.toContain("vrrp");
  });

  it("starts HAProxy with empty backends (haproxy -c): servers and routing are pushed, never baked in", () => {
    const cfg = fileAt(config, "/etc/haproxy/haproxy.cfg").content;
    // haproxy -c opens the map file the configuration names: the one the user data writes.
    const map = write(fileAt(config, "/etc/haproxy/phoenix-routing.map").content);
    const local = cfg.split("/etc/haproxy/phoenix-routing.map").join(map);
    const r = run(requireTool("haproxy", "haproxy"), ["-c", "-f", write(local)]);
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({
      status: 0,
      output: expect.stringContaining("Configuration file is valid"),
    });
    expect(cfg).not.toMatch(/^\s+server /m);
    expect(fileAt(config, "/etc/haproxy/phoenix-routing.map").content).toBe(
      "# Phoenix routing state: written by the live switch.\n",
    );
  });

  it("installs scripts that pass shellcheck, byte for byte the repository's", () => {
    for (const [at, file] of [
      ["/usr/local/sbin/phoenix-haproxy-apply", "haproxy-apply.sh"],
      ["/usr/local/sbin/phoenix-haproxy-switch", "haproxy-switch.sh"],
      ...(pair ? [["/usr/local/sbin/phoenix-lb-ready", "lb-ready.sh"]] : []),
    ]) {
      const content = fileAt(config, at as string).content;
      expect(content).toBe(
        fs.readFileSync(
          path.join(__dirname, "../../../components/vsphere", file as string),
          "utf8",
        ),
      );
      shellcheck(content);
    }
  });
});

describe("the database server's user data", () => {
  const userData = renderDatabaseUserData({
    version: "17",
    databaseName: "shop",
    user: "shop",
    password: "pw-Xy7'q\\z-s3cr3t",
    appCidr: "10.120.0.64/26",
    adminCidrs: ["10.0.50.0/24"],
    sshUser: "phoenix",
    sshPublicKey: KEY,
  });
  const config = validCloudConfig(userData);

  it("keeps the password in the root-only environment file alone", () => {
    const env = fileAt(config, "/etc/phoenix/postgresql.env");
    expect(env).toEqual({
      path: "/etc/phoenix/postgresql.env",
      owner: "root:root",
      permissions: "0600",
      content: expect.stringContaining("PHOENIX_DB_PASSWORD="),
    });
    expect(env.content).toContain("s3cr3t");
    expect(exposedText(userData)).not.toContain("s3cr3t");
  });

  it("admits Postgres from the app servers' block only (nft -c)", () => {
    const ruleset = fileAt(config, "/etc/nftables.conf").content;
    nftCheck(ruleset);
    expect(ruleset).toContain("\t\telements = { 10.120.0.64/26 }\n");
    expect(ruleset).toContain("\t\tip saddr @app_servers_v4 tcp dport 5432 accept\n");
  });

  it("mounts the data disk before Postgres starts, never formatting a used one, then sets Postgres up", () => {
    expect(fileAt(config, "/etc/systemd/system/phoenix-data-volume.service").content).toContain(
      "ExecStart=/usr/local/sbin/phoenix-mount-data-volume /dev/disk/by-path/pci-0000:03:00.0-scsi-0:0:1:0 /var/lib/postgresql ext4\n",
    );
    expect(fileAt(config, "/etc/systemd/system/postgresql@.service.d/phoenix.conf").content).toBe(
      "[Unit]\nRequires=phoenix-data-volume.service\nAfter=phoenix-data-volume.service\nAssertPathIsMountPoint=/var/lib/postgresql\n",
    );
    expect(config.runcmd.slice(2)).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "phoenix-data-volume.service"],
      ["/usr/local/sbin/phoenix-postgres-init"],
    ]);
  });

  it("lets the runner's user sudo the release script alone, and every script passes shellcheck", () => {
    expect(config.users?.[1]).toMatchObject({
      name: "phoenix",
      sudo: "ALL=(root) NOPASSWD: /usr/local/sbin/phoenix-postgres-release",
    });
    for (const at of [
      "/usr/local/sbin/phoenix-postgres-init",
      "/usr/local/sbin/phoenix-postgres-release",
      "/usr/local/sbin/phoenix-mount-data-volume",
    ])
      shellcheck(fileAt(config, at).content);
  });
});
