import { factsOf } from "../facts";
import { ResourceRule, StackRule, StackViolation } from "../subject";
import { appEnvironment, userDataText } from "../user-data";

/** The database lives on the stack's private network. */
export const databasePrivate: ResourceRule = {
  kind: "resource",
  name: "database-private",
  description:
    "A managed database lives on the stack's private network, never only on the public one.",
  enforcementLevel: "mandatory",
  check(subject) {
    const database = factsOf(subject.type)?.database;
    if (database === undefined || database.privateNetwork(subject.props)) return [];
    return [`${subject.type} ${subject.name} is on no private network; give it the stack's`];
  },
};

const TLS_MODES = /[?&]sslmode=(require|verify-ca|verify-full)(&|$)/;

/** The app reaches its database over TLS. */
export const databaseOverTls: StackRule = {
  kind: "stack",
  name: "database-over-tls",
  description:
    "The database URI a server's app gets (DATABASE_URL in its environment file) requires TLS " +
    "(sslmode=require, verify-ca or verify-full).",
  enforcementLevel: "mandatory",
  check(subjects) {
    const violations: StackViolation[] = [];
    for (const s of subjects) {
      const userData = userDataText(factsOf(s.type), s.props);
      if (userData === undefined) continue;
      const uri = appEnvironment(userData)?.DATABASE_URL;
      if (uri !== undefined && !TLS_MODES.test(uri))
        violations.push({
          urn: s.urn,
          message: `${s.type} ${s.name} reaches its database without requiring TLS (its DATABASE_URL has no sslmode=require)`,
        });
    }
    return violations;
  },
};
