import { SECRET_ASSIGNMENT, SECRET_VALUE_SHAPES } from "../../components/core/secret-shapes";
import { topInput } from "../../components/core/platform/resource-facts";
import { factsOf } from "../facts";
import { exposedText, userDataText } from "../user-data";
import { ResourceRule, StackRule, StackViolation } from "../subject";

/** Shapes of secrets that must never sit in plain text. */
const SECRET_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ...SECRET_VALUE_SHAPES,
  ["a password, token, secret or key assignment", SECRET_ASSIGNMENT],
];

/** User data carries secrets only in the root-only environment file. */
export const userDataNoPlaintextSecrets: ResourceRule = {
  kind: "resource",
  name: "user-data-no-plaintext-secrets",
  description:
    "Server user data may carry secrets only inside the app's root-only environment file " +
    "(/etc/phoenix/<service>.env, mode 0600), never in commands, scripts or other files, " +
    "which cloud-init logs or leaves world-readable; and where the source can tell, user data " +
    "that carries secrets must itself be a Pulumi secret, so it is encrypted in state.",
  enforcementLevel: "mandatory",
  check(subject) {
    const server = factsOf(subject.type)?.server;
    const userData = userDataText(factsOf(subject.type), subject.props);
    if (server === undefined || userData === undefined) return [];
    const problems = SECRET_PATTERNS.filter(([, pattern]) =>
      pattern.test(exposedText(userData)),
    ).map(
      ([what]) =>
        `${subject.type} ${subject.name} has ${what} in its user data outside the root-only environment file`,
    );
    const holdsSecrets = SECRET_PATTERNS.some(([, pattern]) => pattern.test(userData));
    if (
      holdsSecrets &&
      subject.secretProps !== undefined &&
      !subject.secretProps.includes(topInput(server.userData))
    ) {
      problems.push(
        `${subject.type} ${subject.name} has secrets in user data that is not a Pulumi secret; build it from secret Outputs`,
      );
    }
    return problems;
  },
};

/** Database credentials leave the stack only as secrets. */
export const databaseCredentialsSecret: StackRule = {
  kind: "stack",
  name: "database-credentials-secret",
  description:
    "Wherever a database password or a connection URI with a password appears outside the " +
    "database resources (another resource's inputs, or the stack's outputs), it must be a " +
    "Pulumi secret. CrossGuard unwraps secrets without marking them and does not show stack " +
    "outputs, so `pulumi preview` cannot evaluate this; the offline plan does.",
  enforcementLevel: "mandatory",
  check(subjects) {
    const passwords = subjects.flatMap((s) =>
      (factsOf(s.type)?.credentials ?? [])
        .map((k) => s.props[k])
        .filter((v): v is string => typeof v === "string" && v.length > 0),
    );
    const violations: StackViolation[] = [];
    for (const s of subjects) {
      if (s.secretProps === undefined || factsOf(s.type)?.credentials) continue;
      for (const [key, value] of Object.entries(s.props)) {
        if (s.secretProps.includes(key)) continue;
        const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
        const leaks =
          passwords.some((p) => text.includes(p)) ||
          /postgres(ql)?:\/\/[^\s:/@]+:[^\s@/]+@/.test(text);
        if (leaks) {
          violations.push({
            urn: s.urn,
            message: `${s.type} ${s.name} exposes database credentials in ${JSON.stringify(key)} without marking it secret`,
          });
        }
      }
    }
    return violations;
  },
};
