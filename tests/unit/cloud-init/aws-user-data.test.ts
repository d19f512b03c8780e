// The user data of every launch template the real aws-prod stack program registers, checked by
// cloud-init's own schema validator (the Debian package), with the app's environment file
// holding the database's URL (without a password) and the ARN of the secret that holds it.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RecordedResource } from "../../../tools/mock-stack";
import { runStack } from "../../../tools/run-stack";
import { makeTempDir, requireTool, run } from "./tools";

const SECRETS = { "phoenix:appSecrets": '{"SESSION_SECRET":"s3cr3t-session-value"}' };
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const DB_INSTANCE = "aws:rds/instance:Instance";
const ENV_FILE = "/etc/phoenix/shop.env";

interface WriteFile {
  readonly path: string;
  readonly owner?: string;
  readonly permissions?: string;
  readonly content: string;
}

let resources: readonly RecordedResource[];
let templates: readonly RecordedResource[];
let dir: string;

beforeAll(async () => {
  const result = await runStack("aws-prod", {}, SECRETS, undefined, { cliRules: true });
  if (result.error) throw result.error;
  resources = result.resources;
  templates = resources.filter((r) => r.type === LAUNCH_TEMPLATE);
});
beforeEach(() => {
  dir = makeTempDir("aws-user-data");
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function userDataOf(template: RecordedResource): string {
  const encoded = template.inputs.userData;
  if (typeof encoded !== "string") throw new Error(`${template.name}: userData is not a string`);
  // Strict base64: decoding and re-encoding gives back the same text.
  expect(Buffer.from(encoded, "base64").toString("base64")).toBe(encoded);
  return Buffer.from(encoded, "base64").toString("utf8");
}

function schema(userData: string): { status: number | null; output: string } {
  const file = path.join(dir, "user-data.yaml");
  fs.writeFileSync(file, userData);
  const r = run(requireTool("cloud-init", "cloud-init"), ["schema", "--config-file", file]);
  return { status: r.status, output: r.stdout + r.stderr };
}

/** The environment file's variables, read back from its NAME="value" lines. */
function environmentOf(userData: string): Record<string, string> {
  const files = (parse(userData) as { write_files: WriteFile[] }).write_files;
  const env = files.find((f) => f.path === ENV_FILE);
  if (env === undefined) throw new Error(`no ${ENV_FILE} in the user data`);
  expect({ owner: env.owner, permissions: env.permissions }).toEqual({
    owner: "root:root",
    permissions: "0600",
  });
  return Object.fromEntries(
    env.content
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)="(.*)"$/.exec(line);
        if (m === null) throw new Error(`not NAME="value": ${line}`);
        return [m[1] as string, m[2] as string];
      }),
  );
}

describe("aws-prod launch templates' user data", () => {
  it("has one launch template per colour", () => {
    const colours = templates.map((t) => /^shop-aws-prod-(blue|green)\b/.exec(t.name)?.[1]);
    expect(colours.sort()).toEqual(["blue", "green"]);
  });

  it("holds the user data as a Pulumi secret", () => {
    for (const t of templates) expect(t.secretProps).toContain("userData");
  });

  it("passes cloud-init schema --config-file", () => {
    for (const t of templates) {
      const result = schema(userDataOf(t));
      // Status and output together show cloud-init's complaint when it fails.
      expect({ template: t.name, ...result }).toEqual({
        template: t.name,
        status: 0,
        output: expect.stringContaining("Valid cloud-config") as unknown as string,
      });
    }
  });

  it("is checked for real: cloud-init refuses it spoiled", () => {
    const userData = userDataOf(templates[0] as RecordedResource);
    const spoiled = userData.replace('permissions: "0600"', "permissions: 0600");
    expect(spoiled).not.toBe(userData);
    expect(schema(spoiled).status).not.toBe(0);
  });

  it("gives the app DATABASE_URL without a password, and DATABASE_SECRET_ARN", () => {
    for (const t of templates) {
      const env = environmentOf(userDataOf(t));
      expect(env).toEqual({
        APP_ENV: "production",
        LOG_LEVEL: "info",
        SESSION_SECRET: "s3cr3t-session-value",
        DATABASE_URL: expect.stringMatching(
          /^postgresql:\/\/shop@[a-z0-9-]+\.[a-z0-9]+\.us-east-1\.rds\.amazonaws\.com:5432\/shop\?sslmode=require$/,
        ) as unknown as string,
        DATABASE_SECRET_ARN: expect.stringMatching(
          /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:rds!db-[0-9a-f-]+-[A-Za-z0-9]{6}$/,
        ) as unknown as string,
      });
      // The user part of the URL is the user alone: no ":password".
      expect(new URL(env.DATABASE_URL as string).password).toBe("");
    }
  });

  it("names the same database and secret as the RDS instance and the servers' role policy", () => {
    const [db] = resources.filter((r) => r.type === DB_INSTANCE);
    expect(db?.inputs).toMatchObject({ manageMasterUserPassword: true, username: "shop" });
    const policy = resources.find(
      (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.endsWith("-db-secret-read"),
    );
    const granted = (
      JSON.parse(String(policy?.inputs.policy)) as { Statement: { Resource: string }[] }
    ).Statement.map((s) => s.Resource);
    for (const t of templates) {
      expect(granted).toEqual([environmentOf(userDataOf(t)).DATABASE_SECRET_ARN]);
    }
  });

  it("has no plaintext database password anywhere", () => {
    const [db] = resources.filter((r) => r.type === DB_INSTANCE);
    // RDS generates the password and keeps it in Secrets Manager: the program never has one.
    expect(db?.inputs).not.toHaveProperty("password");
    expect(db?.inputs).not.toHaveProperty("passwordWo");
    for (const t of templates) {
      const userData = userDataOf(t);
      expect(userData).not.toMatch(/password/i);
      expect(userData).not.toMatch(/PGPASSWORD|PGPASSFILE|\.pgpass/);
      expect(userData).not.toMatch(/postgres(?:ql)?:\/\/[^@\s"]*:[^@\s"]*@/);
    }
  });
});
