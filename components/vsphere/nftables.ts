// The host firewall of a vSphere server. vSphere has no cloud firewall, so each server filters its
// own traffic with an nftables ruleset that Phoenix renders into its cloud-init user data. Pure:
// no Pulumi here; the server-group components pass plain, already-resolved values.
//
// Rendered values end up inside nft's own syntax, which has no quoting that would make an
// arbitrary string safe, so every input is checked against a strict form (dotted-quad IPv4
// without leading zeros, integer ports) before it is written, never escaped.

import { cidrContains, isNetworkAddress, parseIpv4Cidr, type Ipv4Cidr } from "../core/cidr";

/** Where Debian's `nftables.service` reads its ruleset from (`ExecStart=nft -f` this file). */
export const NFTABLES_CONF_PATH = "/etc/nftables.conf";

/** The one table Phoenix owns; other tables on the host (if any) are left alone. */
export const NFTABLES_TABLE = "phoenix";

/** SSH, admitted only from the admin CIDRs. */
export const SSH_PORT = 22;

/** Postgres's default port. */
export const POSTGRES_PORT = 5432;

/** ICMP echo requests admitted per second (beyond the burst); the rest are dropped. */
export const ICMP_ECHO_PER_SECOND = 5;

/** ICMP echo requests admitted at once before the rate applies. */
export const ICMP_ECHO_BURST = 10;

/** Settings every role shares. */
interface CommonFirewallArgs {
  /**
   * IPv4 addresses or CIDR blocks allowed to reach SSH (port 22), e.g. the operators' VPN range
   * and the deployment runner (the load balancers are configured over SSH). `0.0.0.0/0` is
   * refused.
   *
   * @default [] (SSH closed)
   */
  readonly adminCidrs?: readonly string[];
}

/** An app server: the app port from the load balancers only. */
export interface AppFirewallArgs extends CommonFirewallArgs {
  readonly role: "app";
  /** The port the app listens on, 1-65535, not 22. */
  readonly appPort: number;
  /**
   * IPv4 addresses (or CIDR blocks) of the load balancers, the only sources admitted to the app
   * port; at least one.
   */
  readonly loadBalancerAddresses: readonly string[];
}

/** A Postgres server: Postgres from the app servers only. */
export interface DatabaseFirewallArgs extends CommonFirewallArgs {
  readonly role: "database";
  /**
   * IPv4 addresses or CIDR blocks of the app servers, the only sources admitted to Postgres;
   * at least one. Prefer the app servers' network or a fixed range over each server's address:
   * the ruleset is part of the database server's user data, and a change of user data rebuilds
   * it, so a list that follows every new colour would rebuild the database with each release.
   */
  readonly appServerAddresses: readonly string[];
  /**
   * The port Postgres listens on, 1-65535, not 22.
   *
   * @default 5432
   */
  readonly postgresPort?: number;
}

/** A load balancer (HAProxy, with keepalived when two of them share a virtual IP). */
export interface LoadBalancerFirewallArgs extends CommonFirewallArgs {
  readonly role: "loadBalancer";
  /**
   * The live frontend's port, admitted from anywhere; 1-65535, not 22.
   *
   * @default 80
   */
  readonly httpPort?: number;
  /** The preview frontend's port, admitted from anywhere; 1-65535, not 22 nor `httpPort`. */
  readonly previewPort: number;
  /**
   * IPv4 address of the other load balancer of a keepalived pair: VRRP (IP protocol 112) is
   * admitted from it alone, whether it advertises by multicast or unicast.
   *
   * @default undefined (a single load balancer: no VRRP admitted)
   */
  readonly vrrpPeerAddress?: string;
}

/** What {@link renderNftablesRuleset} needs, by server role. */
export type FirewallArgs = AppFirewallArgs | DatabaseFirewallArgs | LoadBalancerFirewallArgs;

/** The roles a vSphere server can have. */
export type ServerRole = FirewallArgs["role"];

const ROLE_LABELS: Readonly<Record<ServerRole, string>> = {
  app: "app server",
  database: "database server",
  loadBalancer: "load balancer",
};

/** A named set of IPv4 sources and the rule that uses it. */
interface SourceSet {
  readonly name: string;
  readonly elements: readonly string[];
}

/** One rule of the input chain with the comment above it. */
interface InputRule {
  readonly comment: string;
  readonly rule: string;
}

