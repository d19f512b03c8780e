import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { planCommand } from "../../tools/plan/plan-command";

const ROOT = path.resolve(__dirname, "../..");
const MAIN = path.join(ROOT, "tools/plan/main.ts");

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run plan`'s entry point as npm would, from a project directory. */
function plan(args: string[], cwd = ROOT): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", MAIN, ...args],
      {
        cwd,
        env: {
          ...process.env,
          TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"),
          NODE_PATH: path.join(ROOT, "node_modules"),
        },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The same command run in this process (`planCommand`, what main.ts calls): as faithful, and
 * seconds faster than a new Node process with its TypeScript start-up.
 */
function inProcess(args: string[], cwd = ROOT): Promise<CliRun> {
  return planCommand(args, cwd);
}

/** A project directory with the real Pulumi.yaml and one stack file of the test's own. */
function projectWith(stack: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "phoenix-plan-"));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
  return dir;
}

/** Pulumi.prod.yaml with some settings changed (each must already be set there). */
function prodWith(changes: Record<string, string>): string {
  let text = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
  for (const [key, value] of Object.entries(changes)) {
    // The setting's line, and the list items under it if it is a list.
    const setting = new RegExp(`^  ${key}:.*(\n    - .*)*$`, "m");
    expect(text).toMatch(setting);
    text = text.replace(setting, `  ${key}: ${value}`);
  }
  return text;
}

/** A git repository whose HEAD holds the real Pulumi.yaml and this Pulumi.prod.yaml. */
function committed(prod: string): string {
  const dir = projectWith("prod", prod);
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { stdio: "pipe" });
  git("init", "-q");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
  return dir;
}

describe("npm run plan", () => {
  it("plans dev by default as a tree, with every policy passing, and exits 0", async () => {
    const result = await plan([]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(
      "Plan of stack phoenix/dev (offline: Pulumi mock runtime, no cloud calls)",
    );
    expect(lines).toContain("+ pulumi:pulumi:Stack  phoenix-dev");
    expect(result.stdout).toContain(
      "│  ├─ + digitalocean:index/databaseCluster:DatabaseCluster  shop-dev-db-cluster  [protected]  engine=pg version=16 size=db-s-1vcpu-1gb nodeCount=1",
    );
    expect(result.stdout).toContain("Policies: every policy passed.");
  });

  it("prints one JSON document for prod with the documented shape", async () => {
    const result = await inProcess(["--stack", "prod", "--json"]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      stack: string;
      resources: Record<string, unknown>[];
      violations: unknown[];
    };
    expect(Object.keys(doc)).toEqual(["stack", "resources", "diagnostics", "violations"]);
    expect(doc.stack).toBe("prod");
    expect(doc.violations).toEqual([]);
    for (const r of doc.resources)
      expect(Object.keys(r)).toEqual(["urn", "type", "name", "parent", "protect", "inputs"]);
    const cluster = doc.resources.find((r) => r.name === "shop-prod-db-cluster");
    expect(cluster).toMatchObject({
      type: "digitalocean:index/databaseCluster:DatabaseCluster",
      protect: true,
      inputs: { nodeCount: 2 },
    });
    const droplet = doc.resources.find((r) => r.name === "shop-prod-blue-0") as {
      inputs: Record<string, unknown>;
    };
    expect(droplet.inputs.userData).toBe("[secret]");
  });

  it("exits 1 naming the policy when a stack breaks a mandatory one", async () => {
    const dir = projectWith("slowdns", prodWith({ "phoenix:dnsTtlSeconds": "900" }));
    const result = await plan(["--stack", "slowdns"], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Policies: 2 mandatory, 0 advisory violation(s)");
    expect(result.stdout).toContain(
      "[mandatory] switchable-dns-ttl-bounded: digitalocean:index/dnsRecord:DnsRecord shop-slowdns-dns-live has TTL 900s; switchable records need a TTL of at most 300s",
    );
    const json = await inProcess(["--stack", "slowdns", "--json"], dir);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { violations: unknown[] }).violations[0]).toEqual({
      policy: "switchable-dns-ttl-bounded",
      level: "mandatory",
      urn: expect.stringContaining("::shop-slowdns-dns-live"),
      message:
        "digitalocean:index/dnsRecord:DnsRecord shop-slowdns-dns-live has TTL 900s; switchable records need a TTL of at most 300s",
    });
  });

  it("exits 2 with the validation messages for a broken config, registering nothing", async () => {
    const dir = projectWith(
      "broken",
      prodWith({ "phoenix:greenCount": "-2", "phoenix:adminCidrs": "['0.0.0.0/0']" }),
    );
    const result = await inProcess(["--stack", "broken"], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "Invalid Phoenix stack configuration (2 problems):\n" +
        '  - phoenix:greenCount: received "-2"; allowed: a whole number from 0 to 50\n' +
        '  - phoenix:adminCidrs: received "0.0.0.0/0", which opens SSH to the whole internet or a large part of it; allowed: a prefix of /8 or longer naming your admin networks\n',
    );
  });

  it("exits 2 with the Pulumi CLI's own message where the CLI would refuse the stack file", async () => {
    const text = prodWith({}).replace(/^ {2}phoenix:(platform|region): .*\n/gm, "");
    const result = await inProcess(["--stack", "noplatform"], projectWith("noplatform", text));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "validating stack config: Stack 'noplatform' is missing configuration values 'platform' and 'region'\n",
    );
  });

  it("exits 2 for a misspelt setting, naming the setting it was meant to be", async () => {
    const text = prodWith({}).replace("phoenix:greenCount:", "phoenix:greenCuont:");
    const result = await inProcess(["--stack", "typo"], projectWith("typo", text));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "  - phoenix:greenCuont: unknown setting (did you mean phoenix:greenCount?); allowed: one of platform,",
    );
  });

  it("prints the AWS tree for aws-prod, as text and as JSON, with every policy passing", async () => {
    const text = await inProcess(["--stack", "aws-prod"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      '├─ + phoenix:aws:LoadBalancer  shop-aws-prod-lb  liveColour=blue weights={"blue":100,"green":0} previewColour=green',
    );
    expect(text.stdout).toContain(
      "│  ├─ + aws:rds/instance:Instance  shop-aws-prod-db-instance  [protected]  engine=postgres engineVersion=17 instanceClass=db.m7g.large multiAz=true",
    );
    expect(text.stdout).toContain(
      "│  ├─ + aws:lb/listener:Listener  shop-aws-prod-lb-live  port=443 protocol=HTTPS",
    );
    expect(text.stdout).toContain("Policies: every policy passed.");
    const json = await inProcess(["--stack", "aws-prod", "--json"]);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as {
      resources: { type: string; name: string; protect: boolean }[];
      violations: unknown[];
    };
    expect(doc.violations).toEqual([]);
    expect(
      doc.resources
        .filter((r) => r.protect)
        .map((r) => `${r.type}::${r.name}`)
        .sort(),
    ).toEqual([
      "aws:ec2/eip:Eip::shop-aws-prod-net-nat-0",
      "aws:ec2/eip:Eip::shop-aws-prod-net-nat-1",
      "aws:ec2/eip:Eip::shop-aws-prod-net-nat-2",
      "aws:rds/instance:Instance::shop-aws-prod-db-instance",
    ]);
  });

  it("exits 2 for an unknown stack, naming the stack files it found", async () => {
    const result = await inProcess(["--stack", "staging"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'unknown stack "staging": no Pulumi.staging.yaml; stack files found: Pulumi.aws-dev.yaml, Pulumi.aws-legacy.yaml, Pulumi.aws-prod.yaml, Pulumi.dev.yaml, Pulumi.legacy.yaml, Pulumi.pr.yaml, Pulumi.prod.yaml, Pulumi.vsphere-dev.yaml, Pulumi.vsphere-prod.yaml\n',
    );
  });

  it("exits 2 for an argument it does not know", async () => {
    const result = await inProcess(["--stak", "prod"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown argument "--stak"');
  });

  describe("--base: the cutover rule across two versions of a stack", () => {
    /** A git repository whose HEAD has prod as it is (blue live, green built beside it). */
    const repo = () => committed(prodWith({}));

    it("passes a cutover that keeps the old colour", async () => {
      const dir = repo();
      fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), prodWith({ "phoenix:active": "green" }));
      const result = await inProcess(["--stack", "prod", "--base", "HEAD"], dir);
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n")[1]).toBe(
        "Base HEAD: compared resource by resource, and for the cutover rule.",
      );
    });

    it("exits 2 when live would leave a colour in the change that removes it, saying how to do it", async () => {
      const dir = repo();
      fs.writeFileSync(
        path.join(dir, "Pulumi.prod.yaml"),
        prodWith({ "phoenix:active": "green", "phoenix:blueCount": "0" }),
      );
      const result = await inProcess(["--stack", "prod", "--base", "HEAD", "--json"], dir);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        "Invalid Phoenix stack configuration (1 problem):\n" +
          '  - phoenix:blueCount: received "0"; allowed: 2 until blue no longer serves live traffic: set phoenix:active green and run pulumi up until blue has left the live endpoint, then remove blue in a later change\n',
      );
    });

    it("exits 2 for a ref git does not know", async () => {
      const result = await inProcess(["--stack", "prod", "--base", "no-such-branch"], repo());
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^--base received "no-such-branch", which git cannot show: /);
    });
  });

  describe("--base in prod: changes that go into servers touch only the colour that does not serve", () => {
    const SECRET = (ciphertext: string) =>
      `  phoenix:appSecrets:\n    SESSION_SECRET:\n      secure: ${ciphertext}\n`;
    /** A repository whose HEAD is prod with a session secret, blue live, green on preview. */
    const repo = () => committed(prodWith({}) + SECRET("v1:first"));
    interface Change {
      name: string;
      operation: string;
      inputs: { input: string; replaces?: string }[];
    }
    const changed = (stdout: string) =>
      Object.fromEntries(
        (JSON.parse(stdout) as { changes: Change[] }).changes
          .filter((c) => c.operation !== "same" && c.operation !== "read")
          .map((c) => [c.name, c.operation]),
      );
    const GREEN_REBUILT = {
      "shop-prod-green-0": "replace",
      "shop-prod-green-1": "replace",
      "shop-prod-lb-green": "update",
    };

    it.each([
      ["rotating a secret", prodWith({}) + SECRET("v1:rotated"), GREEN_REBUILT],
      [
        "changing an env var",
        prodWith({}).replace("LOG_LEVEL: info", "LOG_LEVEL: warn") + SECRET("v1:first"),
        GREEN_REBUILT,
      ],
      [
        "a new image on green",
        prodWith({ "phoenix:greenImage": '"187656666"' }) + SECRET("v1:first"),
        { "shop-prod-green": "update", ...GREEN_REBUILT },
      ],
      [
        "a new size on green",
        prodWith({ "phoenix:greenSize": "s-4vcpu-8gb" }) + SECRET("v1:first"),
        {
          "shop-prod-green": "update",
          "shop-prod-green-0": "update",
          "shop-prod-green-1": "update",
        },
      ],
    ])(
      "%s: green changes, blue and the live endpoint do not (exit 0)",
      async (_what, text, expected) => {
        const dir = repo();
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), text);
        const result = await inProcess(["--stack", "prod", "--base", "HEAD", "--json"], dir);
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        expect(changed(result.stdout)).toEqual(expected);
      },
    );

    it.each([
      [
        "phoenix:blueImage",
        '"187656666"',
        'phoenix:blueImage: received "187656666"; allowed: "187654321" while blue serves live traffic (its servers are never rebuilt while they serve); a new image reaches live traffic only through the other colour',
      ],
      [
        "phoenix:blueSize",
        "s-4vcpu-8gb",
        'phoenix:blueSize: received "s-4vcpu-8gb"; allowed: "s-2vcpu-4gb" while blue serves live traffic (a resize powers its servers off); a new size reaches live traffic only through the other colour',
      ],
    ])(
      "%s on blue, which serves, is refused with the recipe (exit 2)",
      async (key, value, message) => {
        const dir = repo();
        fs.writeFileSync(
          path.join(dir, "Pulumi.prod.yaml"),
          prodWith({ [key]: value }) + SECRET("v1:first"),
        );
        const result = await inProcess(["--stack", "prod", "--base", "HEAD"], dir);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(
          `  - ${message}: set it on green (phoenix:greenImage, phoenix:greenSize, phoenix:greenCount), run pulumi up and test the preview, then set phoenix:active green and run pulumi up until blue has left the live endpoint\n`,
        );
      },
    );

    it("prints the changes as text, with why each replacement happens", async () => {
      const dir = repo();
      fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), prodWith({}) + SECRET("v1:rotated"));
      const result = await inProcess(["--stack", "prod", "--base", "HEAD"], dir);
      expect(result.code).toBe(0);
      const section = result.stdout.slice(result.stdout.indexOf("Changes against HEAD:"));
      expect(section).toContain(
        "  +- digitalocean:index/droplet:Droplet  shop-prod-green-0  replace (create first, then delete)\n" +
          "      userData: [secret] => [secret]   forces replacement: the provider's schema (willReplaceOnChanges) and the program's replaceOnChanges\n",
      );
      expect(section).toContain("0 to create, 1 to update, 2 to replace, 0 to delete");
      expect(result.stdout).toContain(
        "warning: blue serves live traffic, so its servers keep what they were built with;",
      );
    });
  });
});
