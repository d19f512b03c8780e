import { DO } from "../platform";
import { ResourceRule, StackRule, StackViolation } from "../subject";

const OPEN = ["0.0.0.0/0", "::/0"];
/** Ports never to open to the internet: SSH, Postgres, and DigitalOcean's managed Postgres. */
const CLOSED_PORTS: Readonly<Record<number, string>> = {
  22: "SSH",
  5432: "Postgres",
  25060: "the database",
};

interface InboundRule {
  readonly protocol?: string;
  readonly portRange?: string;
  readonly sourceAddresses?: readonly string[];
  readonly sourceLoadBalancerUids?: readonly string[];
  readonly sourceTags?: readonly string[];
  readonly sourceDropletIds?: readonly number[];
}

/** Whether a DigitalOcean port range ("22", "8000-8080", "all", unset) covers a port. */
export function coversPort(range: string | undefined, port: number): boolean {
  if (range === undefined || range === "" || range === "all" || range === "0") return true;
  const [low, high] = range.split("-").map(Number);
  // A range that does not parse is treated as covering everything: fail closed.
  if (low === undefined || Number.isNaN(low)) return true;
  return port >= low && port <= (high ?? low);
}

function inbound(props: Readonly<Record<string, unknown>>): InboundRule[] {
  return Array.isArray(props.inboundRules) ? (props.inboundRules as InboundRule[]) : [];
}

/** SSH and the database are never open to the whole internet; the database admits only servers. */
export const firewallsClosed: ResourceRule = {
  kind: "resource",
  name: "firewalls-closed",
  description:
    "No firewall rule may open SSH (22) or Postgres (5432, 25060) to 0.0.0.0/0 or ::/0, and a " +
    "database firewall may admit only the app's servers (rules of type tag or droplet).",
  enforcementLevel: "mandatory",
  check(subject) {
    const problems: string[] = [];
    if (subject.type === DO.firewall) {
      for (const rule of inbound(subject.props)) {
        const open = (rule.sourceAddresses ?? []).filter((a) => OPEN.includes(a));
        if (open.length === 0 || rule.protocol === "icmp") continue;
        for (const [port, what] of Object.entries(CLOSED_PORTS)) {
          if (coversPort(rule.portRange, Number(port))) {
            problems.push(
              `${subject.type} ${subject.name} opens ${what} (port ${port}, range ${JSON.stringify(rule.portRange ?? "all")}) to ${open.join(", ")}; admit only named admin CIDRs or the app's servers`,
            );
          }
        }
      }
    }
    if (subject.type === DO.databaseFirewall) {
      const rules = Array.isArray(subject.props.rules)
        ? (subject.props.rules as { type?: string; value?: string }[])
        : [];
      for (const rule of rules.filter((r) => r.type !== "tag" && r.type !== "droplet")) {
        problems.push(
          `${subject.type} ${subject.name} admits ${rule.type} ${JSON.stringify(rule.value)}; the database may admit only the app's servers (rules of type tag or droplet)`,
        );
      }
    }
    return problems;
  },
};

/** The app port is reached only through the load balancer, or the floating IP. */
export const appPortBehindEndpoint: StackRule = {
  kind: "stack",
  name: "app-port-behind-endpoint",
  description:
    "Droplet firewalls may admit the app port only from the stack's load balancers; only a " +
    "stack whose endpoint is a floating IP (a reserved IP and no load balancer) may admit it " +
    "from anywhere, since the reserved IP forwards public traffic to the server.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const floatingIpOnly =
      subjects.some((s) => s.type === DO.reservedIp) &&
      !subjects.some((s) => s.type === DO.loadBalancer);
    const violations: StackViolation[] = [];
    for (const firewall of subjects.filter((s) => s.type === DO.firewall)) {
      for (const rule of inbound(firewall.props)) {
        if (rule.portRange === "22") continue; // SSH is firewalls-closed's concern.
        const direct = [
          ...(rule.sourceAddresses ?? []),
          ...(rule.sourceTags ?? []).map((t) => `tag ${t}`),
          ...(rule.sourceDropletIds ?? []).map((d) => `droplet ${d}`),
        ];
        if (direct.length === 0 || (floatingIpOnly && (rule.sourceAddresses ?? []).length > 0))
          continue;
        violations.push({
          urn: firewall.urn,
          message:
            `${firewall.type} ${firewall.name} admits port ${rule.portRange ?? "all"} from ${direct.join(", ")}; ` +
            "the app port may be reached only through the load balancer (sourceLoadBalancerUids)",
        });
      }
    }
    return violations;
  },
};
