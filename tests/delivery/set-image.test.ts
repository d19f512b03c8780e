// tools/release: the image of a release goes to the NON-live colour of the committed stack
// files, changing that one line and nothing else; the live colour is never touched, and a stack
// that cannot take an image now is refused with the setting, the value and what is allowed.
import * as fs from "fs";
import * as path from "path";
import { setNonLiveImage } from "../../tools/release/non-live-image";
import { readPackerManifest } from "../../tools/release/packer-manifest";
import { pullRequestBody, pullRequestTitle } from "../../tools/release/pull-request-body";
import { ReleaseRefusal } from "../../tools/release/refusal";
import { planRelease, StackOutcome } from "../../tools/release/release-plan";
import { setImageCommand } from "../../tools/release/set-image-command";
import { readStackFiles } from "../../tools/release/stack-files";
import { ROOT, run } from "./fixtures";
import { committed, copyStacks, diffLines, STACKS } from "./stacks";

const NEW_SNAPSHOT = "187656666";

/** A vSphere stack file's release settings, as `Pulumi.vsphere-*.yaml` write them. */
function vsphereStack(vcenter: string): string {
  return [
    "# vSphere: blue serves, green is on the preview endpoint.",
    "config:",
    `  vsphere:vsphereServer: ${vcenter}`,
    "  phoenix:platform: vsphere",
    "  phoenix:service: shop",
    "  phoenix:region: ams-dc1",
    "  phoenix:active: blue",
    "  phoenix:blueImage: shop-1.4.2-202611181030",
    "  phoenix:greenImage: shop-1.5.0-202611241415",
    "  phoenix:greenCount: 3",
    "",
  ].join("\n");
}
const NEW_AMI = "ami-0123456789abcdef0";
const VCENTER = "vcenter.ams.example.internal";
/** What turns a copy of prod into a vSphere stack, for the image rule. */
const VSPHERE_PLATFORM = `vsphere:vsphereServer: ${VCENTER}\n  phoenix:platform: vsphere`;

function refusal(action: () => unknown): string {
  try {
    action();
  } catch (e) {
    if (e instanceof ReleaseRefusal) return e.message;
    throw e;
  }
  throw new Error("expected a ReleaseRefusal, got none");
}

it("the committed stack files are the ones these tests were written against", () => {
  expect(STACKS).toEqual(
    expect.arrayContaining([
      "aws-dev",
      "aws-legacy",
      "aws-prod",
      "dev",
      "legacy",
      "prod",
      "vsphere-dev",
      "vsphere-prod",
    ]),
  );
});

