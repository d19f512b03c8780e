// The image templates (images/) and their provisioning scripts, checked by the real tools:
// Debian's packer 1.6.6 validates every platform's build offline (its digitalocean, amazon-ebs and
// vsphere-clone builders are built in), shellcheck reads the scripts, and the app's install
// script runs for real into a temporary root.
import * as fs from "fs";
import * as path from "path";
import { VSPHERE_TEMPLATE_NAME } from "../../tools/release/image-rules";
import { releaseArchive, ROOT, run, sshPrivateKey, tempDir, TEST_UNIT, ToolRun } from "./fixtures";

const IMAGES = path.join(ROOT, "images");
const PROVISION = path.join(IMAGES, "provision");
const EXAMPLES = path.join(IMAGES, "example-vars");
const SOURCES = ["digitalocean.app", "amazon-ebs.app", "vsphere-clone.app"] as const;

/** Packer never phones home for a version check here. */
const QUIET = { CHECKPOINT_DISABLE: "1" };
/** What each platform's build reads from the environment (fake, but the shape packer checks). */
const CREDENTIALS: Record<(typeof SOURCES)[number], Record<string, string>> = {
  "digitalocean.app": { DIGITALOCEAN_API_TOKEN: "dop_v1_fake-token-for-validation" },
  "amazon-ebs.app": {},
  "vsphere-clone.app": {
    VSPHERE_SERVER: "vcenter.example.com",
    VSPHERE_USER: "packer@vsphere.local",
    VSPHERE_PASSWORD: "fake-password-for-validation",
  },
};
const VAR_FILES: Record<(typeof SOURCES)[number], string> = {
  "digitalocean.app": "digitalocean.pkrvars.hcl",
  "amazon-ebs.app": "aws.pkrvars.hcl",
  "vsphere-clone.app": "vsphere.pkrvars.hcl",
};

let dir: string;
let artifact: string;
let key: string;

