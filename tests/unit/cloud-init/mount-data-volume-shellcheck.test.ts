import {
  MOUNT_DATA_VOLUME_SCRIPT,
  readMountDataVolumeScript,
} from "../../../components/core/cloud-init/mount-data-volume";
import { requireTool, run } from "./tools";

describe("mount-data-volume.sh", () => {
  it("passes shellcheck without any finding", () => {
    const r = run(requireTool("shellcheck", "shellcheck"), [MOUNT_DATA_VOLUME_SCRIPT]);
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({ status: 0, output: "" });
  });

  it("is a bash script in strict mode", () => {
    const text = readMountDataVolumeScript();
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(text).toContain("\nset -euo pipefail\n");
  });
});