describe("setNonLiveImage on the committed stack files", () => {
  it.each([
    // Blue is live in every committed stack: green gets the image, in place or beside its
    // colour's settings, quoted the way the stack writes its live image.
    [
      "prod",
      NEW_SNAPSHOT,
      [
        "@@ -22 +22 @@",
        '-  phoenix:greenImage: "187655555"',
        `+  phoenix:greenImage: "${NEW_SNAPSHOT}"`,
      ],
    ],
    ["dev", NEW_SNAPSHOT, ["@@ -16,0 +17 @@", `+  phoenix:greenImage: "${NEW_SNAPSHOT}"`]],
    [
      "aws-prod",
      NEW_AMI,
      [
        "@@ -31 +31 @@",
        "-  phoenix:greenImage: ami-0e86e20dae9224db8",
        `+  phoenix:greenImage: ${NEW_AMI}`,
      ],
    ],
    ["aws-dev", NEW_AMI, ["@@ -23,0 +24 @@", `+  phoenix:greenImage: ${NEW_AMI}`]],
    [
      "vsphere-prod",
      "shop-1.6.0-202611261200",
      [
        "@@ -51 +51 @@",
        "-  phoenix:greenImage: shop-1.5.0-202611241415",
        "+  phoenix:greenImage: shop-1.6.0-202611261200",
      ],
    ],
  ])("%s: only the non-live (green) image line changes", (stack, image, diff) => {
    const before = committed(stack);
    const change = setNonLiveImage(before, image);
    expect(change).toMatchObject({
      colour: "green",
      key: "phoenix:greenImage",
      image,
      changed: true,
    });
    expect(diffLines(before, change.text)).toEqual(diff);
    // Every comment line is still there, word for word.
    const comments = (t: string) => t.split("\n").filter((l) => l.trimStart().startsWith("#"));
    expect(comments(change.text)).toEqual(comments(before));
    expect(comments(before).length).toBeGreaterThan(2);
  });

  it("the new line sits with its colour's settings (dev: after blue's, before greenCount)", () => {
    const lines = setNonLiveImage(committed("dev"), NEW_SNAPSHOT).text.split("\n");
    const at = lines.indexOf(`  phoenix:greenImage: "${NEW_SNAPSHOT}"`);
    expect(lines.slice(at - 1, at + 2)).toEqual([
      "  phoenix:blueSize: s-1vcpu-1gb",
      `  phoenix:greenImage: "${NEW_SNAPSHOT}"`,
      "  phoenix:greenCount: 0",
    ]);
  });

  it("with green live, blue gets the image and green's keys are untouched", () => {
    const before = committed("prod").replace("phoenix:active: blue", "phoenix:active: green");
    const change = setNonLiveImage(before, NEW_SNAPSHOT);
    expect(change).toMatchObject({
      colour: "blue",
      key: "phoenix:blueImage",
      previous: "187654321",
    });
    expect(diffLines(before, change.text)).toEqual([
      "@@ -19 +19 @@",
      '-  phoenix:blueImage: "187654321"',
      `+  phoenix:blueImage: "${NEW_SNAPSHOT}"`,
    ]);
  });

  it("leaves the text as it was when the non-live colour already has the image", () => {
    const before = committed("prod");
    const change = setNonLiveImage(before, "187655555");
    expect(change.changed).toBe(false);
    expect(change.text).toBe(before);
  });

  it.each([
    [
      "prod",
      (t: string) =>
        t.replace("phoenix:active: blue", "phoenix:active: blue\n  phoenix:canaryWeight: 25"),
      NEW_SNAPSHOT,
      "phoenix:canaryWeight: received 25; allowed: 0 (or unset) before a release: the stack is mid-cutover and green serves 25% of live traffic",
    ],
    [
      "aws-prod",
      (t: string) =>
        t.replace("phoenix:active: blue", 'phoenix:active: blue\n  phoenix:canaryWeight: "10"'),
      NEW_AMI,
      "phoenix:canaryWeight: received 10; allowed: 0 (or unset)",
    ],
    [
      "legacy",
      (t: string) => t,
      NEW_SNAPSHOT,
      'phoenix:endpoint: received "floatingIp" with a data volume and one blue server; allowed: a stack with a non-live colour to build',
    ],
    [
      "aws-legacy",
      (t: string) => t,
      NEW_AMI,
      "takes a new image on its live server by the rebuild path, an outage",
    ],
    [
      "prod",
      (t: string) => t,
      NEW_AMI,
      `phoenix:greenImage: received "${NEW_AMI}"; allowed: on phoenix:platform digitalocean, the numeric ID of a custom image or snapshot`,
    ],
    [
      "aws-dev",
      (t: string) => t,
      NEW_SNAPSHOT,
      `phoenix:greenImage: received "${NEW_SNAPSHOT}"; allowed: on phoenix:platform aws, an AMI ID such as ami-0123456789abcdef0`,
    ],
    [
      "aws-dev",
      (t: string) => t,
      "ami-0123",
      'phoenix:greenImage: received "ami-0123"; allowed: on phoenix:platform aws',
    ],
    [
      "prod",
      (t: string) => t.replace("phoenix:platform: digitalocean", VSPHERE_PLATFORM),
      "shop 1.4.2",
      'phoenix:greenImage: received "shop 1.4.2"; allowed: on phoenix:platform vsphere, a template name that carries its release',
    ],
    [
      "prod",
      (t: string) => t.replace("phoenix:platform: digitalocean", VSPHERE_PLATFORM),
      "shop-latest",
      'phoenix:greenImage: received "shop-latest"; allowed: on phoenix:platform vsphere',
    ],
    [
      "prod",
      (t: string) => t.replace("phoenix:platform: digitalocean", "phoenix:platform: azure"),
      NEW_SNAPSHOT,
      'phoenix:platform: received "azure"; allowed: one of digitalocean, aws, vsphere',
    ],
    [
      "prod",
      (t: string) => t.replace("phoenix:active: blue", "phoenix:active: purple"),
      NEW_SNAPSHOT,
      'phoenix:active: received "purple"; allowed: blue or green',
    ],
  ])(
    "%s: refuses (%#) naming the setting, the value and what is allowed",
    (stack, edit, image, message) => {
      expect(refusal(() => setNonLiveImage(edit(committed(stack)), image))).toContain(message);
    },
  );

  it("accepts a vSphere template name built by images/", () => {
    const before = committed("prod").replace("phoenix:platform: digitalocean", VSPHERE_PLATFORM);
    const change = setNonLiveImage(before, "shop-1.4.2-202611251830");
    expect(diffLines(before, change.text)).toEqual([
      "@@ -23 +23 @@",
      '-  phoenix:greenImage: "187655555"',
      '+  phoenix:greenImage: "shop-1.4.2-202611251830"',
    ]);
  });
});

