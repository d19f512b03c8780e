import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { ServerGroup, ServerGroupArgs } from "../../../components/digitalocean/server-group";
import { runInMockStack, unwrap } from "../../../tools/mock-stack";
import { PLAIN_OPTIONS, T } from "../../helpers/do-types";

const args: ServerGroupArgs = {
  region: "nyc3",
  colour: "green",
  service: "shop",
  environment: "prod",
  count: 2,
  image: "187655555",
  size: "s-2vcpu-4gb",
  vpcId: "vpc-1",
  serverTag: "shop-prod-app",
  appEnvironment: { LOG_LEVEL: "info", API_TOKEN: pulumi.secret("tok-123") },
};

describe("ServerGroup", () => {
  it("registers N droplets from the pinned image, tagged, replaced new-before-old on image or user-data change", async () => {
    const run = await runInMockStack(() => new ServerGroup("shop-prod-green", args));
    expect(run.resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${T.serverGroup}::shop-prod-green`,
      `${T.droplet}::shop-prod-green-0`,
      `${T.droplet}::shop-prod-green-1`,
    ]);
    for (const i of [0, 1]) {
      const droplet = run.get(T.droplet, `shop-prod-green-${i}`);
      expect(droplet.parent).toBe(`${T.serverGroup}::shop-prod-green`);
      expect(droplet.inputs).toMatchObject({
        name: `shop-prod-green-${i}`,
        image: "187655555",
        region: "nyc3",
        size: "s-2vcpu-4gb",
        vpcUuid: "vpc-1",
        monitoring: true,
        ipv6: false,
        gracefulShutdown: true,
        sshKeys: [],
        tags: [
          "shop-prod-app",
          "service:shop",
          "environment:prod",
          "colour:green",
          "managed-by:phoenix",
        ],
      });
      expect(droplet.opts).toEqual({ ...PLAIN_OPTIONS, replaceOnChanges: ["image", "userData"] });
      expect(droplet.opts.ignoreChanges).not.toContain("image");
    }
  });

  it("keeps the user data secret when the environment holds a secret", async () => {
    const run = await runInMockStack(() => new ServerGroup("g", args));
    const userData = run.get(T.droplet, "g-0").props.userData as pulumi.Output<string>;
    expect(await pulumi.isSecret(userData)).toBe(true);
    const doc = parse(await unwrap(userData)) as {
      write_files: { path: string; content: string }[];
    };
    const env = doc.write_files.find((f) => f.path === "/etc/phoenix/shop.env");
    expect(env?.content).toContain("API_TOKEN=");
    expect(env?.content).toContain("tok-123");
  });

  it("gives each droplet a protected, retained volume, released by the droplet holding it before it moves (delete-before-replace)", async () => {
    const run = await runInMockStack(
      () =>
        new ServerGroup("ledger-legacy-blue", {
          ...args,
          count: 1,
          colour: "blue",
          dataVolume: { sizeGiB: 50, mountPath: "/var/lib/ledger", filesystem: "ext4" },
        }),
    );
    expect(run.resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${T.serverGroup}::ledger-legacy-blue`,
      `${T.volume}::ledger-legacy-blue-data-0`,
      `${T.droplet}::ledger-legacy-blue-0`,
      `${T.command}::ledger-legacy-blue-data-0-release`,
      `${T.volumeAttachment}::ledger-legacy-blue-data-0-attachment`,
    ]);
    const volume = run.get(T.volume, "ledger-legacy-blue-data-0");
    expect(volume.opts).toEqual({ ...PLAIN_OPTIONS, protect: true, retainOnDelete: true });
    expect(volume.inputs).toMatchObject({
      name: "ledger-legacy-blue-data-0",
      region: "nyc3",
      size: 50,
      tags: ["service:shop", "environment:prod", "colour:blue", "managed-by:phoenix"],
    });
    expect(volume.inputs.initialFilesystemType).toBeUndefined();
    const attachment = run.get(T.volumeAttachment, "ledger-legacy-blue-data-0-attachment");
    expect(attachment.opts).toEqual({
      ...PLAIN_OPTIONS,
      deleteBeforeReplace: true,
      dependsOn: [`${T.command}::ledger-legacy-blue-data-0-release`],
    });
    // The release step runs whenever the droplet is (re)built: it shuts down whichever other
    // droplet holds the volume, before the attachment moves it.
    const release = run.get(T.command, "ledger-legacy-blue-data-0-release");
    const dropletId = await unwrap(
      (run.get(T.droplet, "ledger-legacy-blue-0").resource as pulumi.CustomResource).id,
    );
    expect(release.inputs).toEqual({
      create:
        "node -r ts-node/register/transpile-only components/digitalocean/release-volume.ts " +
        `--volume ledger-legacy-blue-data-0-id --keep ${dropletId}`,
      triggers: [dropletId],
    });
    expect(release.opts.replaceOnChanges).toEqual(["triggers", "triggers[*]"]);
    expect(attachment.inputs).toEqual({
      dropletId: expect.any(Number),
      volumeId: "ledger-legacy-blue-data-0-id",
    });
    // The droplet does not also claim the volume: the attachment alone moves it.
    expect(run.get(T.droplet, "ledger-legacy-blue-0").inputs.volumeIds).toBeUndefined();

    const userData = await unwrap(
      run.get(T.droplet, "ledger-legacy-blue-0").props.userData as pulumi.Output<string>,
    );
    expect(userData).toContain("/dev/disk/by-id/scsi-0DO_Volume_ledger-legacy-blue-data-0");
    expect(userData).toContain("/var/lib/ledger");
  });

  it("registers nothing but itself for a colour with no servers", async () => {
    const run = await runInMockStack(() => new ServerGroup("g", { ...args, count: 0 }));
    expect(run.resources.map((r) => r.type)).toEqual([T.serverGroup]);
  });

  it("refuses a count that is not a whole number ≥ 0", async () => {
    const run = await runInMockStack(() => new ServerGroup("g", { ...args, count: 1.5 }));
    expect((run.error as Error).message).toBe(
      "ServerGroup g: count received 1.5; allowed: a whole number ≥ 0",
    );
    expect(run.resources).toEqual([]);
  });
});