/**
 * Renders the nftables ruleset of one server, for `nft -f` (and Debian's `nftables.service`,
 * which loads {@link NFTABLES_CONF_PATH} at boot).
 *
 * Input: policy drop. Admitted: loopback; established and related traffic (replies to the
 * server's own connections, ICMP errors about them); ICMP and ICMPv6 echo requests from anywhere,
 * at most {@link ICMP_ECHO_PER_SECOND} a second after a burst of {@link ICMP_ECHO_BURST} (one
 * budget for all senders, checked before conntrack's established rule); IPv6 neighbour
 * discovery from the link (hop limit 255), without which the link's IPv6 breaks; SSH from
 * `adminCidrs` only (none: closed); and per role, from IPv4 sources only:
 * - `app`: the app port from `loadBalancerAddresses`;
 * - `database`: Postgres from `appServerAddresses`;
 * - `loadBalancer`: the live and preview ports from anywhere (IPv4 and IPv6), VRRP from
 *   `vrrpPeerAddress`.
 * Everything else, including all other IPv6, is dropped. Forward: policy drop (a server routes
 * nothing). Output: policy accept.
 *
 * Everything lives in one `table inet phoenix`, declared, deleted and defined again in the one
 * transaction `nft -f` makes of a file, so loading the file again (a reboot, a re-run of
 * cloud-init's commands) replaces Phoenix's rules atomically without touching other tables.
 * `flush table` would not do: it empties the chains but keeps every set's elements, so a
 * source removed from a list would stay admitted (shown in tests/servers/nftables-netns.test.ts).
 * Address lists are named sets (`flags interval`), sorted, with duplicates and blocks inside
 * other blocks left out: the output depends only on which addresses are admitted, so reordering
 * an input does not change the user data (and rebuild the server).
 *
 * @param args the server's role and its sources and ports
 * @returns the ruleset, ending in a newline
 * @throws Error naming the argument, the value received and what is allowed when the role is
 *   unknown, a port is not an integer from 1 to 65535 (or is 22, or the preview port equals the
 *   live port), an address is not IPv4 (with host bits clear when a CIDR), a source list is
 *   `0.0.0.0/0` or (for the app and database roles) empty
 */
