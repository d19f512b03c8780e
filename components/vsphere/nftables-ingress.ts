import { IngressRule } from "../core/platform/resource-facts";

/**
 * The inbound rules of a Phoenix nftables ruleset (`nftables.ts`), in the neutral terms the
 * policies read: each `accept` rule of the input chain with its protocol, ports and sources
 * (named sets resolved). Loopback, connection-tracking and ICMP housekeeping are not ingress. A
 * rule this reader does not understand counts as admitting everything on every port, so a policy
 * fails closed on it.
 */
export function nftablesIngress(ruleset: string): IngressRule[] {
  const sets = new Map<string, string[]>();
  for (const match of ruleset.matchAll(/set (\w+) \{[^}]*?elements = \{ ([^}]*) \}/g))
    sets.set(
      match[1] as string,
      (match[2] as string).split(",").map((e) => asCidr(e.trim())),
    );
  const input = /chain input \{([\s\S]*?)\n\t\}/.exec(ruleset)?.[1] ?? "";
  const rules: IngressRule[] = [];
  for (const raw of input.split("\n")) {
    const line = raw.trim();
    if (!line.endsWith(" accept") || line.startsWith("#")) continue;
    if (/^(iif "lo"|ct state |icmp |icmpv6 )/.test(line)) continue;
    const parsed =
      /^(?:ip saddr (@\w+|[\d./]+) )?(tcp|udp) dport (\d+|\{ [\d, ]+ \}) accept$/.exec(line) ??
      /^ip saddr (@\w+|[\d./]+) ip protocol (vrrp) accept$/.exec(line);
    if (parsed === null) {
      rules.push(rule("all", "all", ["0.0.0.0/0"], () => true));
      continue;
    }
    const [, source, protocol, portText] = parsed as unknown as [
      string,
      string | undefined,
      string,
      string | undefined,
    ];
    const addresses =
      source === undefined
        ? ["0.0.0.0/0"]
        : source.startsWith("@")
          ? (sets.get(source.slice(1)) ?? ["0.0.0.0/0"])
          : [asCidr(source)];
    if (portText === undefined) {
      rules.push(rule(protocol, "none", addresses, () => false));
      continue;
    }
    const ports = portText
      .replace(/[{}\s]/g, "")
      .split(",")
      .map(Number);
    rules.push(rule(protocol, ports.join(","), addresses, (p) => ports.includes(p)));
  }
  return rules;
}

/** An address as a block: `10.0.0.5` is `10.0.0.5/32`. */
const asCidr = (text: string): string => (text.includes("/") ? text : `${text}/32`);

function rule(
  protocol: string,
  ports: string,
  addresses: string[],
  covers: (port: number) => boolean,
): IngressRule {
  return {
    protocol,
    ports,
    covers,
    sources: { addresses, loadBalancers: [], groups: [], servers: [] },
  };
}
