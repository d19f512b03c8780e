// The virtual address in front of the vSphere load balancers: keepalived 2.2 (Debian 12's) moves
// one IPv4 address between the two HAProxy VMs of a production stack (a dev stack has one load
// balancer and no keepalived). Rendered by a pure function (no Pulumi here), like haproxy.cfg.
//
// What the rendered keepalived.conf does, and why:
//
// - VRRP version 3, no authentication. VRRPv2's `auth_type PASS` sends the password in clear in
//   every advertisement, so anyone who can see the adverts can forge them; it only guards against
//   a misconfigured neighbour, not an attacker. VRRPv3 (RFC 5798) removed authentication for that
//   reason, and keepalived refuses `authentication` with `version 3` (its config check fails; a
//   test shows it). The protection that does work is kept instead: adverts are unicast between the
//   two VMs' own addresses, keepalived drops adverts from any source but the peer
//   (`check_unicast_src`), and the load balancer's nftables ruleset admits VRRP (IP protocol 112)
//   from the peer only (`vrrpPeerAddress` in nftables.ts). With no secret, the file can travel in
//   plain user data.
// - Unicast, not multicast: vSphere port groups, NSX segments and physical switches with IGMP
//   snooping often drop or rate-limit 224.0.0.18, which makes both nodes MASTER (split brain).
// - No `use_vmac`: a virtual MAC would need "MAC address changes" and "Forged transmits" allowed on
//   the port group. The address moves with the VM's own MAC and gratuitous ARPs tell the switches
//   and neighbours: a first burst at once, a second one `garp_master_delay` later (in case the
//   first was lost while the switch port was still learning) and a refresh every
//   `garp_master_refresh` seconds for ARP caches that outlive an advert.
// - No `vrrp_strict`: it forbids unicast peers.
// - Both nodes start as BACKUP with `nopreempt` (see {@link KeepalivedArgs.priorities}).
// - HAProxy's health (`chk_haproxy`) decides: a failing check puts the node in FAULT, which gives
//   the address away at once.
import { isIPv4 } from "net";

/** The two load balancer VMs of a pair. */
export type KeepalivedNode = "primary" | "secondary";

/** Both nodes, in order. */
export const KEEPALIVED_NODES: readonly KeepalivedNode[] = ["primary", "secondary"];

/** Default VRRP priorities: the primary wins the first election. */
export const DEFAULT_PRIORITIES: Readonly<Record<KeepalivedNode, number>> = {
  primary: 150,
  secondary: 100,
};

/** The first NIC of a Debian 12 VM on VMXNET3 hardware (PCI slot 192). */
export const DEFAULT_INTERFACE = "ens192";

/** The name of the VRRP instance in keepalived.conf (one per load balancer VM). */
export const VRRP_INSTANCE = "phoenix_lb";

/**
 * The readiness check (`lb-ready.sh`, installed by the load balancer's user data), run as root by
 * keepalived every 2 seconds: HAProxy runs, and a live switch has written the routing state. A
 * process check is enough for HAProxy because in master-worker mode (haproxy-config.ts) the master
 * stops when a worker fails, and then no `haproxy` process is left (`pidof` comes from
 * sysvinit-utils, Essential in Debian 12). The routing check keeps a rebuilt load balancer from
 * taking the address before Phoenix has told it where live traffic goes.
 */
export const HAPROXY_CHECK_SCRIPT = "/usr/local/sbin/phoenix-lb-ready";

