// The rendered user data, checked by cloud-init itself (the Debian package, 22.4 here): its schema
// validator, and its own write_files module writing the files into a scratch directory.
import * as fs from "fs";
import * as path from "path";
import { renderEnvironmentFile } from "../../../components/core/cloud-init/environment-file";
import { readMountDataVolumeScript } from "../../../components/core/cloud-init/mount-data-volume";
import { renderUserData, UserDataInput } from "../../../components/core/cloud-init/user-data";
import { makeTempDir, requireFile, requireTool, run, runOk } from "./tools";
import { TRICKY_ENVIRONMENT } from "./tricky-environment";

const INPUTS: readonly [string, UserDataInput][] = [
  ["no volume, no environment", { service: "shop", environment: {} }],
  ["no volume, tricky environment", { service: "shop", environment: TRICKY_ENVIRONMENT }],
  [
    "ext4 volume, tricky environment",
    {
      service: "shop",
      environment: TRICKY_ENVIRONMENT,
      dataVolume: {
        devicePath: "/dev/disk/by-id/scsi-0DO_Volume_shop-data",
        mountPath: "/var/lib/shop",
        filesystem: "ext4",
      },
    },
  ],
  [
    "xfs volume",
    {
      service: "legacy-api",
      environment: { PORT: "8080" },
      dataVolume: { devicePath: "/dev/nvme1n1", mountPath: "/srv/data", filesystem: "xfs" },
    },
  ],
];

let dir: string;
beforeEach(() => {
  dir = makeTempDir("cloud-init");
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function schema(userData: string): { status: number | null; output: string } {
  const file = path.join(dir, "user-data.yaml");
  fs.writeFileSync(file, userData);
  const r = run(requireTool("cloud-init", "cloud-init"), ["schema", "--config-file", file]);
  return { status: r.status, output: r.stdout + r.stderr };
}

describe("cloud-init schema --config-file", () => {
  it.each(INPUTS)("accepts the user data (%s)", (_, input) => {
    const result = schema(renderUserData(input));
    // Comparing status and output together shows cloud-init's complaint when it fails.
    expect(result).toEqual({ status: 0, output: expect.stringContaining("Valid cloud-config") });
  });

  it.each([
    ["unquoted permissions (read as octal int)", (s: string) => s.replace('"0600"', "0600")],
    ["a misspelled key", (s: string) => s.replace("permissions:", "permission:")],
    ["a missing header", (s: string) => s.replace("#cloud-config\n", "")],
  ])("rejects user data with %s (the check is not vacuous)", (_, spoil) => {
    const userData = renderUserData({ service: "shop", environment: { A: "1" } });
    expect(spoil(userData)).not.toBe(userData);
    expect(schema(spoil(userData)).status).not.toBe(0);
  });
});

// Runs cloud-init's write_files module (cc_write_files.write_files) on the parsed user data, with
// every path moved under a scratch root, using cloud-init's own YAML loader.
const WRITE_FILES = `
import os, sys
from cloudinit import util
from cloudinit.config import cc_write_files
root, user_data = sys.argv[1], sys.argv[2]
with open(user_data) as f:
    cfg = util.load_yaml(f.read())
files = cfg["write_files"]
for f in files:
    f["path"] = root + f["path"]
cc_write_files.write_files("write_files", files, "root:root")
`;

describe("cloud-init's write_files module", () => {
  it.each(INPUTS)("writes each file byte for byte, with its mode and owner (%s)", (_, input) => {
    // cloud-init's interpreter: its modules are not importable from other Pythons.
    const python = requireFile("/usr/bin/python3", "cloud-init");
    const userDataFile = path.join(dir, "user-data.yaml");
    fs.writeFileSync(userDataFile, renderUserData(input));
    const root = path.join(dir, "root");
    runOk(python, ["-c", WRITE_FILES, root, userDataFile]);

    const written = (p: string) => {
      const st = fs.statSync(path.join(root, p));
      return {
        content: fs.readFileSync(path.join(root, p), "utf8"),
        mode: (st.mode & 0o7777).toString(8),
        owner: `${st.uid}:${st.gid}`,
      };
    };
    const { service } = input;
    expect(written(`/etc/phoenix/${service}.env`)).toEqual({
      content: renderEnvironmentFile(input.environment),
      mode: "600",
      owner: "0:0",
    });
    expect(written(`/etc/systemd/system/${service}.service.d/10-phoenix.conf`)).toMatchObject({
      mode: "644",
      owner: "0:0",
    });
    if (input.dataVolume) {
      expect(written("/usr/local/sbin/phoenix-mount-data-volume")).toEqual({
        content: readMountDataVolumeScript(),
        mode: "755",
        owner: "0:0",
      });
      expect(written("/etc/systemd/system/phoenix-data-volume.service")).toMatchObject({
        mode: "644",
        owner: "0:0",
      });
    }
  });
});
