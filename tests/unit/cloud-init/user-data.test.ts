import { parse } from "yaml";
import { renderEnvironmentFile } from "../../../components/core/cloud-init/environment-file";
import { readMountDataVolumeScript } from "../../../components/core/cloud-init/mount-data-volume";
import {
  DataVolumeMount,
  renderUserData,
  UserDataInput,
} from "../../../components/core/cloud-init/user-data";
import { TRICKY_ENVIRONMENT } from "./tricky-environment";

interface WriteFile {
  path: string;
  owner: string;
  permissions: string;
  content: string;
}
interface CloudConfig {
  write_files: WriteFile[];
  runcmd: string[][];
}

const VOLUME: DataVolumeMount = {
  devicePath: "/dev/disk/by-id/scsi-0DO_Volume_shop-data",
  mountPath: "/var/lib/shop",
  filesystem: "ext4",
};

// Distinctive values, so that finding one anywhere but the environment file is a real leak.
const SECRETS = {
  DATABASE_URL: "postgres://shop:pw-7f3a9c@db:5432/shop",
  API_TOKEN: "tok-5b1e2d8e",
  MULTILINE: "key-line-1-c4d2\nkey-line-2-e9a1",
};

function render(input: UserDataInput): { text: string; config: CloudConfig } {
  const text = renderUserData(input);
  // cloud-init reads YAML 1.1 (PyYAML); read it back the same way.
  return { text, config: parse(text, { version: "1.1" }) as CloudConfig };
}

describe("renderUserData", () => {
  it.each([
    ["without a data volume", undefined],
    ["with a data volume", VOLUME],
  ])("starts with the #cloud-config header and holds only write_files and runcmd (%s)", (_, v) => {
    const { text, config } = render({ service: "shop", environment: SECRETS, dataVolume: v });
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    // No bootcmd, no output/debug settings that would copy user data into logs.
    expect(Object.keys(config).sort()).toEqual(["runcmd", "write_files"]);
  });

  it("without a data volume writes the environment file and the drop-in, then starts the app", () => {
    const { config } = render({ service: "shop", environment: SECRETS });
    expect(
      config.write_files.map(({ path, owner, permissions }) => [path, owner, permissions]),
    ).toEqual([
      ["/etc/phoenix/shop.env", "root:root", "0600"],
      ["/etc/systemd/system/shop.service.d/10-phoenix.conf", "root:root", "0644"],
    ]);
    expect(config.runcmd).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "shop.service"],
      ["systemctl", "restart", "shop.service"],
    ]);
    expect(config.write_files[1]?.content).toBe(
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

  it("with a data volume also ships the volume script and unit, and mounts before the app starts", () => {
    const { config } = render({ service: "shop", environment: SECRETS, dataVolume: VOLUME });
    expect(
      config.write_files.map(({ path, owner, permissions }) => [path, owner, permissions]),
    ).toEqual([
      ["/etc/phoenix/shop.env", "root:root", "0600"],
      ["/etc/systemd/system/shop.service.d/10-phoenix.conf", "root:root", "0644"],
      ["/usr/local/sbin/phoenix-mount-data-volume", "root:root", "0755"],
      ["/etc/systemd/system/phoenix-data-volume.service", "root:root", "0644"],
    ]);
    expect(config.runcmd).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "phoenix-data-volume.service"],
      ["systemctl", "enable", "shop.service"],
      ["systemctl", "restart", "shop.service"],
    ]);
    expect(config.write_files[2]?.content).toBe(readMountDataVolumeScript());
    expect(config.write_files[3]?.content).toContain(
      "ExecStart=/usr/local/sbin/phoenix-mount-data-volume " +
        "/dev/disk/by-id/scsi-0DO_Volume_shop-data /var/lib/shop ext4\n",
    );
    expect(config.write_files[1]?.content).toContain(
      "Requires=phoenix-data-volume.service\n" +
        "After=phoenix-data-volume.service\n" +
        "AssertPathIsMountPoint=/var/lib/shop\n",
    );
  });

  it("carries the environment file through YAML byte for byte, tricky values included", () => {
    const { config } = render({ service: "shop", environment: TRICKY_ENVIRONMENT });
    expect(config.write_files[0]?.content).toBe(renderEnvironmentFile(TRICKY_ENVIRONMENT));
  });

  it.each([
    ["without a data volume", undefined],
    ["with a data volume", VOLUME],
  ])("puts environment values only into the environment file (%s)", (_, dataVolume) => {
    const { config } = render({ service: "shop", environment: SECRETS, dataVolume });
    const [envFile, ...others] = config.write_files;
    const elsewhere = JSON.stringify([config.runcmd, others]);
    for (const value of Object.values(SECRETS)) {
      for (const part of value.split("\n")) {
        expect(envFile?.content).toContain(part);
        expect(elsewhere).not.toContain(part);
      }
    }
  });

  it("renders the same text whatever the order of the environment", () => {
    const a = renderUserData({ service: "shop", environment: { A: "1", B: "2" } });
    const b = renderUserData({ service: "shop", environment: { B: "2", A: "1" } });
    expect(a).toBe(b);
  });

  it("keeps YAML 1.1 look-alikes strings (yes, on, 0600, ~)", () => {
    const { config } = render({ service: "on", environment: {} });
    expect(config.runcmd[1]).toEqual(["systemctl", "enable", "on.service"]);
    expect(config.write_files[0]?.permissions).toBe("0600");
    expect(config.write_files[0]?.content).toBe("");
  });

  it.each(["BAD-KEY", "1ABC", "A B", ""])(
    "rejects the environment variable name %j, naming it",
    (key) => {
      expect(() =>
        renderUserData({ service: "shop", environment: { OK: "x", [key]: "value" } }),
      ).toThrow(`Invalid environment variable name ${JSON.stringify(key)}`);
    },
  );

  it.each<[string, Partial<UserDataInput>, string]>([
    ["service with a suffix", { service: "shop.service" }, 'Invalid service "shop.service"'],
    ["service with a space", { service: "my shop" }, 'Invalid service "my shop"'],
    [
      "relative device",
      { dataVolume: { ...VOLUME, devicePath: "sdb" } },
      'Invalid dataVolume.devicePath "sdb"',
    ],
    [
      "mount path /",
      { dataVolume: { ...VOLUME, mountPath: "/" } },
      'Invalid dataVolume.mountPath "/"',
    ],
    [
      "unknown filesystem",
      { dataVolume: { ...VOLUME, filesystem: "btrfs" as "xfs" } },
      'Invalid dataVolume.filesystem "btrfs"',
    ],
  ])("rejects a %s", (_, override, message) => {
    expect(() => renderUserData({ service: "shop", environment: {}, ...override })).toThrow(
      message,
    );
  });
});