/** Arguments of {@link renderKeepalivedConfig}: the pair, and which VM of it to render for. */
export interface KeepalivedArgs {
  /** The VM this configuration is for. */
  readonly node: KeepalivedNode;
  /**
   * Each load balancer VM's own IPv4 address on `interfaceName`; VRRP adverts go from one to the
   * other (`unicast_src_ip`, `unicast_peer`).
   */
  readonly addresses: Readonly<Record<KeepalivedNode, string>>;
  /** The virtual IPv4 address clients reach (the live and preview frontends' address). */
  readonly virtualAddress: string;
  /**
   * Prefix length of the network the virtual address shares with both VMs (8 to 30): the address
   * moves by gratuitous ARP, so it must be on the VMs' own segment.
   */
  readonly prefixLength: number;
  /**
   * The network interface of both VMs that carries the virtual address and the adverts.
   * @default DEFAULT_INTERFACE ("ens192")
   */
  readonly interfaceName?: string;
  /**
   * VRRP router id (1 to 255), the same on both VMs and different from any other VRRP pair on
   * the network.
   * @default the last octet of `virtualAddress` (unique among the virtual addresses of a /24 or
   *   smaller network; give it when two pairs share a wider network)
   */
  readonly virtualRouterId?: number;
  /**
   * VRRP priorities (1 to 254, the primary's higher). Both VMs start as BACKUP with `nopreempt`:
   * when both start together the primary wins the election, and from then on the address stays
   * where it is. When the primary fails the secondary takes the address; when the primary comes
   * back it does not take it back. Taking it back (the default `preempt`, or `preempt_delay`,
   * which only postpones the same move) would be a second move for no gain: the connections open
   * through the secondary's HAProxy would be cut, clients would see a second interruption, and a
   * primary that flaps would drag the address back and forth. The priority only picks the first
   * holder.
   * @default DEFAULT_PRIORITIES (primary 150, secondary 100)
   */
  readonly priorities?: Readonly<Record<KeepalivedNode, number>>;
  /**
   * The check keepalived runs: an absolute path to a root-owned executable (with
   * `enable_script_security` keepalived refuses any other).
   *
   * @default HAPROXY_CHECK_SCRIPT
   */
  readonly checkScript?: string;
}

const INTERFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

function fail(setting: string, value: unknown, allowed: string): never {
  throw new Error(`${setting}: received ${JSON.stringify(value)}; allowed: ${allowed}`);
}

function ipv4ToInt(address: string): number {
  return address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function checkIpv4(setting: string, value: unknown): string {
  if (typeof value !== "string" || !isIPv4(value)) {
    fail(setting, value, "an IPv4 address such as 10.20.0.10 (no host names, no prefix)");
  }
  return value;
}

function checkPriority(setting: string, value: unknown, below?: number): number {
  const max = below === undefined ? 254 : below - 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    fail(
      setting,
      value,
      below === undefined
        ? "an integer from 1 to 254 (255 is for the owner of the address)"
        : `an integer from 1 to 254 below priorities.primary (${below})`,
    );
  }
  return value;
}

/**
 * keepalived.conf for one of the two load balancer VMs. Render it once with `node: "primary"` and
 * once with `node: "secondary"` from the same arguments: the two files then agree on the virtual
 * address, the router id and each other's addresses.
 *
 * @param args the pair and the VM to render for
 * @returns the whole file
 * @throws Error naming the argument, the value received and what is allowed: an address that is
 *   not IPv4, the two VMs or the virtual address sharing an address, an address outside the
 *   virtual address's network or on its network or broadcast address, a prefix length outside 8
 *   to 30, an interface name Linux refuses, a router id outside 1 to 255, priorities outside 1
 *   to 254 or not with the primary's higher
 */
