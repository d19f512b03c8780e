import { cidrContains, ipv4Coverage, parseIpv4Cidr } from "../../components/core/cidr";
import { FactContext, IngressRule } from "../../components/core/platform/resource-facts";
import { DATABASE_PORTS, factsOf, isLoadBalancer } from "../facts";
import { PolicySubject, ResourceRule, StackRule, StackViolation } from "../subject";

/** The widest IPv4 block a rule may open SSH or a database to (as the validator allows). */
const NARROWEST_BROAD_PREFIX = 8;
/** More than this share of the IPv4 space, in any set of blocks, counts as the internet. */
const INTERNET_SHARE = 1 / 16;

/**
 * The sources of a rule that open it to the internet or a large part of it: any block wider
 * than /8 (IPv6: /32), any text that is not an address block, or a set of blocks that together
 * cover more than a sixteenth of the IPv4 space (0.0.0.0/1 and 128.0.0.0/1 are the internet).
 */
export function openSources(addresses: readonly string[]): string[] {
  const v4 = addresses.flatMap((a) => {
    const cidr = parseIpv4Cidr(a);
    return cidr ? [{ text: a, cidr }] : [];
  });
  const wide = addresses.filter((a) => {
    const cidr = parseIpv4Cidr(a);
    if (cidr) return cidr.prefix < NARROWEST_BROAD_PREFIX;
    const v6 = /^[0-9a-f:]+\/(\d{1,3})$/i.exec(a);
    return v6 === null || Number(v6[1]) < 32;
  });
  if (wide.length > 0) return wide;
  return ipv4Coverage(v4.map((v) => v.cidr)) > 2 ** 32 * INTERNET_SHARE
    ? v4.map((v) => v.text)
    : [];
}

/** Ports never to open to the internet, with what listens there. */
const CLOSED_PORTS: ReadonlyArray<readonly [number, string]> = [
  [22, "SSH"],
  ...DATABASE_PORTS.map((p) => [p, p === 5432 ? "Postgres" : "the database"] as const),
];

/** Whether a CIDR lies inside one of the ranges. */
function insideAny(text: string, ranges: readonly string[]): boolean {
  const cidr = parseIpv4Cidr(text);
  return (
    cidr !== undefined &&
    ranges.some((r) => {
      const range = parseIpv4Cidr(r);
      return range !== undefined && cidrContains(range, cidr);
    })
  );
}

/** Where a subject stands among the others, for facts that relate resources. */
export function contextOf(
  subject: PolicySubject,
  subjects: readonly PolicySubject[] = [],
): FactContext {
  return { urn: subject.urn, refs: subject.propertyDependencies, stack: subjects };
}

const ingressOf = (subject: PolicySubject, subjects?: readonly PolicySubject[]): IngressRule[] =>
  factsOf(subject.type)?.firewall?.ingress(subject.props, contextOf(subject, subjects)) ?? [];

/** SSH and the database are never open to the whole internet; the database admits only servers. */
export const firewallsClosed: ResourceRule = {
  kind: "resource",
  name: "firewalls-closed",
  description:
    "No firewall rule may open SSH (22) or a database port (5432, or the platform's managed " +
    "database port) to the internet or a large part of it (a block wider than /8, or blocks " +
    "that together cover more than a sixteenth of IPv4), and a database's access list may " +
    "admit only servers (a server or a group of them, never addresses).",
  enforcementLevel: "mandatory",
  check(subject) {
    const problems: string[] = [];
    for (const rule of ingressOf(subject)) {
      const open = openSources(rule.sources.addresses);
      if (open.length === 0 || rule.protocol === "icmp") continue;
      for (const [port, what] of CLOSED_PORTS.filter(([p]) => rule.covers(p))) {
        problems.push(
          `${subject.type} ${subject.name} opens ${what} (port ${port}, range ${JSON.stringify(rule.ports)}) to ${open.join(", ")}; admit only named admin CIDRs or the app's servers`,
        );
      }
    }
    const access =
      factsOf(subject.type)?.databaseAccess?.entries(subject.props, contextOf(subject)) ?? [];
    for (const entry of access.filter((e) => e.names === "address")) {
      problems.push(
        `${subject.type} ${subject.name} admits ${entry.kind} ${JSON.stringify(entry.value)}; the database may admit only the app's servers`,
      );
    }
    return problems;
  },
};