beforeAll(() => {
  dir = tempDir("images");
  artifact = releaseArchive(dir);
  key = sshPrivateKey(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The release's variables, with the test's archive and key in place of the example's. */
function releaseVars(): string[] {
  return [
    `-var-file=${path.join(EXAMPLES, "release.pkrvars.hcl")}`,
    "-var",
    `artifact=${artifact}`,
  ];
}

function platformVars(source: (typeof SOURCES)[number]): string[] {
  const vars = [`-var-file=${path.join(EXAMPLES, VAR_FILES[source])}`];
  return source === "vsphere-clone.app"
    ? [...vars, "-var", `vsphere_ssh_private_key_file=${key}`]
    : vars;
}

function validate(args: readonly string[], env: Record<string, string> = {}): ToolRun {
  return run("packer", ["validate", ...args, IMAGES], { ...QUIET, ...env });
}

describe("packer validate (Debian's packer, offline)", () => {
  it.each(SOURCES)(
    "passes for %s with only that platform's variables and credentials",
    (source) => {
      const result = validate(
        [`-only=${source}`, ...releaseVars(), ...platformVars(source)],
        CREDENTIALS[source],
      );
      expect(result).toEqual({ status: 0, output: "" });
    },
  );

  it("passes for all three builds at once", () => {
    const args = [...releaseVars(), ...SOURCES.flatMap(platformVars)];
    const env = Object.assign({}, ...Object.values(CREDENTIALS)) as Record<string, string>;
    expect(validate(args, env)).toEqual({ status: 0, output: "" });
  });

  it("fails without a required release variable, with packer's message", () => {
    const result = validate([
      "-only=amazon-ebs.app",
      "-var",
      "version=1.4.2",
      "-var",
      `artifact=${artifact}`,
    ]);
    expect(result.status).toBe(1);
    expect(result.output).toContain('Unset variable "service"');
  });

  it("fails for a platform whose credentials or placement are missing, with the builder's message", () => {
    const digitalocean = validate(["-only=digitalocean.app", ...releaseVars()]);
    expect(digitalocean.status).toBe(1);
    expect(digitalocean.output).toContain("api_token for auth must be specified");
    const vsphere = validate(["-only=vsphere-clone.app", ...releaseVars()]);
    expect(vsphere.status).toBe(1);
    expect(vsphere.output).toContain("'vcenter_server' is required");
    expect(vsphere.output).toContain("'template' is required");
  });

  it.each([
    ["version", "1.4.2+build.7", "The version variable must be"],
    ["version", "v 1.4", "The version variable must be"],
    ["service", "shop.service", "The service variable must be"],
    ["service", "-shop", "The service variable must be"],
  ])("refuses %s %j, which would make an invalid image name", (name, value, message) => {
    const result = validate(["-only=amazon-ebs.app", ...releaseVars(), "-var", `${name}=${value}`]);
    expect(result.status).toBe(1);
    expect(result.output).toContain(message);
  });

  it("fails when the release archive does not exist", () => {
    const result = validate([
      "-only=amazon-ebs.app",
      ...releaseVars(),
      "-var",
      `artifact=${dir}/missing.tar.gz`,
    ]);
    expect(result.status).toBe(1);
    expect(result.output).toContain(`Bad source '${dir}/missing.tar.gz'`);
  });

  it("names images <service>-<version>-<UTC build time>, a valid vSphere image name", () => {
    const result = run(
      "packer",
      ["console", ...releaseVars(), IMAGES],
      QUIET,
      "local.image_name\n",
    );
    expect(result.status).toBe(0);
    const name = result.output.trim();
    expect(name).toMatch(/^shop-1\.4\.2-20\d{2}(0[1-9]|1[0-2])\d{2}([01]\d|2[0-3])[0-5]\d$/);
    expect(VSPHERE_TEMPLATE_NAME.test(name)).toBe(true);
  }, 30_000);
});

describe("one provisioning for every platform", () => {
  const templates = fs.readdirSync(IMAGES).filter((f) => f.endsWith(".pkr.hcl"));
  const read = (file: string) => fs.readFileSync(path.join(IMAGES, file), "utf8");

  it("has one build block, over the three sources, and no provisioner outside it", () => {
    const builds = templates.filter((f) => /^build\s*\{/m.test(read(f)));
    expect(builds).toEqual(["build.pkr.hcl"]);
    const build = read("build.pkr.hcl");
    for (const source of SOURCES) expect(build).toContain(`"source.${source}"`);
    for (const file of templates.filter((f) => f !== "build.pkr.hcl")) {
      expect(read(file)).not.toMatch(/^\s*(?:provisioner|post-processor)\s+"/m);
    }
  });

  it("runs the scripts in images/provision, each of which exists, and writes a manifest", () => {
    const build = read("build.pkr.hcl");
    const scripts = [...build.matchAll(/"\$\{path\.root\}\/(provision\/[^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual([
      "provision/base.sh",
      "provision/install-app.sh",
      "provision/cleanup.sh",
    ]);
    for (const script of scripts) expect(fs.existsSync(path.join(IMAGES, script ?? ""))).toBe(true);
    expect(build).toMatch(/post-processor "manifest"/);
  });

  it("never enables a unit: no `systemctl enable` in any script or template", () => {
    const files = [
      ...templates.map((f) => path.join(IMAGES, f)),
      ...fs.readdirSync(PROVISION).map((f) => path.join(PROVISION, f)),
    ];
    const enabling = /systemctl\s+(?:--?\S+\s+)*(?:enable|reenable|preset)\b|\.wants\/[^"\s]*\s*$/m;
    expect(enabling.test("systemctl --now enable shop.service")).toBe(true);
    expect(files.filter((f) => enabling.test(fs.readFileSync(f, "utf8")))).toEqual([]);
  });

  it("passes shellcheck", () => {
    const scripts = fs.readdirSync(PROVISION).filter((f) => f.endsWith(".sh"));
    expect(scripts.sort()).toEqual(["base.sh", "cleanup.sh", "install-app.sh"]);
    const result = run(
      "shellcheck",
      scripts.map((f) => path.join(PROVISION, f)),
    );
    expect(result).toEqual({ status: 0, output: "" });
  });
});

describe("install-app.sh, run for real into a temporary root", () => {
  const script = path.join(PROVISION, "install-app.sh");
  const install = (root: string, archive: string, env: Record<string, string> = {}) =>
    run("sh", [script], {
      PHOENIX_SERVICE: "shop",
      PHOENIX_VERSION: "1.4.2",
      PHOENIX_ARTIFACT: archive,
      PHOENIX_ROOT: root,
      ...env,
    });
  const isEnabled = (root: string) =>
    run("systemctl", [`--root=${root}`, "is-enabled", "shop.service"]);

  it("installs the app and its unit, which systemd reports as disabled", () => {
    const root = tempDir("root");
    const result = install(root, artifact);
    expect(result).toEqual({
      status: 0,
      output:
        "install-app.sh: shop 1.4.2 installed at /opt/shop, shop.service installed and disabled\n",
    });
    const unit = path.join(root, "etc/systemd/system/shop.service");
    expect(fs.readFileSync(unit, "utf8")).toBe(TEST_UNIT);
    expect(fs.statSync(unit).mode & 0o777).toBe(0o644);
    expect(fs.statSync(path.join(root, "opt/shop/bin/shop")).mode & 0o777).toBe(0o755);
    expect(fs.existsSync(path.join(root, "opt/shop/shop.service"))).toBe(false);
    // Only the release, nothing of an environment: cloud-init writes /etc/phoenix/shop.env.
    expect(fs.readdirSync(path.join(root, "etc/phoenix"))).toEqual(["image"]);
    expect(fs.readFileSync(path.join(root, "etc/phoenix/image"), "utf8")).toBe(
      "PHOENIX_SERVICE=shop\nPHOENIX_VERSION=1.4.2\n",
    );
    expect(isEnabled(root)).toEqual({ status: 1, output: "disabled\n" });
    // The check above can fail: the same question after enabling it.
    run("systemctl", [`--root=${root}`, "enable", "shop.service"]);
    expect(isEnabled(root)).toEqual({ status: 0, output: "enabled\n" });
  });

  it("refuses an image in which the unit is already enabled", () => {
    const root = tempDir("root");
    fs.mkdirSync(path.join(root, "etc/systemd/system/multi-user.target.wants"), {
      recursive: true,
    });
    fs.symlinkSync(
      "/etc/systemd/system/shop.service",
      path.join(root, "etc/systemd/system/multi-user.target.wants/shop.service"),
    );
    const result = install(root, artifact);
    expect(result.status).toBe(1);
    expect(result.output).toContain("shop.service is enabled in the image");
  });

  it.each([
    [
      "a service name with a space",
      { PHOENIX_SERVICE: "sh op" },
      "PHOENIX_SERVICE: received 'sh op'",
    ],
    [
      "a service name ending in .service",
      { PHOENIX_SERVICE: "shop.service" },
      "PHOENIX_SERVICE: received",
    ],
    ["a version with a space", { PHOENIX_VERSION: "1.4 2" }, "PHOENIX_VERSION: received '1.4 2'"],
    [
      "a missing archive",
      { PHOENIX_ARTIFACT: "/nonexistent.tar.gz" },
      "PHOENIX_ARTIFACT: received",
    ],
  ])("refuses %s", (_what, env, message) => {
    const root = tempDir("root");
    const result = install(root, artifact, env);
    expect(result.status).toBe(1);
    expect(result.output).toContain(message);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it("refuses an archive without the unit, or with paths outside it", () => {
    const root = tempDir("root");
    const noUnit = install(
      root,
      releaseArchive(dir, { "shop.service": null, "other.service": TEST_UNIT }),
    );
    expect(noUnit.status).toBe(1);
    expect(noUnit.output).toContain("has no shop.service at its top level");
    const escaping = tempDir("escape");
    fs.writeFileSync(path.join(escaping, "x"), "x");
    const archive = path.join(dir, "escaping.tar.gz");
    run("tar", [
      "-czf",
      archive,
      "-P",
      `--transform=s,^${escaping.slice(1)}/x,../x,`,
      escaping + "/x",
    ]);
    const outside = install(root, archive);
    expect(outside.status).toBe(1);
    expect(outside.output).toContain("has absolute or '..' paths");
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
