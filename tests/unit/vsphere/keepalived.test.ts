// The keepalived pair in front of the vSphere load balancers: the exact keepalived.conf of each
// VM, each checked by keepalived itself (`keepalived --config-test`, the Debian keepalived
// package), and the exact errors for bad inputs. keepalived's check refuses an interface that does
// not exist, so it runs in a network namespace of its own (`unshare --net`, util-linux; it needs
// root, like the nft checks) holding a veth interface (iproute2) named as the rendered one.
import * as fs from "fs";
import * as path from "path";
import { KeepalivedArgs, renderKeepalivedConfig } from "../../../components/vsphere/keepalived";
import { makeTempDir, requireTool, run } from "../cloud-init/tools";

let dir: string;
/** A stand-in for /usr/local/sbin holding the real readiness check, root-owned as keepalived wants. */
let sbin: string;
beforeAll(() => {
  dir = makeTempDir("keepalived");
  sbin = path.join(dir, "sbin");
  fs.mkdirSync(sbin, { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  fs.copyFileSync(
    path.join(__dirname, "../../../components/vsphere/lb-ready.sh"),
    path.join(sbin, "phoenix-lb-ready"),
  );
  fs.chmodSync(path.join(sbin, "phoenix-lb-ready"), 0o755);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/**
 * Runs `keepalived --config-test` on a configuration, in a new network namespace holding an
 * interface named `interfaceName`, and a mount namespace where /usr/local/sbin holds the
 * readiness check the load balancer's user data installs (keepalived refuses a missing one).
 */
function configTest(
  config: string,
  interfaceName = "ens192",
): { status: number | null; output: string } {
  const keepalived = requireTool("keepalived", "keepalived");
  const unshare = requireTool("unshare", "util-linux");
  const ip = requireTool("ip", "iproute2");
  const file = path.join(dir, `keepalived-${++files}.conf`);
  fs.writeFileSync(file, config);
  const r = run(unshare, [
    "--net",
    "--mount",
    "--",
    "/bin/sh",
    "-c",
    'set -e; mount --make-rprivate /; mount --bind "$5" /usr/local/sbin; "$1" link add "$2" type veth peer name phx-peer; exec "$3" --config-test -f "$4"',
    "sh",
    ip,
    interfaceName,
    keepalived,
    file,
    sbin,
  ]);
  return { status: r.status, output: r.stdout + r.stderr };
}

/** Renders a configuration and fails unless keepalived accepts it, silently. */
function render(args: KeepalivedArgs, interfaceName?: string): string {
  const config = renderKeepalivedConfig(args);
  expect(configTest(config, interfaceName)).toEqual({ status: 0, output: "" });
  return config;
}

const PAIR: Omit<KeepalivedArgs, "node"> = {
  addresses: { primary: "10.20.0.11", secondary: "10.20.0.12" },
  virtualAddress: "10.20.0.10",
  prefixLength: 24,
};

const GLOBAL_AND_CHECK = `global_defs {
    # Check scripts run as root and must be owned by root and writable by root only.
    enable_script_security
    script_user root
}

vrrp_script chk_haproxy {
    # HAProxy runs, and a live switch has given this node the routing (lb-ready.sh).
    script "/usr/local/sbin/phoenix-lb-ready"
    interval 2
    timeout 1
    fall 2
    rise 2
    # Weight 0: a failed check puts this node in FAULT, which releases the address.
    # (A weight would only lower the priority, which nopreempt ignores.)
    weight 0
}
`;

describe("renderKeepalivedConfig: exact files, each accepted by keepalived --config-test", () => {
  it("primary: priority 150, adverts to the secondary", () => {
    expect(render({ ...PAIR, node: "primary" })).toBe(
      `# Rendered by Phoenix (components/vsphere/keepalived.ts): do not edit by hand.
# Load balancer pair on ens192 sharing 10.20.0.10/24: this is the primary (10.20.0.11),
# its peer the secondary (10.20.0.12). VRRP version 3, unicast, no authentication.
${GLOBAL_AND_CHECK}
vrrp_instance phoenix_lb {
    # Both nodes start as BACKUP and never take the address back from a healthy peer.
    state BACKUP
    nopreempt
    version 3
    interface ens192
    virtual_router_id 10
    priority 150
    advert_int 1
    # Unicast adverts: vSphere networks often drop multicast.
    unicast_src_ip 10.20.0.11
    unicast_peer {
        10.20.0.12
    }
    check_unicast_src
    virtual_ipaddress {
        10.20.0.10/24 dev ens192
    }
    track_script {
        chk_haproxy
    }
    # Gratuitous ARP: at once, again after 1 s, then every 60 s while MASTER.
    garp_master_delay 1
    garp_master_refresh 60
}
`,
    );
  });

  it("secondary: priority 100, adverts to the primary, the same router id and address", () => {
    expect(render({ ...PAIR, node: "secondary" })).toBe(
      `# Rendered by Phoenix (components/vsphere/keepalived.ts): do not edit by hand.
# Load balancer pair on ens192 sharing 10.20.0.10/24: this is the secondary (10.20.0.12),
# its peer the primary (10.20.0.11). VRRP version 3, unicast, no authentication.
${GLOBAL_AND_CHECK}
vrrp_instance phoenix_lb {
    # Both nodes start as BACKUP and never take the address back from a healthy peer.
    state BACKUP
    nopreempt
    version 3
    interface ens192
    virtual_router_id 10
    priority 100
    advert_int 1
    # Unicast adverts: vSphere networks often drop multicast.
    unicast_src_ip 10.20.0.12
    unicast_peer {
        10.20.0.11
    }
    check_unicast_src
    virtual_ipaddress {
        10.20.0.10/24 dev ens192
    }
    track_script {
        chk_haproxy
    }
    # Gratuitous ARP: at once, again after 1 s, then every 60 s while MASTER.
    garp_master_delay 1
    garp_master_refresh 60
}
`,
    );
  });

  it("takes the interface, router id and priorities given, on a wider network", () => {
    const args: Omit<KeepalivedArgs, "node"> = {
      addresses: { primary: "172.16.4.2", secondary: "172.16.9.3" },
      virtualAddress: "172.16.0.1",
      prefixLength: 20,
      interfaceName: "ens224",
      virtualRouterId: 201,
      priorities: { primary: 200, secondary: 199 },
    };
    const primary = render({ ...args, node: "primary" }, "ens224");
    const secondary = render({ ...args, node: "secondary" }, "ens224");
    for (const [config, self, peer, priority] of [
      [primary, "172.16.4.2", "172.16.9.3", 200],
      [secondary, "172.16.9.3", "172.16.4.2", 199],
    ] as const) {
      expect(config).toContain(
        `    interface ens224\n    virtual_router_id 201\n    priority ${priority}\n`,
      );
      expect(config).toContain(
        `    unicast_src_ip ${self}\n    unicast_peer {\n        ${peer}\n    }\n`,
      );
      expect(config).toContain("        172.16.0.1/20 dev ens224\n");
    }
  });

  it("derives the router id from the last octet of the virtual address", () => {
    const config = render({
      ...PAIR,
      node: "primary",
      virtualAddress: "10.20.0.254",
      addresses: { primary: "10.20.0.1", secondary: "10.20.0.2" },
    });
    expect(config).toContain("    virtual_router_id 254\n");
  });
});

describe("keepalived --config-test is a real check", () => {
  it("refuses the same file with VRRPv2-style authentication added (VRRPv3 has none)", () => {
    const withAuth = renderKeepalivedConfig({ ...PAIR, node: "primary" }).replace(
      "    nopreempt\n",
      "    nopreempt\n    authentication {\n        auth_type PASS\n        auth_pass s3cret\n    }\n",
    );
    const r = configTest(withAuth);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("VRRP version 3 does not support authentication");
  });

  it("refuses a file whose interface does not exist", () => {
    const r = configTest(renderKeepalivedConfig({ ...PAIR, node: "primary" }), "eth9");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("interface ens192 for vrrp_instance phoenix_lb doesn't exist");
  });
});

describe("renderKeepalivedConfig: bad inputs", () => {
  const base: KeepalivedArgs = { ...PAIR, node: "primary" };
  const cases: [string, Record<string, unknown>, string][] = [
    ["node", { node: "a" }, 'node: received "a"; allowed: "primary" or "secondary"'],
    [
      "addresses",
      { addresses: undefined },
      "addresses: received undefined; allowed: an object with the primary's and the secondary's IPv4 address",
    ],
    [
      "a host name",
      { addresses: { primary: "lb-a.example.com", secondary: "10.20.0.12" } },
      'addresses.primary: received "lb-a.example.com"; allowed: an IPv4 address such as 10.20.0.10 (no host names, no prefix)',
    ],
    [
      "an IPv6 address",
      { addresses: { primary: "10.20.0.11", secondary: "fd00::12" } },
      'addresses.secondary: received "fd00::12"; allowed: an IPv4 address such as 10.20.0.10 (no host names, no prefix)',
    ],
    [
      "the same address twice",
      { addresses: { primary: "10.20.0.11", secondary: "10.20.0.11" } },
      'addresses.secondary: received "10.20.0.11"; allowed: an address other than addresses.primary',
    ],
    [
      "a virtual address with a prefix",
      { virtualAddress: "10.20.0.10/24" },
      'virtualAddress: received "10.20.0.10/24"; allowed: an IPv4 address such as 10.20.0.10 (no host names, no prefix)',
    ],
    [
      "a virtual address that is a VM's",
      { virtualAddress: "10.20.0.12" },
      'virtualAddress: received "10.20.0.12"; allowed: an address other than both load balancers\' own addresses',
    ],
    [
      "a prefix of 32",
      { prefixLength: 32 },
      "prefixLength: received 32; allowed: an integer from 8 to 30 (the network the virtual address shares with both VMs)",
    ],
    [
      "a prefix given as text",
      { prefixLength: "24" },
      'prefixLength: received "24"; allowed: an integer from 8 to 30 (the network the virtual address shares with both VMs)',
    ],
    [
      "the broadcast address",
      { virtualAddress: "10.20.0.255" },
      'virtualAddress: received "10.20.0.255"; allowed: a host address of its /24 network (not its network or broadcast address)',
    ],
    [
      "the network address",
      { virtualAddress: "10.20.0.0" },
      'virtualAddress: received "10.20.0.0"; allowed: a host address of its /24 network (not its network or broadcast address)',
    ],
    [
      "a VM outside the virtual address's network",
      { addresses: { primary: "10.20.0.11", secondary: "10.20.1.12" } },
      'addresses.secondary: received "10.20.1.12"; allowed: an address in the virtual address\'s network 10.20.0.10/24',
    ],
    [
      "an interface name too long",
      { interfaceName: "enp11s0f1np1abcd" },
      'interfaceName: received "enp11s0f1np1abcd"; allowed: a Linux interface name: 1 to 15 letters, digits, _ . - (such as ens192)',
    ],
    [
      "an interface name with a space",
      { interfaceName: "ens192 ens224" },
      'interfaceName: received "ens192 ens224"; allowed: a Linux interface name: 1 to 15 letters, digits, _ . - (such as ens192)',
    ],
    [
      "a router id of 0",
      { virtualRouterId: 0 },
      "virtualRouterId: received 0; allowed: an integer from 1 to 255, the same on both VMs",
    ],
    [
      "a router id of 256",
      { virtualRouterId: 256 },
      "virtualRouterId: received 256; allowed: an integer from 1 to 255, the same on both VMs",
    ],
    [
      "no router id when the virtual address ends in 0",
      {
        virtualAddress: "10.20.1.0",
        prefixLength: 16,
        addresses: { primary: "10.20.0.11", secondary: "10.20.0.12" },
      },
      "virtualRouterId: received undefined; allowed: an integer from 1 to 255, to give when the last octet of virtualAddress (10.20.1.0) is 0",
    ],
    [
      "a priority of 255",
      { priorities: { primary: 255, secondary: 100 } },
      "priorities.primary: received 255; allowed: an integer from 1 to 254 (255 is for the owner of the address)",
    ],
    [
      "equal priorities",
      { priorities: { primary: 150, secondary: 150 } },
      "priorities.secondary: received 150; allowed: an integer from 1 to 254 below priorities.primary (150)",
    ],
    [
      "the secondary's priority higher",
      { priorities: { primary: 100, secondary: 150 } },
      "priorities.secondary: received 150; allowed: an integer from 1 to 254 below priorities.primary (100)",
    ],
    [
      "a fractional priority",
      { priorities: { primary: 150.5, secondary: 100 } },
      "priorities.primary: received 150.5; allowed: an integer from 1 to 254 (255 is for the owner of the address)",
    ],
  ];
  it.each(cases)("%s", (_label, change, message) => {
    expect(() => renderKeepalivedConfig({ ...base, ...change } as KeepalivedArgs)).toThrow(
      new Error(message),
    );
  });
});