export function renderKeepalivedConfig(args: KeepalivedArgs): string {
  const node = args.node;
  if (node !== "primary" && node !== "secondary") fail("node", node, '"primary" or "secondary"');
  const addresses = args.addresses;
  if (addresses === null || typeof addresses !== "object") {
    fail("addresses", addresses, "an object with the primary's and the secondary's IPv4 address");
  }
  const primary = checkIpv4("addresses.primary", addresses.primary);
  const secondary = checkIpv4("addresses.secondary", addresses.secondary);
  if (secondary === primary) {
    fail("addresses.secondary", secondary, "an address other than addresses.primary");
  }
  const vip = checkIpv4("virtualAddress", args.virtualAddress);
  if (vip === primary || vip === secondary) {
    fail("virtualAddress", vip, "an address other than both load balancers' own addresses");
  }
  const prefix = args.prefixLength;
  if (typeof prefix !== "number" || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) {
    fail(
      "prefixLength",
      prefix,
      "an integer from 8 to 30 (the network the virtual address shares with both VMs)",
    );
  }
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipv4ToInt(vip) / size) * size;
  const offset = ipv4ToInt(vip) - network;
  if (offset === 0 || offset === size - 1) {
    fail(
      "virtualAddress",
      vip,
      `a host address of its /${prefix} network (not its network or broadcast address)`,
    );
  }
  for (const which of KEEPALIVED_NODES) {
    const address = which === "primary" ? primary : secondary;
    if (Math.floor(ipv4ToInt(address) / size) * size !== network) {
      fail(
        `addresses.${which}`,
        address,
        `an address in the virtual address's network ${vip}/${prefix}`,
      );
    }
  }
  const ifname = args.interfaceName ?? DEFAULT_INTERFACE;
  if (
    typeof ifname !== "string" ||
    !INTERFACE_NAME.test(ifname) ||
    ifname === "." ||
    ifname === ".."
  ) {
    fail(
      "interfaceName",
      ifname,
      "a Linux interface name: 1 to 15 letters, digits, _ . - (such as ens192)",
    );
  }
  const lastOctet = Number(vip.split(".")[3]);
  const routerId = args.virtualRouterId ?? (lastOctet === 0 ? undefined : lastOctet);
  if (
    typeof routerId !== "number" ||
    !Number.isInteger(routerId) ||
    routerId < 1 ||
    routerId > 255
  ) {
    fail(
      "virtualRouterId",
      routerId,
      args.virtualRouterId === undefined
        ? `an integer from 1 to 255, to give when the last octet of virtualAddress (${vip}) is 0`
        : "an integer from 1 to 255, the same on both VMs",
    );
  }
  const priorities = args.priorities ?? DEFAULT_PRIORITIES;
  if (priorities === null || typeof priorities !== "object") {
    fail("priorities", priorities, "an object with the primary's and the secondary's priority");
  }
  const primaryPriority = checkPriority("priorities.primary", priorities.primary);
  const secondaryPriority = checkPriority(
    "priorities.secondary",
    priorities.secondary,
    primaryPriority,
  );
  const checkScript = args.checkScript ?? HAPROXY_CHECK_SCRIPT;
  if (typeof checkScript !== "string" || !/^\/[A-Za-z0-9_.+/-]+$/.test(checkScript))
    fail("checkScript", checkScript, "an absolute path of letters, digits and _ . + - /");
  const self = node === "primary" ? primary : secondary;
  const peerNode: KeepalivedNode = node === "primary" ? "secondary" : "primary";
  const peer = node === "primary" ? secondary : primary;
  const priority = node === "primary" ? primaryPriority : secondaryPriority;

  const lines = [
    "# Rendered by Phoenix (components/vsphere/keepalived.ts): do not edit by hand.",
    `# Load balancer pair on ${ifname} sharing ${vip}/${prefix}: this is the ${node} (${self}),`,
    `# its peer the ${peerNode} (${peer}). VRRP version 3, unicast, no authentication.`,
    "global_defs {",
    "    # Check scripts run as root and must be owned by root and writable by root only.",
    "    enable_script_security",
    "    script_user root",
    "}",
    "",
    "vrrp_script chk_haproxy {",
    "    # HAProxy runs, and a live switch has given this node the routing (lb-ready.sh).",
    `    script "${checkScript}"`,
    "    interval 2",
    "    timeout 1",
    "    fall 2",
    "    rise 2",
    "    # Weight 0: a failed check puts this node in FAULT, which releases the address.",
    "    # (A weight would only lower the priority, which nopreempt ignores.)",
    "    weight 0",
    "}",
    "",
    `vrrp_instance ${VRRP_INSTANCE} {`,
    "    # Both nodes start as BACKUP and never take the address back from a healthy peer.",
    "    state BACKUP",
    "    nopreempt",
    "    version 3",
    `    interface ${ifname}`,
    `    virtual_router_id ${routerId}`,
    `    priority ${priority}`,
    "    advert_int 1",
    "    # Unicast adverts: vSphere networks often drop multicast.",
    `    unicast_src_ip ${self}`,
    "    unicast_peer {",
    `        ${peer}`,
    "    }",
    "    check_unicast_src",
    "    virtual_ipaddress {",
    `        ${vip}/${prefix} dev ${ifname}`,
    "    }",
    "    track_script {",
    "        chk_haproxy",
    "    }",
    "    # Gratuitous ARP: at once, again after 1 s, then every 60 s while MASTER.",
    "    garp_master_delay 1",
    "    garp_master_refresh 60",
    "}",
  ];
  return lines.join("\n") + "\n";
}