export function renderNftablesRuleset(args: FirewallArgs): string {
  const sets: SourceSet[] = [];
  const rules: InputRule[] = [];

  const admins = sourceList("adminCidrs", args.adminCidrs ?? [], "SSH", false);
  if (admins.length > 0) {
    sets.push({ name: "admin_v4", elements: admins });
    rules.push({
      comment: "SSH from the admin CIDRs only",
      rule: `ip saddr @admin_v4 tcp dport ${SSH_PORT} accept`,
    });
  } else {
    rules.push({ comment: "SSH: closed (no admin CIDRs)", rule: "" });
  }

  const role = (args as { role: unknown }).role;
  switch (args.role) {
    case "app": {
      const port = servicePort("appPort", args.appPort);
      const lbs = sourceList("loadBalancerAddresses", args.loadBalancerAddresses, "the app", true);
      sets.push({ name: "load_balancers_v4", elements: lbs });
      rules.push({
        comment: "the app from the load balancers only",
        rule: `ip saddr @load_balancers_v4 tcp dport ${port} accept`,
      });
      break;
    }
    case "database": {
      const port = servicePort("postgresPort", args.postgresPort ?? POSTGRES_PORT);
      const apps = sourceList("appServerAddresses", args.appServerAddresses, "Postgres", true);
      sets.push({ name: "app_servers_v4", elements: apps });
      rules.push({
        comment: "Postgres from the app servers only",
        rule: `ip saddr @app_servers_v4 tcp dport ${port} accept`,
      });
      break;
    }
    case "loadBalancer": {
      const http = servicePort("httpPort", args.httpPort ?? 80);
      const preview = servicePort("previewPort", args.previewPort);
      if (preview === http) {
        throw new Error(
          `Invalid previewPort ${preview}: expected a port other than httpPort (${http}), ` +
            `the preview frontend must be apart from the live one`,
        );
      }
      rules.push({
        comment: "the live and preview frontends from anywhere",
        rule: `tcp dport { ${Math.min(http, preview)}, ${Math.max(http, preview)} } accept`,
      });
      if (args.vrrpPeerAddress !== undefined) {
        const peer = peerAddress(args.vrrpPeerAddress);
        rules.push({
          comment: "keepalived's VRRP from the other load balancer only",
          rule: `ip saddr ${peer} ip protocol vrrp accept`,
        });
      }
      break;
    }
    default:
      throw new Error(
        `Invalid role ${JSON.stringify(role)}: expected one of ` +
          Object.keys(ROLE_LABELS)
            .map((r) => JSON.stringify(r))
            .join(", "),
      );
  }

  const lines = [
    "#!/usr/sbin/nft -f",
    `# Host firewall of a Phoenix ${ROLE_LABELS[args.role]}, rendered by Phoenix: do not edit,`,
    "# it is replaced with the server. Loading it again replaces only the table below, at once.",
    `table inet ${NFTABLES_TABLE}`,
    `delete table inet ${NFTABLES_TABLE}`,
    "",
    `table inet ${NFTABLES_TABLE} {`,
  ];
  for (const set of sets) {
    lines.push(
      `\tset ${set.name} {`,
      "\t\ttype ipv4_addr",
      "\t\tflags interval",
      `\t\telements = { ${set.elements.join(", ")} }`,
      "\t}",
      "",
    );
  }
  const overLimit = `limit rate over ${ICMP_ECHO_PER_SECOND}/second burst ${ICMP_ECHO_BURST} packets`;
  lines.push(
    "\tchain input {",
    "\t\ttype filter hook input priority filter; policy drop;",
    '\t\tiif "lo" accept',
    // Before the conntrack rule: conntrack tracks a ping's requests (one ICMP id) as one flow,
    // so after the first reply every request is "established" and would pass unlimited.
    "\t\t# echo requests beyond the rate, even of a ping already answered",
    `\t\ticmp type echo-request ${overLimit} drop`,
    `\t\ticmpv6 type echo-request ${overLimit} drop`,
    "\t\tct state established,related accept",
    "\t\tct state invalid drop",
    "\t\ticmp type echo-request accept",
    "\t\ticmpv6 type echo-request accept",
    "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } " +
      "ip6 hoplimit 255 accept",
  );
  for (const { comment, rule } of rules) {
    lines.push(`\t\t# ${comment}`);
    if (rule !== "") lines.push(`\t\t${rule}`);
  }
  lines.push(
    "\t}",
    "",
    "\tchain forward {",
    "\t\ttype filter hook forward priority filter; policy drop;",
    "\t}",
    "",
    "\tchain output {",
    "\t\ttype filter hook output priority filter; policy accept;",
    "\t}",
    "}",
  );
  return `${lines.join("\n")}\n`;
}

/** One cloud-init `write_files` entry, in the key order cloud-init's docs use. */
export interface FirewallWriteFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}

/** The cloud-init pieces that install a ruleset, for the user-data renderer to merge. */
export interface FirewallUserDataParts {
  /** `write_files` entries: the ruleset as {@link NFTABLES_CONF_PATH}, 0600 root. */
  readonly writeFiles: readonly FirewallWriteFile[];
  /**
   * `runcmd` entries (argument lists, run without a shell), to go before any other command so
   * the firewall is up before the app is (re)started.
   */
  readonly runcmd: readonly (readonly string[])[];
}

/**
 * The cloud-init pieces that install a ruleset: the file Debian's `nftables.service` loads at
 * every boot, and the commands that load it now and enable the service for later boots.
 *
 * `nft -f` loads it now rather than `systemctl enable --now`, which starts nothing when the image
 * already runs `nftables.service` (with the file it had before `write_files` replaced it). A
 * failing `nft -f` leaves the previous rules in place and fails cloud-init's `runcmd`, which the
 * server's health shows. Between the network coming up and cloud-init's final stage the server
 * has only the rules its image loaded at boot: an image should ship `nftables.service` enabled
 * with a closed default.
 *
 * @param ruleset the output of {@link renderNftablesRuleset}
 * @returns the `write_files` entries and `runcmd` commands
 * @throws Error if `ruleset` does not look like a Phoenix ruleset (empty, or without its table)
 */