/** A packer manifest as the manifest post-processor writes it (two runs; the last one counts). */
function manifest(
  builds: { builder: string; id: string; version?: string; service?: string; vcenter?: string }[],
): string {
  const run = (uuid: string, b: (typeof builds)[number]) => ({
    name: "app",
    builder_type: b.builder,
    build_time: 1764095400,
    files: null,
    artifact_id: b.id,
    packer_run_uuid: uuid,
    custom_data: {
      service: b.service ?? "shop",
      version: b.version ?? "1.4.2",
      image_name: "shop-1.4.2-202611251830",
      vsphere_server: b.vcenter ?? "",
    },
  });
  return JSON.stringify({
    builds: [
      run("old-run", { builder: builds[0]?.builder ?? "", id: "junk" }),
      ...builds.map((b) => run("last-run", b)),
    ],
    last_run_uuid: "last-run",
  });
}

const DO_MANIFEST = manifest([{ builder: "digitalocean", id: `ams3,nyc3:${NEW_SNAPSHOT}` }]);
const AWS_MANIFEST = manifest([
  { builder: "amazon-ebs", id: "eu-west-1:ami-0aaaaaaaaaaaaaaa1,us-east-1:ami-0bbbbbbbbbbbbbbb2" },
]);

describe("a release from packer manifests over the committed stack files", () => {
  const images = () => [
    ...readPackerManifest(DO_MANIFEST, "manifest-digitalocean.json"),
    ...readPackerManifest(AWS_MANIFEST, "manifest-aws.json"),
  ];

  it("reads each builder's artifact ID as packer 1.6 writes it, from the last run only", () => {
    expect(images()).toEqual([
      {
        platform: "digitalocean",
        service: "shop",
        version: "1.4.2",
        byLocation: { ams3: NEW_SNAPSHOT, nyc3: NEW_SNAPSHOT },
      },
      {
        platform: "aws",
        service: "shop",
        version: "1.4.2",
        byLocation: { "eu-west-1": "ami-0aaaaaaaaaaaaaaa1", "us-east-1": "ami-0bbbbbbbbbbbbbbb2" },
      },
    ]);
    expect(
      readPackerManifest(
        manifest([{ builder: "vsphere-clone", id: "shop-1.4.2-202611251830", vcenter: VCENTER }]),
        "m",
      ),
    ).toEqual([
      {
        platform: "vsphere",
        service: "shop",
        version: "1.4.2",
        byLocation: { [VCENTER]: "shop-1.4.2-202611251830" },
      },
    ]);
  });

  it("sets each shop stack's non-live colour to the image of its platform and region; ledger is not in it", () => {
    const plan = planRelease(images(), readStackFiles(ROOT));
    const summary = plan.outcomes.map((o: StackOutcome) =>
      o.status === "refused"
        ? [o.stack, o.status]
        : [o.stack, o.status, o.key, o.image, o.live, o.count],
    );
    expect(summary).toEqual([
      ["aws-dev", "set", "phoenix:greenImage", "ami-0aaaaaaaaaaaaaaa1", "blue", 0],
      ["aws-prod", "set", "phoenix:greenImage", "ami-0bbbbbbbbbbbbbbb2", "blue", 2],
      ["dev", "set", "phoenix:greenImage", NEW_SNAPSHOT, "blue", 0],
      ["pr", "set", "phoenix:greenImage", NEW_SNAPSHOT, "blue", 0],
      ["prod", "set", "phoenix:greenImage", NEW_SNAPSHOT, "blue", 2],
    ]);
    for (const o of plan.outcomes) {
      if (o.status !== "set") continue;
      const changed = diffLines(committed(o.stack), o.text).filter((l) => /^[-+]/.test(l));
      expect(changed.every((l) => l.includes("phoenix:greenImage"))).toBe(true);
      expect(changed.filter((l) => l.startsWith("+"))).toHaveLength(1);
    }
  });

  it("writes a pull request body listing which stack's which colour gets which image", () => {
    const plan = planRelease(images(), readStackFiles(ROOT));
    expect(pullRequestTitle(plan)).toBe("Release shop 1.4.2: new images for the non-live colours");
    const body = pullRequestBody(plan);
    expect(body).toContain(
      `| \`prod\` | green (\`phoenix:greenImage\`) | \`${NEW_SNAPSHOT}\` | \`187655555\` | blue |`,
    );
    expect(body).toContain(
      "| `aws-dev` | green (`phoenix:greenImage`) | `ami-0aaaaaaaaaaaaaaa1` | unset | blue |",
    );
    expect(body).toContain("- `dev`: green has no servers (`phoenix:greenCount` is 0)");
    expect(body).not.toContain("legacy");
  });

  it("lists, without changing it, a stack whose region the image was not copied to", () => {
    const narrow = readPackerManifest(
      manifest([{ builder: "amazon-ebs", id: "us-east-1:ami-0bbbbbbbbbbbbbbb2" }]),
      "m",
    );
    const plan = planRelease(narrow, readStackFiles(ROOT));
    expect(plan.outcomes.find((o) => o.stack === "aws-dev")).toEqual({
      stack: "aws-dev",
      status: "refused",
      reason:
        'phoenix:region: received "eu-west-1"; allowed: where the aws image was built or copied to (us-east-1); build the image there too (images/README.md)',
    });
    expect(pullRequestBody(plan)).toContain("- `aws-dev`: not changed. phoenix:region: received");
  });

  it("lists a stack that is mid-cutover as not changed", () => {
    const stacks = readStackFiles(ROOT).map((s) =>
      s.stack === "prod"
        ? {
            ...s,
            text: s.text.replace(
              "phoenix:active: blue",
              "phoenix:active: blue\n  phoenix:canaryWeight: 25",
            ),
          }
        : s,
    );
    const prod = planRelease(images(), stacks).outcomes.find((o) => o.stack === "prod");
    expect(prod?.status).toBe("refused");
    expect(prod?.status === "refused" && prod.reason).toContain(
      "phoenix:canaryWeight: received 25",
    );
  });

  it("gives a vSphere template only to the stacks of the vCenter it was built on", () => {
    const template = "shop-1.6.0-202611261200";
    const images = readPackerManifest(
      manifest([{ builder: "vsphere-clone", id: template, vcenter: VCENTER }]),
      "manifest-vsphere.json",
    );
    const stacks = [
      { stack: "vsphere-a", text: vsphereStack(VCENTER) },
      { stack: "vsphere-b", text: vsphereStack("vcenter-lab.example.internal") },
    ];
    const [a, b] = planRelease(images, stacks).outcomes;
    expect(a).toMatchObject({ stack: "vsphere-a", status: "set", key: "phoenix:greenImage" });
    expect(a?.status === "set" && diffLines(stacks[0]?.text ?? "", a.text)).toEqual([
      "@@ -9 +9 @@",
      "-  phoenix:greenImage: shop-1.5.0-202611241415",
      `+  phoenix:greenImage: ${template}`,
    ]);
    expect(b).toEqual({
      stack: "vsphere-b",
      status: "refused",
      reason: `vsphere:vsphereServer: received "vcenter-lab.example.internal"; allowed: where the vsphere image was built or copied to (${VCENTER}); build the image there too (images/README.md)`,
    });
  });

  it("refuses a vSphere manifest that does not say which vCenter the template is on", () => {
    const json = manifest([{ builder: "vsphere-clone", id: "shop-1.6.0-202611261200" }]);
    expect(refusal(() => readPackerManifest(json, "m"))).toBe(
      'm: builds[1].custom_data.vsphere_server: received ""; allowed: the vCenter the template was built on, as images/build.pkr.hcl records it',
    );
  });

  it.each([
    [
      manifest([{ builder: "qemu", id: "x" }]),
      'm: builds[1].builder_type: received "qemu"; allowed: one of digitalocean, amazon-ebs, vsphere-clone',
    ],
    [
      manifest([{ builder: "amazon-ebs", id: "us-east-1:ami-zz" }]),
      'm: builds[1].artifact_id: received "us-east-1:ami-zz"; allowed: an image of aws',
    ],
    [
      manifest([{ builder: "digitalocean", id: "nyc3:debian-12-x64" }]),
      "allowed: an image of digitalocean: the numeric ID",
    ],
    ["{", 'm: received "'],
    ["{}", "m: builds: received nothing (unset); allowed: a list of packer builds"],
  ])("refuses a manifest that is not a release's (%#)", (json, message) => {
    expect(refusal(() => readPackerManifest(json, "m"))).toContain(message);
  });

  it("refuses images of two versions in one release", () => {
    const mixed = [
      ...readPackerManifest(DO_MANIFEST, "a"),
      ...readPackerManifest(
        manifest([
          { builder: "amazon-ebs", id: "us-east-1:ami-0bbbbbbbbbbbbbbb2", version: "1.4.3" },
        ]),
        "b",
      ),
    ];
    expect(refusal(() => planRelease(mixed, readStackFiles(ROOT)))).toBe(
      'custom_data.version: received ["1.4.2","1.4.3"]; allowed: one version per release',
    );
  });
});