/** The app port is reached only through the load balancer, or the static address. */
export const appPortBehindEndpoint: StackRule = {
  kind: "stack",
  name: "app-port-behind-endpoint",
  description:
    "Server firewalls may admit the app port only from the stack's load balancers or its own " +
    "private network (where its load balancers reach the servers); only a " +
    "stack whose endpoint is a static address (and that has no load balancer) may admit it " +
    "from anywhere, since the address forwards public traffic to the server.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const staticAddressOnly =
      subjects.some((s) => factsOf(s.type)?.staticAddress) &&
      !subjects.some((s) => isLoadBalancer(s.type, s.props));
    const privateRanges = subjects.flatMap((s) => {
      const cidr = factsOf(s.type)?.privateNetwork?.cidr(s.props);
      return cidr === undefined ? [] : [cidr];
    });
    // Only the firewalls in front of servers: a load balancer's or a database's own group
    // answers to other rules.
    const memberships = new Set(
      subjects.flatMap(
        (s) => factsOf(s.type)?.server?.memberships(s.props, contextOf(s, subjects)) ?? [],
      ),
    );
    const guardsServers = (f: PolicySubject) =>
      (factsOf(f.type)?.firewall?.targets(f.props, contextOf(f, subjects)) ?? []).some((t) =>
        memberships.has(t),
      );
    const violations: StackViolation[] = [];
    // A load balancer that carries its own firewall admits its frontends from anywhere.
    const guarded = subjects.filter(
      (s) => factsOf(s.type)?.firewall && guardsServers(s) && !isLoadBalancer(s.type, s.props),
    );
    for (const firewall of guarded) {
      for (const rule of ingressOf(firewall, subjects)) {
        if (rule.ports === "22") continue; // SSH is firewalls-closed's concern.
        const { groups, servers } = rule.sources;
        // The stack's own private network is where its load balancers reach the servers.
        const addresses = rule.sources.addresses.filter((a) => !insideAny(a, privateRanges));
        const direct = [
          ...addresses,
          ...groups.map((t) => `group ${t}`),
          ...servers.map((d) => `server ${d}`),
        ];
        if (direct.length === 0 || (staticAddressOnly && addresses.length > 0)) continue;
        violations.push({
          urn: firewall.urn,
          message:
            `${firewall.type} ${firewall.name} admits port ${rule.ports} from ${direct.join(", ")}; ` +
            "the app port may be reached only through the stack's load balancers (from its own private network)",
        });
      }
    }
    return violations;
  },
};

/** The groups every server of the stack belongs to (what a firewall or database may name). */
function sharedMemberships(subjects: readonly PolicySubject[]): string[] | undefined {
  const lists = subjects.flatMap((s) => {
    const server = factsOf(s.type)?.server;
    return server ? [server.memberships(s.props, contextOf(s, subjects))] : [];
  });
  if (lists.length === 0) return undefined;
  return (lists[0] as string[]).filter((m) => lists.every((l) => l.includes(m)));
}

/** Every server is behind a firewall, and every firewall covers something. */
export const serversFirewalled: StackRule = {
  kind: "stack",
  name: "servers-firewalled",
  description:
    "Every firewall applies to something, and every server carries a group (tag) that a " +
    "firewall applies to, so no server runs with its ports open.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const firewalls = subjects.filter((s) => factsOf(s.type)?.firewall);
    const targetsOf = (f: PolicySubject) =>
      factsOf(f.type)?.firewall?.targets(f.props, contextOf(f, subjects)) ?? [];
    const targets = firewalls.flatMap(targetsOf);
    const violations: StackViolation[] = firewalls
      .filter((f) => targetsOf(f).length === 0)
      .map((f) => ({ urn: f.urn, message: `${f.type} ${f.name} applies to nothing` }));
    for (const s of subjects) {
      const server = factsOf(s.type)?.server;
      if (
        server &&
        !server.memberships(s.props, contextOf(s, subjects)).some((m) => targets.includes(m))
      )
        violations.push({
          urn: s.urn,
          message: `${s.type} ${s.name} is behind no firewall: it carries none of the groups a firewall applies to`,
        });
    }
    return violations;
  },
};

/** A database admits this stack's servers and nothing else. */
export const databaseAdmitsOwnServers: StackRule = {
  kind: "stack",
  name: "database-admits-own-servers",
  description:
    "A database's access list names only a group that every server of this stack carries: " +
    "another tag (another service's, or another environment's) would admit servers that are " +
    "not this stack's.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const own = sharedMemberships(subjects) ?? [];
    const violations: StackViolation[] = [];
    for (const s of subjects) {
      const entries =
        factsOf(s.type)?.databaseAccess?.entries(s.props, contextOf(s, subjects)) ?? [];
      for (const e of entries.filter((e) => e.names === "group" && !own.includes(e.value)))
        violations.push({
          urn: s.urn,
          message: `${s.type} ${s.name} admits ${e.kind} ${JSON.stringify(e.value)}, which not every server of this stack carries (its servers share ${own.join(", ") || "nothing"})`,
        });
    }
    return violations;
  },
};
