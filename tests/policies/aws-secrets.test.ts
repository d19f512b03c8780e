import { parse } from "yaml";
import { StackOutputs } from "../../components/core/stack-outputs";
import { evaluate, Violation } from "../../policies/evaluate";
import { PolicySubject } from "../../policies/subject";
import { MockStackRun } from "../../tools/mock-stack";
import { stackUrn } from "../../tools/plan/plan-resource";
import { stackSubject, subjectsFromRecorded } from "../../tools/policy-subjects";
import { runStack } from "../../tools/run-stack";
import { A } from "../helpers/aws-types";
import { SECRETS } from "../helpers/updates";

/**
 * The policies catch a plaintext secret in an AWS server's user data (a base64 launch template),
 * on the real aws-prod program, and the stack's outputs never carry a secret in plain text.
 */

const RULE = "user-data-no-plaintext-secrets";
const TEMPLATE = "shop-aws-prod-blue-template";
const SESSION_SECRET = "first-session-secret";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const decode = (text: string) => Buffer.from(text, "base64").toString("utf8");

/** The recorded resources as policy subjects, with blue's template given other user data. */
function withBlueUserData(subjects: readonly PolicySubject[], userData: string): PolicySubject[] {
  return subjects.map((s) =>
    s.type === A.launchTemplate && s.name === TEMPLATE
      ? { ...s, props: { ...s.props, userData: base64(userData) } }
      : s,
  );
}

const ruleViolations = (subjects: readonly PolicySubject[]): Violation[] =>
  evaluate(subjects).filter((v) => v.policy === RULE);

let run: MockStackRun<StackOutputs>;
beforeAll(async () => {
  run = await runStack("aws-prod", {}, SECRETS);
  if (run.error) throw run.error;
});

describe("policies on aws-prod: plaintext secrets in launch template user data", () => {
  let subjects: PolicySubject[];
  let userData: string;
  let templateUrn: string;
  beforeAll(() => {
    subjects = subjectsFromRecorded(run.resources);
    const template = run.get(A.launchTemplate, TEMPLATE);
    templateUrn = template.urn;
    userData = decode(template.inputs.userData as string);
  });

  it("passes the stack as the program builds it: the secret sits only in the root-only env file", () => {
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    expect(userData).toContain(`SESSION_SECRET="${SESSION_SECRET}"`);
    expect(ruleViolations(subjects)).toEqual([]);
    expect(evaluate(subjects).filter((v) => v.level === "mandatory")).toEqual([]);
  });

  it("reports a password assignment in a runcmd command", () => {
    const command = "PGPASSWORD=hunter2-plaintext psql -h db.internal -U shop -c 'select 1'";
    const leaky = `${userData}  - ${command}\n`;
    // Still a cloud-config, so only what lies outside the env file is judged.
    expect((parse(leaky) as { runcmd: unknown[] }).runcmd.at(-1)).toBe(command);
    expect(ruleViolations(withBlueUserData(subjects, leaky))).toEqual([
      {
        policy: RULE,
        level: "mandatory",
        urn: templateUrn,
        message: `${A.launchTemplate} ${TEMPLATE} has a password, token, secret or key assignment in its user data outside the root-only environment file`,
      },
    ]);
  });

  it("reports a DATABASE_URL with a password written outside the env file", () => {
    const leaky =
      userData +
      '  - echo "DATABASE_URL=postgresql://shop:hunter2-plaintext@db.internal:5432/shop" >> /etc/environment\n';
    expect(ruleViolations(withBlueUserData(subjects, leaky))).toEqual([
      {
        policy: RULE,
        level: "mandatory",
        urn: templateUrn,
        message: `${A.launchTemplate} ${TEMPLATE} has a URL with a password in its user data outside the root-only environment file`,
      },
    ]);
  });

  it("reports user data that carries secrets without being a Pulumi secret", () => {
    const plain = subjects.map((s) =>
      s.name === TEMPLATE && s.type === A.launchTemplate ? { ...s, secretProps: [] } : s,
    );
    expect(ruleViolations(plain).map((v) => v.message)).toEqual([
      `${A.launchTemplate} ${TEMPLATE} has secrets in user data that is not a Pulumi secret; build it from secret Outputs`,
    ]);
  });
});

describe("aws-prod stack outputs", () => {
  it("hold no secret value in plain text: the database URI and the deployment record are secrets", async () => {
    const outputs = await stackSubject(stackUrn("phoenix", "aws-prod"), "phoenix-aws-prod", {
      ...run.result,
    });
    expect([...(outputs.secretProps ?? [])].sort()).toEqual(["databaseUri", "phoenixDeployment"]);
    const databaseUri = outputs.props.databaseUri as string;
    expect(databaseUri).toMatch(/^postgresql:\/\/shop@/);
    const plain = JSON.stringify(
      Object.entries(outputs.props).filter(([k]) => !outputs.secretProps?.includes(k)),
    );
    expect(plain).not.toContain(SESSION_SECRET);
    expect(plain).not.toContain(databaseUri);
    expect(plain).not.toMatch(/postgres(ql)?:\/\//);
    const found = evaluate([outputs, ...subjectsFromRecorded(run.resources)]);
    expect(found.filter((v) => v.policy === "database-credentials-secret")).toEqual([]);
  });
});
