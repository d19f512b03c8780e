import { factsOf } from "../facts";
import { ResourceRule } from "../subject";

/** Each platform's own checks of its resources' settings, reported as they come. */
export const platformHardening: ResourceRule = {
  kind: "resource",
  name: "platform-hardening",
  description:
    "Resources pass their platform's own checks of their settings (e.g. on AWS: encrypted " +
    "volumes and database storage, IMDSv2 only, a TLS 1.2+ policy on HTTPS listeners, invalid " +
    "header dropping, database backups, deletion protection and final snapshots, ELB health " +
    "checks). Each platform declares the checks beside its facts.",
  enforcementLevel: "mandatory",
  check(subject) {
    const facts = factsOf(subject.type);
    if (facts?.hardening === undefined) return [];
    return facts
      .hardening(subject.props)
      .map((problem) => `${subject.type} ${subject.name} ${problem}`);
  },
};
