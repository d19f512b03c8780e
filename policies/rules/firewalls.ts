import { cidrContains, parseIpv4Cidr } from "../../components/core/cidr";
import { IngressRule } from "../../components/core/platform/resource-facts";
import { DATABASE_PORTS, factsOf } from "../facts";
import { PolicySubject, ResourceRule, StackRule, StackViolation } from "../subject";

const OPEN = ["0.0.0.0/0", "::/0"];

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

const ingressOf = (subject: PolicySubject): IngressRule[] =>
  factsOf(subject.type)?.firewall?.ingress(subject.props) ?? [];

/** SSH and the database are never open to the whole internet; the database admits only servers. */
export const firewallsClosed: ResourceRule = {
  kind: "resource",
  name: "firewalls-closed",
  description:
    "No firewall rule may open SSH (22) or a database port (5432, or the platform's managed " +
    "database port) to 0.0.0.0/0 or ::/0, and a database's access list may admit only the " +
    "app's servers (a server or a group of them, never addresses).",
  enforcementLevel: "mandatory",
  check(subject) {
    const problems: string[] = [];
    for (const rule of ingressOf(subject)) {
      const open = rule.sources.addresses.filter((a) => OPEN.includes(a));
      if (open.length === 0 || rule.protocol === "icmp") continue;
      for (const [port, what] of CLOSED_PORTS.filter(([p]) => rule.covers(p))) {
        problems.push(
          `${subject.type} ${subject.name} opens ${what} (port ${port}, range ${JSON.stringify(rule.ports)}) to ${open.join(", ")}; admit only named admin CIDRs or the app's servers`,
        );
      }
    }
    const access = factsOf(subject.type)?.databaseAccess?.entries(subject.props) ?? [];
    for (const entry of access.filter((e) => !e.namesServers)) {
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
      !subjects.some((s) => factsOf(s.type)?.loadBalancer);
    const privateRanges = subjects.flatMap((s) => {
      const cidr = factsOf(s.type)?.privateNetwork?.cidr(s.props);
      return cidr === undefined ? [] : [cidr];
    });
    const violations: StackViolation[] = [];
    for (const firewall of subjects.filter((s) => factsOf(s.type)?.firewall)) {
      for (const rule of ingressOf(firewall)) {
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