describe("the set-image command", () => {
  it("--stack sets one stack file's non-live image and says the live colour is untouched", () => {
    const dir = copyStacks();
    const outcome = setImageCommand(["--stack", "Pulumi.aws-prod.yaml", "--image", NEW_AMI], dir);
    expect(outcome).toEqual({
      code: 0,
      stdout: `Pulumi.aws-prod.yaml: phoenix:greenImage ami-0e86e20dae9224db8 -> ${NEW_AMI} (blue is live and untouched)\n`,
      stderr: "",
    });
    expect(
      diffLines(
        committed("aws-prod"),
        fs.readFileSync(path.join(dir, "Pulumi.aws-prod.yaml"), "utf8"),
      ),
    ).toEqual([
      "@@ -31 +31 @@",
      "-  phoenix:greenImage: ami-0e86e20dae9224db8",
      `+  phoenix:greenImage: ${NEW_AMI}`,
    ]);
  });

  it("--stack refuses with exit 1 and leaves the file byte for byte", () => {
    const dir = copyStacks();
    const outcome = setImageCommand(["--stack", "Pulumi.prod.yaml", "--image", NEW_AMI], dir);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `set-image: phoenix:greenImage: received "${NEW_AMI}"; allowed:`,
    );
    expect(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(committed("prod"));
  });

  it("--manifest writes every target stack file and the pull request's body and title", () => {
    const dir = copyStacks();
    fs.writeFileSync(path.join(dir, "manifest-digitalocean.json"), DO_MANIFEST);
    fs.writeFileSync(path.join(dir, "manifest-aws.json"), AWS_MANIFEST);
    const outcome = setImageCommand(
      [
        "--manifest",
        "manifest-digitalocean.json",
        "--manifest",
        "manifest-aws.json",
        "--body",
        "body.md",
        "--title",
        "title.txt",
      ],
      dir,
    );
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toBe(
      [
        "aws-dev: phoenix:greenImage set to ami-0aaaaaaaaaaaaaaa1",
        "aws-prod: phoenix:greenImage set to ami-0bbbbbbbbbbbbbbb2",
        `dev: phoenix:greenImage set to ${NEW_SNAPSHOT}`,
        `pr: phoenix:greenImage set to ${NEW_SNAPSHOT}`,
        `prod: phoenix:greenImage set to ${NEW_SNAPSHOT}`,
        "",
      ].join("\n"),
    );
    for (const stack of STACKS) {
      const now = fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");
      const changed = diffLines(committed(stack), now).filter((l) => /^[-+]/.test(l));
      if (!["aws-dev", "aws-prod", "dev", "pr", "prod"].includes(stack))
        expect(changed).toEqual([]);
      else
        expect(changed.filter((l) => l.startsWith("+"))).toEqual([
          expect.stringContaining("phoenix:greenImage:"),
        ]);
      expect(changed.some((l) => l.includes("phoenix:blue"))).toBe(false);
    }
    expect(fs.readFileSync(path.join(dir, "title.txt"), "utf8")).toBe(
      "Release shop 1.4.2: new images for the non-live colours\n",
    );
    expect(fs.readFileSync(path.join(dir, "body.md"), "utf8")).toContain("| `dev` | green");
  });

  it.each([
    [[], "received no --stack/--image or --manifest"],
    [["--stack", "Pulumi.prod.yaml"], "--stack and --image: allowed only together"],
    [["--image", NEW_SNAPSHOT, "--manifest", "m.json", "--stack", "x"], "given both"],
    [["--force", "yes"], "--force: received an unknown option"],
  ])("exits 2 with the usage for %j", (args, message) => {
    const outcome = setImageCommand(args, ROOT);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(message);
    expect(outcome.stderr).toContain("Usage:");
  });

  it("runs as a command (ts-node), as the release workflow calls it", () => {
    const dir = copyStacks();
    const result = run(path.join(ROOT, "node_modules/.bin/ts-node"), [
      "--transpile-only",
      path.join(ROOT, "tools/release/set-image.ts"),
      "--stack",
      path.join(dir, "Pulumi.prod.yaml"),
      "--image",
      NEW_SNAPSHOT,
    ]);
    expect(result).toEqual({
      status: 0,
      output: `Pulumi.prod.yaml: phoenix:greenImage 187655555 -> ${NEW_SNAPSHOT} (blue is live and untouched)\n`,
    });
  }, 30_000);
});
