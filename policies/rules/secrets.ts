import { parse } from "yaml";
import { DO, SERVER_TYPES } from "../platform";
import { ResourceRule, StackRule, StackViolation } from "../subject";

/** Shapes of secrets that must never sit in plain text. */
const SECRET_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a DigitalOcean token", /\bdop_v1_[0-9a-f]{20,}/],
  ["an AWS access key", /\bAKIA[0-9A-Z]{16}\b/],
  ["a URL with a password", /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@/i],
  [
    "a password, token, secret or key assignment",
    /\b[A-Z0-9_]*(PASSWORD|PASSWD|TOKEN|SECRET|API_KEY|PRIVATE_KEY)[A-Z0-9_]*\s*[=:]\s*\S+/i,
  ],
];

/** The one place user data may carry secrets: a root-only environment file under /etc/phoenix. */
function isRootOnlyEnvFile(file: {
  path?: unknown;
  permissions?: unknown;
  owner?: unknown;
}): boolean {
  return (
    typeof file.path === "string" &&
    /^\/etc\/phoenix\/[^/]+\.env$/.test(file.path) &&
    String(file.permissions) === "0600" &&
    (file.owner === undefined || file.owner === "root:root")
  );
}

/** The parts of a cloud-config that are not the root-only environment file, as text. */
function exposedText(userData: string): string {
  if (!userData.startsWith("#cloud-config")) return userData;
  let doc: unknown;
  try {
    doc = parse(userData);
  } catch {
    return userData;
  }
  if (typeof doc !== "object" || doc === null) return userData;
  const { write_files: files, ...rest } = doc as { write_files?: unknown };
  const kept = Array.isArray(files) ? files.filter((f) => !isRootOnlyEnvFile(f as object)) : [];
  return JSON.stringify({ ...rest, write_files: kept });
}

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
    const server = SERVER_TYPES[subject.type];
    const userData = server && subject.props[server.userData];
    if (server === undefined || typeof userData !== "string") return [];
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
      !subject.secretProps.includes(server.userData)
    ) {
      problems.push(
        `${subject.type} ${subject.name} has secrets in user data that is not a Pulumi secret; build it from secret Outputs`,
      );
    }
    return problems;
  },
};

/** Inputs that hold database credentials, by type. */
const CREDENTIAL_SOURCES: Readonly<Record<string, readonly string[]>> = {
  [DO.databaseCluster]: ["password", "uri", "privateUri"],
  [DO.databaseUser]: ["password"],
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
      (CREDENTIAL_SOURCES[s.type] ?? [])
        .map((k) => s.props[k])
        .filter((v): v is string => typeof v === "string" && v.length > 0),
    );
    const violations: StackViolation[] = [];
    for (const s of subjects) {
      if (s.secretProps === undefined || CREDENTIAL_SOURCES[s.type]) continue;
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
