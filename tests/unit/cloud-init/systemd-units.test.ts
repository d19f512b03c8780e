import {
  DEVICE_WAIT_SECONDS,
  renderAppDropIn,
  renderDataVolumeUnit,
} from "../../../components/core/cloud-init/systemd-units";

const VOLUME = {
  devicePath: "/dev/disk/by-id/scsi-0DO_Volume_shop-data",
  mountPath: "/var/lib/shop",
  filesystem: "ext4",
} as const;

describe("renderAppDropIn", () => {
  it("without a data volume only requires and loads the environment file", () => {
    expect(renderAppDropIn("shop")).toBe(
      [
        "[Unit]",
        "AssertPathExists=/etc/phoenix/shop.env",
        "",
        "[Service]",
        "EnvironmentFile=/etc/phoenix/shop.env",
        "",
      ].join("\n"),
    );
  });

  it("with a data volume also requires the volume unit and the mount", () => {
    expect(renderAppDropIn("shop", VOLUME)).toBe(
      [
        "[Unit]",
        "AssertPathExists=/etc/phoenix/shop.env",
        "Requires=phoenix-data-volume.service",
        "After=phoenix-data-volume.service",
        "AssertPathIsMountPoint=/var/lib/shop",
        "",
        "[Service]",
        "EnvironmentFile=/etc/phoenix/shop.env",
        "",
      ].join("\n"),
    );
  });

  it("rejects an invalid service or mount path", () => {
    expect(() => renderAppDropIn("a b")).toThrow('Invalid service "a b"');
    expect(() => renderAppDropIn("shop", { ...VOLUME, mountPath: "data" })).toThrow(
      'Invalid dataVolume.mountPath "data"',
    );
  });
});

describe("renderDataVolumeUnit", () => {
  it("waits for the volume longer than a rebuild takes to bring it (shut down, detach, attach)", () => {
    // DigitalOcean retries attach and detach for 5 minutes each (resource_volume_attachment.go);
    // the old server's shutdown comes first (release-volume.ts gives it 3 minutes).
    expect(DEVICE_WAIT_SECONDS).toBeGreaterThanOrEqual(5 * 60 + 5 * 60 + 3 * 60);
  });

  it("runs the volume script once, before the app, and stays active", () => {
    expect(renderDataVolumeUnit("shop", VOLUME)).toBe(
      [
        "[Unit]",
        "Description=Phoenix data volume for shop at /var/lib/shop",
        "Before=shop.service",
        "",
        "[Service]",
        "Type=oneshot",
        "RemainAfterExit=yes",
        "Environment=PHOENIX_DEVICE_WAIT_SECONDS=900",
        "ExecStart=/usr/local/sbin/phoenix-mount-data-volume " +
          "/dev/disk/by-id/scsi-0DO_Volume_shop-data /var/lib/shop ext4",
        "TimeoutStartSec=1200",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
      ].join("\n"),
    );
  });

  it("takes another script path (for tests)", () => {
    expect(renderDataVolumeUnit("shop", VOLUME, "/tmp/x/script")).toContain(
      "ExecStart=/tmp/x/script /dev/disk/by-id/scsi-0DO_Volume_shop-data /var/lib/shop ext4\n",
    );
  });

  it.each([
    [{ ...VOLUME, devicePath: "/dev/sd b" }, 'Invalid dataVolume.devicePath "/dev/sd b"'],
    [{ ...VOLUME, mountPath: "/var/lib/%i" }, 'Invalid dataVolume.mountPath "/var/lib/%i"'],
    [{ ...VOLUME, filesystem: "ext3" as "ext4" }, 'Invalid dataVolume.filesystem "ext3"'],
  ])("rejects %j", (volume, message) => {
    expect(() => renderDataVolumeUnit("shop", volume)).toThrow(message);
  });
});
