import { factsOf } from "../facts";
import { PolicySubject, StackRule, StackViolation } from "../subject";
import { liveSwitchOf } from "./blue-green";

const components = (subjects: readonly PolicySubject[], role: string) =>
  subjects.filter((s) => factsOf(s.type)?.component === role);

/** The live record points at the live switch; the preview record never does. */
export const liveDnsFollowsLiveSwitch: StackRule = {
  kind: "stack",
  name: "live-dns-follows-live-switch",
  description:
    "The live DNS record (the DNS component's intent `records.live`) takes its address from an " +
    "endpoint's live switch, and the preview record never does: users are sent where the gate " +
    "guards, testers to the colour that does not serve them.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const switches = components(subjects, "endpoint")
      .map((e) => liveSwitchOf(e, subjects)?.urn)
      .filter((u): u is string => u !== undefined);
    const violations: StackViolation[] = [];
    for (const dns of components(subjects, "dns")) {
      const records = (dns.props.records ?? {}) as Record<string, string>;
      for (const [role, name] of Object.entries(records)) {
        const record = subjects.find((s) => s.parent === dns.urn && s.name === name);
        if (record === undefined) continue;
        const sources = Object.values(record.propertyDependencies).flat();
        const followsLive = sources.some((u) => switches.includes(u));
        if (role === "live" && !followsLive)
          violations.push({
            urn: record.urn,
            message: `${record.name} is the live record but does not point at the live switch (${switches.join(", ") || "none"})`,
          });
        if (role !== "live" && followsLive)
          violations.push({
            urn: record.urn,
            message: `${record.name} is the ${role} record but points at the live switch`,
          });
      }
    }
    return violations;
  },
};

/** An endpoint that serves HTTPS keeps serving it, and keeps redirecting HTTP to it. */
export const liveEndpointKeepsHttps: StackRule = {
  kind: "stack",
  name: "live-endpoint-keeps-https",
  description:
    "An endpoint whose intent says it serves HTTPS (a certificate was given) terminates TLS on " +
    "its live switch and redirects HTTP to HTTPS there (on the switch, or on another listener " +
    "of the same endpoint).",
  enforcementLevel: "mandatory",
  check(subjects) {
    return components(subjects, "endpoint")
      .filter((e) => e.props.https === true)
      .flatMap((endpoint) => {
        const sw = liveSwitchOf(endpoint, subjects);
        const https = sw && factsOf(sw.type)?.https;
        if (sw === undefined || https === undefined) return [];
        // HTTP may be redirected by the switch itself or by another listener of the endpoint.
        const redirects = [sw, ...subjects.filter((s) => s.parent === sw.parent && s !== sw)].some(
          (s) => factsOf(s.type)?.https?.redirects(s.props) === true,
        );
        const missing = [
          ...(https.serves(sw.props) ? [] : ["terminate TLS"]),
          ...(redirects ? [] : ["redirect HTTP to HTTPS"]),
        ];
        return missing.length === 0
          ? []
          : [
              {
                urn: sw.urn,
                message: `${sw.type} ${sw.name} must ${missing.join(" and ")}: its endpoint serves HTTPS`,
              },
            ];
      });
  },
};
