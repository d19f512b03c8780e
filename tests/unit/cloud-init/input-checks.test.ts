import {
  assertDevicePath,
  assertFilesystem,
  assertMountPath,
  assertServiceName,
} from "../../../components/core/cloud-init/input-checks";

describe("assertServiceName", () => {
  it.each(["shop", "shop-api", "shop_api", "shop.v2", "a", "9lives"])("accepts %j", (s) => {
    expect(() => assertServiceName(s)).not.toThrow();
  });
  it.each(["", "shop.service", "my shop", "shop@1", "-shop", ".shop", "a/b", "a%i", "a$b", "ä"])(
    "rejects %j, naming it",
    (s) => {
      expect(() => assertServiceName(s)).toThrow(`Invalid service ${JSON.stringify(s)}: expected`);
    },
  );
});

describe("assertDevicePath", () => {
  it.each([
    "/dev/sdb",
    "/dev/nvme1n1",
    "/dev/disk/by-id/scsi-0DO_Volume_shop-data",
    "/dev/disk/by-path/pci-0000:00:05.0",
    "/dev/mapper/vg0-data",
  ])("accepts %j", (d) => {
    expect(() => assertDevicePath(d)).not.toThrow();
  });
  it.each([
    "",
    "sdb",
    "/dev",
    "/dev/",
    "/tmp/sdb",
    "/dev/../etc/passwd",
    "/dev/sd b",
    "/dev/sdb;rm",
    "/dev/%i",
    "/dev//sdb",
  ])("rejects %j, naming it", (d) => {
    expect(() => assertDevicePath(d)).toThrow(`Invalid dataVolume.devicePath ${JSON.stringify(d)}`);
  });
});

describe("assertMountPath", () => {
  it.each(["/var/lib/shop", "/data", "/srv/shop-data_1.0"])("accepts %j", (m) => {
    expect(() => assertMountPath(m)).not.toThrow();
  });
  it.each(["", "/", "data", "/var/lib/shop/", "/var//lib", "/var/../etc", "/a b", "/a\\b", "/%h"])(
    "rejects %j, naming it",
    (m) => {
      expect(() => assertMountPath(m)).toThrow(`Invalid dataVolume.mountPath ${JSON.stringify(m)}`);
    },
  );
});

describe("assertFilesystem", () => {
  it.each(["ext4", "xfs"])("accepts %j", (f) => {
    expect(() => assertFilesystem(f)).not.toThrow();
  });
  it.each(["", "ext3", "btrfs", "XFS"])("rejects %j, naming it", (f) => {
    expect(() => assertFilesystem(f)).toThrow(
      `Invalid dataVolume.filesystem ${JSON.stringify(f)}: expected "ext4" or "xfs"`,
    );
  });
});
