import { inputAt } from "../../components/core/platform/resource-facts";
import { factsOf } from "../facts";
import { PolicySubject, ResourceRule, StackRule, StackViolation } from "../subject";

const serverFacts = (s: PolicySubject) => factsOf(s.type)?.server;

/** Every server belongs to a server group, which gives it its colour, tags and firewall. */
export const serversInGroups: StackRule = {
  kind: "stack",
  name: "servers-in-groups",
  description:
    "Every server is built by a server group component, which gives it its colour, its tags " +
    "(and so its firewall and database access) and puts it behind the gate; a server " +
    "registered anywhere else escapes all of that.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const byUrn = new Map(subjects.map((s) => [s.urn, s]));
    return subjects
      .filter((s) => serverFacts(s) !== undefined)
      .filter((s) => factsOf(byUrn.get(s.parent ?? "")?.type ?? "")?.component !== "serverGroup")
      .map((s) => ({
        urn: s.urn,
        message: `${s.type} ${s.name} belongs to no server group; every server must be built by one`,
      }));
  },
};

/**
 * Servers serving live traffic are never replaced, resized or rebooted by an update: the
 * servers of a group that declares itself frozen ignore every input that would do so, and no
 * other server ignores a change of its image or user data.
 */
export const liveServersUntouched: StackRule = {
  kind: "stack",
  name: "live-servers-untouched",
  description:
    "Servers that serve live traffic are never replaced, resized or rebooted by an update: a " +
    "server group serving live traffic when the update starts (intent `frozen`) keeps its " +
    "servers as built, so they ignore every input whose change would replace them and every " +
    "update that would power them off; other servers never ignore their image or user data. " +
    "Against the previous version (the offline plan's --base) it also refuses any change that " +
    "replaces, resizes or deletes a server of a colour that served live traffic.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const byUrn = new Map(subjects.map((s) => [s.urn, s]));
    const violations: StackViolation[] = [];
    for (const server of subjects.filter((s) => serverFacts(s) !== undefined)) {
      const facts = factsOf(server.type);
      const group = byUrn.get(server.parent ?? "");
      const ignored = server.ignoreChanges;
      if (group?.props.frozen === true) {
        const must = [...(facts?.replaceOn ?? []), ...(facts?.server?.disruptiveUpdates ?? [])];
        const missing = must.filter((i) => !ignored.includes(i));
        if (missing.length > 0) {
          violations.push({
            urn: server.urn,
            message: `${server.type} ${server.name} serves live traffic but a change of ${missing.join(", ")} would replace, resize or reboot it; it must ignore them until its colour no longer serves`,
          });
        }
      } else {
        const held = [facts?.server?.image, facts?.server?.userData].filter(
          (i): i is string => i !== undefined && ignored.includes(i),
        );
        if (held.length > 0) {
          violations.push({
            urn: server.urn,
            message: `${server.type} ${server.name} ignores changes of ${held.join(", ")}, so a new release would never reach it`,
          });
        }
      }
    }
    return violations;
  },
};

/** A change of user data rebuilds a server: it is never patched in place. */
export const serversRebuiltOnUserData: ResourceRule = {
  kind: "resource",
  name: "servers-rebuilt-on-user-data",
  description:
    "A change of a server's user data must replace the server (the provider's schema or the " +
    "program's replaceOnChanges): applied in place, it would only take effect at a reboot, or " +
    "never. CrossGuard does not show replaceOnChanges, so `pulumi preview` trusts the schema.",
  enforcementLevel: "mandatory",
  check(subject) {
    const facts = factsOf(subject.type);
    const userData = facts?.server?.userData;
    if (userData === undefined || facts?.replaceOn?.includes(userData)) return [];
    const trigger = facts?.server?.rebuildTrigger;
    if (trigger) {
      const replaces =
        facts?.replaceOn?.includes(trigger.input) ||
        subject.replaceOnChanges === undefined ||
        subject.replaceOnChanges.includes(trigger.input);
      const expected = trigger.expected(subject.props);
      // Inputs not known yet (a preview before a lookup answers) cannot be judged.
      if (expected === undefined) return [];
      if (replaces && inputAt(subject.props, trigger.input) === expected) return [];
      return [
        `${subject.type} ${subject.name} is rebuilt by ${trigger.input}, which must replace it and hold the digest of its image and user data (${expected}); it holds ${JSON.stringify(inputAt(subject.props, trigger.input))}`,
      ];
    }
    if (subject.replaceOnChanges === undefined || subject.replaceOnChanges.includes(userData))
      return [];
    return [
      `${subject.type} ${subject.name} would be updated in place when its ${userData} changes; it needs replaceOnChanges: ["${userData}"]`,
    ];
  },
};

/** A volume detaches from the old server before it attaches to the new one. */
export const volumesDetachFirst: ResourceRule = {
  kind: "resource",
  name: "volumes-detach-first",
  description:
    "A volume attaches to one server at a time: its attachment must be replaced " +
    "delete-before-replace, so that it leaves the old server before it reaches the new one.",
  enforcementLevel: "mandatory",
  check(subject) {
    if (!factsOf(subject.type)?.volumeAttachment || subject.deleteBeforeReplace) return [];
    return [
      `${subject.type} ${subject.name} would attach the volume to the new server before detaching it from the old; it needs deleteBeforeReplace: true`,
    ];
  },
};
