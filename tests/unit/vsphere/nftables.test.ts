// The vSphere host firewall: the exact ruleset of each role, every ruleset rendered here checked
// by nft itself (`nft -c -f`, the Debian nftables package; it needs CAP_NET_ADMIN, which the
// root user running the tests has), the exact errors for bad inputs, and the cloud-init pieces
// that install it, checked by cloud-init's schema. Loading a ruleset for real and probing it:
// tests/servers/nftables-netns.test.ts.
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import {
  FirewallArgs,
  firewallUserDataParts,
  renderNftablesRuleset,
} from "../../../components/vsphere/nftables";
import { makeTempDir, requireTool, run } from "../cloud-init/tools";

let dir: string;
beforeAll(() => {
  dir = makeTempDir("nftables");
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** Runs `nft -c -f` (parse and check against the kernel, load nothing) on a ruleset. */
function nftCheck(ruleset: string): { status: number | null; output: string } {
  const file = path.join(dir, `ruleset-${++files}.nft`);
  fs.writeFileSync(file, ruleset);
  const r = run(requireTool("nft", "nftables"), ["-c", "-f", file]);
  return { status: r.status, output: r.stdout + r.stderr };
}

/** Renders a ruleset and fails unless nft accepts it, silently. */
function render(args: FirewallArgs): string {
  const ruleset = renderNftablesRuleset(args);
  expect(nftCheck(ruleset)).toEqual({ status: 0, output: "" });
  return ruleset;
}

const HEADER = (label: string) => `#!/usr/sbin/nft -f
# Host firewall of a Phoenix ${label}, rendered by Phoenix: do not edit,
# it is replaced with the server. Loading it again replaces only the table below, at once.
table inet phoenix
delete table inet phoenix

table inet phoenix {
`;

const INPUT_HEAD = `\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tiif "lo" accept
\t\t# echo requests beyond the rate, even of a ping already answered
\t\ticmp type echo-request limit rate over 5/second burst 10 packets drop
\t\ticmpv6 type echo-request limit rate over 5/second burst 10 packets drop
\t\tct state established,related accept
\t\tct state invalid drop
\t\ticmp type echo-request accept
\t\ticmpv6 type echo-request accept
\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } ip6 hoplimit 255 accept
`;

const TAIL = `\t}

\tchain forward {
\t\ttype filter hook forward priority filter; policy drop;
\t}

\tchain output {
\t\ttype filter hook output priority filter; policy accept;
\t}
}
`;

describe("renderNftablesRuleset: exact rulesets, each accepted by nft -c", () => {
  it("app: the app port from the load balancers, SSH from the admin CIDRs", () => {
    expect(
      render({
        role: "app",
        appPort: 8080,
        loadBalancerAddresses: ["10.20.0.10", "10.20.0.11"],
        adminCidrs: ["192.168.50.0/24", "10.99.0.0/16"],
      }),
    ).toBe(
      HEADER("app server") +
        `\tset admin_v4 {
\t\ttype ipv4_addr
\t\tflags interval
\t\telements = { 10.99.0.0/16, 192.168.50.0/24 }
\t}

\tset load_balancers_v4 {
\t\ttype ipv4_addr
\t\tflags interval
\t\telements = { 10.20.0.10, 10.20.0.11 }
\t}

` +
        INPUT_HEAD +
        `\t\t# SSH from the admin CIDRs only
\t\tip saddr @admin_v4 tcp dport 22 accept
\t\t# the app from the load balancers only
\t\tip saddr @load_balancers_v4 tcp dport 8080 accept
` +
        TAIL,
    );
  });

  it("database: Postgres (5432 by default) from the app servers, SSH closed without admin CIDRs", () => {
    expect(render({ role: "database", appServerAddresses: ["10.20.1.0/24"] })).toBe(
      HEADER("database server") +
        `\tset app_servers_v4 {
\t\ttype ipv4_addr
\t\tflags interval
\t\telements = { 10.20.1.0/24 }
\t}

` +
        INPUT_HEAD +
        `\t\t# SSH: closed (no admin CIDRs)
\t\t# Postgres from the app servers only
\t\tip saddr @app_servers_v4 tcp dport 5432 accept
` +
        TAIL,
    );
  });

  it("database on another port, with an admin CIDR", () => {
    const ruleset = render({
      role: "database",
      appServerAddresses: ["10.20.1.0/24", "10.20.2.7"],
      postgresPort: 6432,
      adminCidrs: ["10.99.0.5/32"],
    });
    expect(ruleset).toContain("\t\telements = { 10.20.1.0/24, 10.20.2.7 }\n");
    expect(ruleset).toContain("\t\telements = { 10.99.0.5 }\n");
    expect(ruleset).toContain("\t\tip saddr @app_servers_v4 tcp dport 6432 accept\n");
    expect(ruleset).not.toContain("5432");
  });

  it("load balancer of a keepalived pair: 80 and the preview port from anywhere, VRRP from the peer", () => {
    expect(
      render({
        role: "loadBalancer",
        previewPort: 8081,
        vrrpPeerAddress: "10.20.0.11",
        adminCidrs: ["10.30.0.0/24"],
      }),
    ).toBe(
      HEADER("load balancer") +
        `\tset admin_v4 {
\t\ttype ipv4_addr
\t\tflags interval
\t\telements = { 10.30.0.0/24 }
\t}

` +
        INPUT_HEAD +
        `\t\t# SSH from the admin CIDRs only
\t\tip saddr @admin_v4 tcp dport 22 accept
\t\t# the live and preview frontends from anywhere
\t\ttcp dport { 80, 8081 } accept
\t\t# keepalived's VRRP from the other load balancer only
\t\tip saddr 10.20.0.11 ip protocol vrrp accept
` +
        TAIL,
    );
  });

  it("a single load balancer (dev): no VRRP, no set, ports in order", () => {
    expect(render({ role: "loadBalancer", httpPort: 8443, previewPort: 443 })).toBe(
      HEADER("load balancer") +
        INPUT_HEAD +
        `\t\t# SSH: closed (no admin CIDRs)
\t\t# the live and preview frontends from anywhere
\t\ttcp dport { 443, 8443 } accept
` +
        TAIL,
    );
  });

  it("sources are sorted, duplicates and blocks inside other blocks left out (nft refuses overlaps)", () => {
    const messy = render({
      role: "app",
      appPort: 3000,
      loadBalancerAddresses: ["10.20.0.11", "10.20.0.10", "10.20.0.11", "10.20.0.10/32"],
      adminCidrs: ["192.168.50.7", "10.0.0.0/8", "192.168.50.0/24", "10.1.0.0/16", "10.2.3.4"],
    });
    const tidy = render({
      role: "app",
      appPort: 3000,
      loadBalancerAddresses: ["10.20.0.10", "10.20.0.11"],
      adminCidrs: ["10.0.0.0/8", "192.168.50.0/24"],
    });
    expect(messy).toBe(tidy);
    expect(tidy).toContain("\t\telements = { 10.0.0.0/8, 192.168.50.0/24 }\n");
    // Without that tidying, nft refuses the set:
    expect(nftCheck(tidy.replace("10.0.0.0/8, ", "10.0.0.0/8, 10.1.0.0/16, "))).toEqual({
      status: 1,
      output: expect.stringContaining("conflicting intervals specified"),
    });
  });

  it("the extremes of ports and prefixes", () => {
    const ruleset = render({
      role: "app",
      appPort: 65535,
      loadBalancerAddresses: ["255.255.255.255", "0.0.0.1"],
      adminCidrs: ["128.0.0.0/1"],
    });
    expect(ruleset).toContain("elements = { 0.0.0.1, 255.255.255.255 }");
    expect(ruleset).toContain("elements = { 128.0.0.0/1 }");
    expect(render({ role: "loadBalancer", httpPort: 1, previewPort: 65535 })).toContain(
      "tcp dport { 1, 65535 } accept",
    );
  });

  it("nft -c is no rubber stamp: it refuses a broken ruleset", () => {
    const ruleset = renderNftablesRuleset({ role: "database", appServerAddresses: ["10.0.0.0/8"] });
    expect(nftCheck(ruleset.replace("policy drop;", "policy dorp;")).status).toBe(1);
    expect(
      nftCheck(ruleset.replace("ip saddr @app_servers_v4", "ip saddr @app_servers")).status,
    ).toBe(1);
  });
});

describe("renderNftablesRuleset: bad inputs", () => {
  const app = { role: "app", appPort: 8080, loadBalancerAddresses: ["10.20.0.10"] } as const;
  const db = { role: "database", appServerAddresses: ["10.20.1.0/24"] } as const;
  const lb = { role: "loadBalancer", previewPort: 8081 } as const;
  const ADDRESS_FORM = `expected an IPv4 address ("10.20.0.5") or CIDR block ("10.20.0.0/24"), dotted decimal without leading zeros`;

  it.each<[string, unknown, string]>([
    [
      "an unknown role",
      { role: "web", appPort: 80 },
      `Invalid role "web": expected one of "app", "database", "loadBalancer"`,
    ],
    ["port 0", { ...app, appPort: 0 }, "Invalid appPort 0: expected an integer from 1 to 65535"],
    [
      "port 65536",
      { ...db, postgresPort: 65536 },
      "Invalid postgresPort 65536: expected an integer from 1 to 65535",
    ],
    [
      "a fractional port",
      { ...lb, previewPort: 80.5 },
      "Invalid previewPort 80.5: expected an integer from 1 to 65535",
    ],
    [
      "a port as a string",
      { ...lb, httpPort: "80" },
      'Invalid httpPort "80": expected an integer from 1 to 65535',
    ],
    [
      "the app on 22",
      { ...app, appPort: 22 },
      "Invalid appPort 22: 22 is SSH, admitted only from adminCidrs; expected another port",
    ],
    [
      "the preview port equal to the live port",
      { ...lb, httpPort: 8081 },
      "Invalid previewPort 8081: expected a port other than httpPort (8081), the preview frontend must be apart from the live one",
    ],
    [
      "SSH open to everyone",
      { ...app, adminCidrs: ["10.99.0.0/16", "0.0.0.0/0"] },
      'Invalid adminCidrs[1] "0.0.0.0/0": SSH must not be open to every address; expected the addresses or blocks that need it',
    ],
    [
      "Postgres open to everyone",
      { ...db, appServerAddresses: ["0.0.0.0/0"] },
      'Invalid appServerAddresses[0] "0.0.0.0/0": Postgres must not be open to every address; expected the addresses or blocks that need it',
    ],
    [
      "the app open to everyone",
      { ...app, loadBalancerAddresses: ["0.0.0.0/0"] },
      'Invalid loadBalancerAddresses[0] "0.0.0.0/0": the app must not be open to every address; expected the addresses or blocks that need it',
    ],
    [
      "no load balancers",
      { ...app, loadBalancerAddresses: [] },
      "Invalid loadBalancerAddresses []: expected at least one IPv4 address or CIDR block, else nothing could reach the app",
    ],
    [
      "no app servers",
      { ...db, appServerAddresses: [] },
      "Invalid appServerAddresses []: expected at least one IPv4 address or CIDR block, else nothing could reach Postgres",
    ],
    [
      "an octet over 255",
      { ...app, loadBalancerAddresses: ["10.20.0.256"] },
      `Invalid loadBalancerAddresses[0] "10.20.0.256": ${ADDRESS_FORM}`,
    ],
    [
      "a leading zero",
      { ...app, adminCidrs: ["10.020.0.0/16"] },
      `Invalid adminCidrs[0] "10.020.0.0/16": ${ADDRESS_FORM}`,
    ],
    [
      "a prefix over 32",
      { ...db, appServerAddresses: ["10.20.1.0/33"] },
      `Invalid appServerAddresses[0] "10.20.1.0/33": ${ADDRESS_FORM}`,
    ],
    [
      "an IPv6 block",
      { ...db, adminCidrs: ["fd00::/64"] },
      `Invalid adminCidrs[0] "fd00::/64": ${ADDRESS_FORM}`,
    ],
    [
      "a host name",
      { ...app, loadBalancerAddresses: ["lb-1.example.internal"] },
      `Invalid loadBalancerAddresses[0] "lb-1.example.internal": ${ADDRESS_FORM}`,
    ],
    [
      "an injection attempt",
      { ...app, adminCidrs: ["10.0.0.0/8 } ; flush ruleset ; {"] },
      `Invalid adminCidrs[0] "10.0.0.0/8 } ; flush ruleset ; {": ${ADDRESS_FORM}`,
    ],
    [
      "host bits beyond the prefix",
      { ...app, adminCidrs: ["192.168.50.7/24"] },
      'Invalid adminCidrs[0] "192.168.50.7/24": the address has bits set beyond the /24 prefix; expected the block\'s network address (192.168.50.0/24)',
    ],
    [
      "a list given as a string",
      { ...app, adminCidrs: "10.0.0.0/8" },
      'Invalid adminCidrs "10.0.0.0/8": expected a list of IPv4 addresses or CIDR blocks',
    ],
    [
      "a VRRP peer given as a block",
      { ...lb, vrrpPeerAddress: "10.20.0.0/24" },
      'Invalid vrrpPeerAddress "10.20.0.0/24": expected the other load balancer\'s IPv4 address ("10.20.0.11"), dotted decimal without leading zeros',
    ],
    [
      "a VRRP peer out of range",
      { ...lb, vrrpPeerAddress: "10.20.0.300" },
      'Invalid vrrpPeerAddress "10.20.0.300": expected the other load balancer\'s IPv4 address ("10.20.0.11"), dotted decimal without leading zeros',
    ],
  ])("%s", (_, args, message) => {
    expect(() => renderNftablesRuleset(args as FirewallArgs)).toThrow(new Error(message));
  });
});

describe("firewallUserDataParts", () => {
  const ruleset = renderNftablesRuleset({
    role: "app",
    appPort: 8080,
    loadBalancerAddresses: ["10.20.0.10"],
  });

  it("writes /etc/nftables.conf (0600 root), loads it and enables nftables.service", () => {
    expect(nftCheck(ruleset)).toEqual({ status: 0, output: "" });
    expect(firewallUserDataParts(ruleset)).toEqual({
      writeFiles: [
        {
          path: "/etc/nftables.conf",
          owner: "root:root",
          permissions: "0600",
          content: ruleset,
        },
      ],
      runcmd: [
        ["nft", "-f", "/etc/nftables.conf"],
        ["systemctl", "enable", "nftables.service"],
      ],
    });
  });

  it("as cloud-config (rendered as user-data.ts renders), passes cloud-init schema and keeps the ruleset byte for byte", () => {
    const parts = firewallUserDataParts(ruleset);
    const userData = `#cloud-config\n${stringify(
      { write_files: parts.writeFiles, runcmd: parts.runcmd },
      { version: "1.1", lineWidth: 0 },
    )}`;
    const file = path.join(dir, "user-data.yaml");
    fs.writeFileSync(file, userData);
    const r = run(requireTool("cloud-init", "cloud-init"), ["schema", "--config-file", file]);
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({
      status: 0,
      output: expect.stringContaining("Valid cloud-config"),
    });
    const parsed = parse(userData, { version: "1.1" }) as {
      write_files: { content: string; permissions: unknown }[];
    };
    expect(parsed.write_files[0]?.content).toBe(ruleset);
    expect(parsed.write_files[0]?.permissions).toBe("0600");
  });

  it.each([
    ["empty", ""],
    ["another table", "table inet filter {\n}\n"],
  ])("refuses a ruleset that is not Phoenix's (%s)", (_, text) => {
    expect(() => firewallUserDataParts(text)).toThrow(
      new Error(
        `Invalid ruleset ${JSON.stringify(text)}: expected the output of renderNftablesRuleset ` +
          `(a "table inet phoenix" ruleset ending in a newline)`,
      ),
    );
  });
});
