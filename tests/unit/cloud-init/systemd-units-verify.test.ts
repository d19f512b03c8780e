// The drop-in (on top of a fixture of the app unit an image ships) and the data-volume unit,
// checked by `systemd-analyze verify`. verify exits 0 on many problems it only warns about
// (an unknown key, an unparsable value, a relative path: all "ignoring"), so a unit passes only
// when verify exits 0 AND prints nothing; the negative controls below prove that this catches
// malformed units.
import * as fs from "fs";
import * as path from "path";
import { MOUNT_DATA_VOLUME_SCRIPT } from "../../../components/core/cloud-init/mount-data-volume";
import { DATA_VOLUME_UNIT } from "../../../components/core/cloud-init/paths";
import {
  renderAppDropIn,
  renderDataVolumeUnit,
} from "../../../components/core/cloud-init/systemd-units";
import { makeTempDir, requireTool, run } from "./tools";

const APP_UNIT = fs.readFileSync(path.join(__dirname, "fixtures", "shop.service"), "utf8");
const VOLUME = {
  devicePath: "/dev/disk/by-id/scsi-0DO_Volume_shop-data",
  mountPath: "/var/lib/shop",
  filesystem: "ext4",
} as const;

let dir: string;
beforeEach(() => {
  dir = makeTempDir("units");
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Units {
  dropIn: string;
  volumeUnit?: string;
}

function generated(withVolume: boolean, scriptPath: string): Units {
  return withVolume
    ? {
        dropIn: renderAppDropIn("shop", VOLUME),
        volumeUnit: renderDataVolumeUnit("shop", VOLUME, scriptPath),
      }
    : { dropIn: renderAppDropIn("shop") };
}

/** Lays the units out as in /etc/systemd/system and verifies them. */
function verify(units: Units): { status: number | null; output: string } {
  const exe = requireTool("systemd-analyze", "systemd");
  fs.mkdirSync(path.join(dir, "shop.service.d"));
  fs.writeFileSync(path.join(dir, "shop.service"), APP_UNIT);
  fs.writeFileSync(path.join(dir, "shop.service.d", "10-phoenix.conf"), units.dropIn);
  const files = [path.join(dir, "shop.service")];
  if (units.volumeUnit !== undefined) {
    fs.writeFileSync(path.join(dir, DATA_VOLUME_UNIT), units.volumeUnit);
    files.push(path.join(dir, DATA_VOLUME_UNIT));
  }
  // The trailing ":" keeps the system's unit directories (for multi-user.target and friends)
  // behind the scratch one.
  const r = run(exe, ["verify", ...files], { env: { SYSTEMD_UNIT_PATH: `${dir}:` }, cwd: dir });
  return { status: r.status, output: (r.stdout + r.stderr).trim() };
}

/** verify checks that ExecStart= is executable: install a copy of the script in the scratch dir. */
function installScript(): string {
  const script = path.join(dir, "phoenix-mount-data-volume");
  fs.copyFileSync(MOUNT_DATA_VOLUME_SCRIPT, script);
  fs.chmodSync(script, 0o755);
  return script;
}

describe("systemd-analyze verify", () => {
  it.each([
    ["without a data volume", false],
    ["with a data volume", true],
  ])("passes the app unit with its drop-in %s", (_, withVolume) => {
    const units = generated(withVolume, installScript());
    expect(verify(units)).toEqual({ status: 0, output: "" });
  });

  type Spoil = (units: Units, script: string) => Units;
  it.each<[string, Spoil, RegExp]>([
    [
      "an unknown key in the drop-in",
      (u) => ({ ...u, dropIn: `${u.dropIn}Typo=1\n` }),
      /Unknown key/,
    ],
    [
      "a misspelled section in the drop-in",
      (u) => ({ ...u, dropIn: u.dropIn.replace("[Service]", "[Servce]") }),
      /Unknown section/,
    ],
    [
      "a relative AssertPathIsMountPoint=",
      (u) => ({ ...u, dropIn: u.dropIn.replace("=/var/lib/shop", "=var/lib/shop") }),
      /not absolute/,
    ],
    [
      "an invalid Type=",
      (u) => ({ ...u, volumeUnit: u.volumeUnit?.replace("Type=oneshot", "Type=oneshoot") }),
      /service type/,
    ],
    [
      "a non-boolean RemainAfterExit=",
      (u) => ({ ...u, volumeUnit: u.volumeUnit?.replace("=yes", "=perhaps") }),
      /boolean/,
    ],
    [
      "an ExecStart= that does not exist",
      (u, script) => ({ ...u, volumeUnit: u.volumeUnit?.replace(script, `${script}-missing`) }),
      /No such file/,
    ],
  ])("fails a unit with %s (negative control)", (_, spoil, message) => {
    const script = installScript();
    const good = generated(true, script);
    const bad = spoil(good, script);
    expect(bad).not.toEqual(good);
    const result = verify(bad);
    expect(result).not.toEqual({ status: 0, output: "" });
    expect(result.output).toMatch(message);
  });
});