export function firewallUserDataParts(ruleset: string): FirewallUserDataParts {
  if (!ruleset.includes(`\ntable inet ${NFTABLES_TABLE} {\n`) || !ruleset.endsWith("\n")) {
    throw new Error(
      `Invalid ruleset ${JSON.stringify(ruleset.slice(0, 60))}: expected the output of ` +
        `renderNftablesRuleset (a "table inet ${NFTABLES_TABLE}" ruleset ending in a newline)`,
    );
  }
  return {
    writeFiles: [
      { path: NFTABLES_CONF_PATH, owner: "root:root", permissions: "0600", content: ruleset },
    ],
    runcmd: [
      ["nft", "-f", NFTABLES_CONF_PATH],
      ["systemctl", "enable", "nftables.service"],
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Input checks

const OCTET = "(?:0|[1-9][0-9]{0,2})";
const ADDRESS_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(?:0|[1-9][0-9]?)$`);

/** Parses an address (`10.0.0.5`) or block (`10.0.0.0/24`) in canonical form, else undefined. */
function parseSource(text: string): Ipv4Cidr | undefined {
  if (ADDRESS_PATTERN.test(text)) return parseIpv4Cidr(`${text}/32`);
  if (CIDR_PATTERN.test(text)) return parseIpv4Cidr(text);
  return undefined;
}

function formatSource(cidr: Ipv4Cidr): string {
  const a = cidr.address;
  const dotted = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join(".");
  return cidr.prefix === 32 ? dotted : `${dotted}/${cidr.prefix}`;
}

/**
 * Checks a list of sources and returns it as set elements: sorted, without duplicates or blocks
 * inside other blocks (nft refuses overlapping intervals in one set).
 */
function sourceList(
  name: string,
  sources: readonly string[],
  what: string,
  required: boolean,
): string[] {
  if (!Array.isArray(sources)) {
    throw new Error(
      `Invalid ${name} ${JSON.stringify(sources)}: expected a list of IPv4 addresses or CIDR blocks`,
    );
  }
  if (required && sources.length === 0) {
    throw new Error(
      `Invalid ${name} []: expected at least one IPv4 address or CIDR block, ` +
        `else nothing could reach ${what}`,
    );
  }
  const parsed = sources.map((source, i) => {
    const cidr = typeof source === "string" ? parseSource(source) : undefined;
    if (cidr === undefined) {
      throw new Error(
        `Invalid ${name}[${i}] ${JSON.stringify(source)}: expected an IPv4 address ` +
          `("10.20.0.5") or CIDR block ("10.20.0.0/24"), dotted decimal without leading zeros`,
      );
    }
    if (!isNetworkAddress(cidr)) {
      throw new Error(
        `Invalid ${name}[${i}] ${JSON.stringify(source)}: the address has bits set beyond ` +
          `the /${cidr.prefix} prefix; expected the block's network address ` +
          `(${formatSource({ address: cidr.address - (cidr.address % 2 ** (32 - cidr.prefix)), prefix: cidr.prefix })})`,
      );
    }
    if (cidr.prefix === 0) {
      throw new Error(
        `Invalid ${name}[${i}] ${JSON.stringify(source)}: ${what} must not be open to every ` +
          `address; expected the addresses or blocks that need it`,
      );
    }
    return cidr;
  });
  const sorted = [...parsed].sort((a, b) => a.address - b.address || a.prefix - b.prefix);
  const kept: Ipv4Cidr[] = [];
  for (const cidr of sorted) {
    // Sorted by address then prefix, a block inside another comes after it.
    if (!kept.some((k) => cidrContains(k, cidr))) kept.push(cidr);
  }
  return kept.map(formatSource);
}

function servicePort(name: string, port: number): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`Invalid ${name} ${JSON.stringify(port)}: expected an integer from 1 to 65535`);
  }
  if (port === SSH_PORT) {
    throw new Error(
      `Invalid ${name} 22: 22 is SSH, admitted only from adminCidrs; expected another port`,
    );
  }
  return port;
}

function peerAddress(address: string): string {
  const parsed =
    typeof address === "string" && ADDRESS_PATTERN.test(address) ? parseSource(address) : undefined;
  if (parsed === undefined) {
    throw new Error(
      `Invalid vrrpPeerAddress ${JSON.stringify(address)}: expected the other load ` +
        `balancer's IPv4 address ("10.20.0.11"), dotted decimal without leading zeros`,
    );
  }
  return formatSource(parsed);
}
