import * as command from "@pulumi/command";
import * as digitalocean from "@pulumi/digitalocean";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Colour } from "../core/colour";
import { renderUserData } from "../core/cloud-init/user-data";
import { DataVolumeConfig } from "../core/config/stack-config";
import { fingerprint } from "../core/fingerprint";
import { flatTags, replaceOn } from "./facts";
import { DO_TYPES } from "./types";

/** Arguments of a {@link ServerGroup}. */
export interface ServerGroupArgs {
  /** Region of the droplets (and volumes). */
  readonly region: pulumi.Input<string>;
  /** The colour this group is. */
  readonly colour: Colour;
  /** Service name: the app's systemd unit in the image, and the `service` tag. */
  readonly service: string;
  /** Environment name, for tags. */
  readonly environment: string;
  /** Number of droplets; a plain number because it decides which resources exist. */
  readonly count: number;
  /** Pinned custom image (snapshot ID). Changing it rebuilds every droplet, new before old. */
  readonly image: pulumi.Input<string>;
  /** Droplet size slug. */
  readonly size: pulumi.Input<string>;
  /** VPC the droplets join. */
  readonly vpcId: pulumi.Input<string>;
  /** The network's server tag (firewall and database access follow it). */
  readonly serverTag: pulumi.Input<string>;
  /**
   * The firewall on that tag: droplets are created only once it exists, so none boots
   * unfirewalled.
   * @default undefined (no ordering)
   */
  readonly firewall?: pulumi.Resource;
  /**
   * Whether the colour serves live traffic as this update starts. Its droplets then ignore
   * every change that would replace, resize or reboot them: they keep what they were built
   * with until the colour no longer serves.
   * @default false
   */
  readonly frozen?: boolean;
  /**
   * For a frozen colour: the fingerprint its droplets were built with, which stays theirs.
   * @default undefined (the fingerprint of what the droplets are given now)
   */
  readonly keptFingerprint?: string;
  /** The app's environment variables; secret values stay secret in the user data. */
  readonly appEnvironment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * A persistent data volume per droplet, protected and kept when the droplet is rebuilt.
   * @default undefined (no volume)
   */
  readonly dataVolume?: DataVolumeConfig;
  /**
   * SSH key fingerprints or IDs installed for break-glass access (SSH stays closed unless the
   * network admits admin CIDRs).
   * @default []
   */
  readonly sshKeys?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Whether to enable the DigitalOcean monitoring agent.
   * @default true
   */
  readonly monitoring?: boolean;
}

/** One server of a group. */
export interface Server {
  /** The droplet. */
  readonly droplet: digitalocean.Droplet;
  /** Its data volume, when the group has volumes. */
  readonly volume?: digitalocean.Volume;
}

/** The release step's script, relative to the project root (where Pulumi runs commands). */
const RELEASE_VOLUME_SCRIPT = path.relative(
  process.cwd(),
  path.join(__dirname, "release-volume.ts"),
);

/** DigitalOcean exposes a volume named N inside the droplet as this device. */
export function volumeDevicePath(volumeName: string): string {
  return `/dev/disk/by-id/scsi-0DO_Volume_${volumeName}`;
}

/**
 * N droplets of one colour, built from one pinned image with cloud-init user data. Droplets are
 * never patched: an image or user-data change replaces them, creating the new droplet before
 * deleting the old. With a data volume, each droplet `i` gets the protected volume
 * `${name}-data-${i}`, attached by a separate attachment that is replaced delete-before-replace,
 * so the volume moves to the rebuilt droplet and is never deleted with it.
 */
export class ServerGroup extends pulumi.ComponentResource {
  /** The servers, in index order. */
  readonly servers: readonly Server[];
  /** Droplet IDs as numbers, as load balancers take them. */
  readonly dropletIds: pulumi.Output<number[]>;
  /** Public IPv4 addresses, in index order. */
  readonly publicAddresses: pulumi.Output<string[]>;
  /** Private (VPC) IPv4 addresses, in index order. */
  readonly privateIps: pulumi.Output<string[]>;
  /**
   * A digest of everything that goes into the droplets: for each, every input whose change
   * replaces it (provider-schema.json) and its size. It changes exactly when they would.
   */
  readonly fingerprint: pulumi.Output<string>;
  /** Whether the settings ask for other droplets than the frozen ones keep running. */
  readonly heldBack: pulumi.Output<boolean>;

  /**
   * @param name component name; droplets are `${name}-${i}`, volumes `${name}-data-${i}`
   * @param args group settings
   * @param opts resource options
   */
  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before anything is registered, the component included.
    if (!Number.isInteger(args.count) || args.count < 0) {
      throw new Error(
        `ServerGroup ${name}: count received ${args.count}; allowed: a whole number ≥ 0`,
      );
    }
    // The intent is registered as the component's inputs, so policies and previews can read it.
    super(
      "phoenix:digitalocean:ServerGroup",
      name,
      {
        colour: args.colour,
        count: args.count,
        image: args.image,
        size: args.size,
        frozen: args.frozen ?? false,
      },
      opts,
    );
    const tags = [
      ...flatTags({ service: args.service, environment: args.environment, colour: args.colour }),
    ];
    // The provider's token, for the release step; without one it uses the runner's environment,
    // as the provider does.
    const apiToken = new pulumi.Config("digitalocean").getSecret("token");
    const servers: Server[] = [];
    const dropletInputs: pulumi.Output<unknown>[] = [];
    // A frozen colour serves live traffic: nothing may replace, resize or reboot its droplets.
    const frozen = args.frozen ? { ignoreChanges: [...replaceOn(DO_TYPES.droplet), "size"] } : {};
    for (let i = 0; i < args.count; i++) {
      const volume =
        args.dataVolume && this.volume(`${name}-data-${i}`, args, args.dataVolume, tags);
      const mount = args.dataVolume && {
        devicePath: volumeDevicePath(`${name}-data-${i}`),
        mountPath: args.dataVolume.mountPath,
        filesystem: args.dataVolume.filesystem,
      };
      const userData = pulumi
        .output(args.appEnvironment)
        .apply((environment) =>
          renderUserData({ service: args.service, environment, dataVolume: mount }),
        );
      const inputs = {
        name: `${name}-${i}`,
        image: args.image,
        region: args.region,
        size: args.size,
        vpcUuid: args.vpcId,
        userData,
        tags: pulumi.output(args.serverTag).apply((serverTag) => [serverTag, ...tags]),
        sshKeys: args.sshKeys ?? [],
        monitoring: args.monitoring ?? true,
        ipv6: false,
        gracefulShutdown: true,
      };
      const droplet = new digitalocean.Droplet(`${name}-${i}`, inputs, {
        parent: this,
        // The provider already replaces on these; saying so here keeps the promise if it ever
        // learns to update them in place, which would patch a running server.
        replaceOnChanges: ["image", "userData"],
        ...(args.firewall ? { dependsOn: [args.firewall] } : {}),
        ...frozen,
      });
      const replaceOnly = Object.fromEntries(
        Object.entries(inputs).filter(([k]) =>
          [...replaceOn(DO_TYPES.droplet), "size"].includes(k),
        ),
      );
      dropletInputs.push(pulumi.output(replaceOnly));
      if (volume) {
        // Before the volume moves to a new droplet, the droplet holding it shuts down, so its app
        // stops and the filesystem is unmounted cleanly. It runs when the droplet is (re)built.
        const release = new command.local.Command(
          `${name}-data-${i}-release`,
          {
            create: pulumi.interpolate`node -r ts-node/register/transpile-only ${RELEASE_VOLUME_SCRIPT} --volume ${volume.id} --keep ${droplet.id}`,
            triggers: [droplet.id],
            ...(apiToken ? { environment: { DIGITALOCEAN_TOKEN: apiToken } } : {}),
          },
          { parent: this, replaceOnChanges: ["triggers"] },
        );
        new digitalocean.VolumeAttachment(
          `${name}-data-${i}-attachment`,
          { dropletId: droplet.id.apply(Number), volumeId: volume.id },
          // A volume attaches to one droplet at a time: detach from the old droplet first, and
          // only once it has stopped.
          { parent: this, deleteBeforeReplace: true, dependsOn: [release] },
        );
      }
      servers.push({ droplet, ...(volume ? { volume } : {}) });
    }
    this.servers = servers;
    this.dropletIds = pulumi.all(servers.map((s) => s.droplet.id.apply(Number)));
    this.publicAddresses = pulumi.all(servers.map((s) => s.droplet.ipv4Address));
    this.privateIps = pulumi.all(servers.map((s) => s.droplet.ipv4AddressPrivate));
    const wanted = pulumi.all(dropletInputs).apply(fingerprint);
    const kept = args.frozen ? args.keptFingerprint : undefined;
    this.fingerprint = kept === undefined ? wanted : pulumi.output(kept);
    this.heldBack = wanted.apply((w) => kept !== undefined && w !== kept);
    this.registerOutputs({
      dropletIds: this.dropletIds,
      publicAddresses: this.publicAddresses,
      privateIps: this.privateIps,
      fingerprint: this.fingerprint,
    });
  }

  private volume(
    volumeName: string,
    args: ServerGroupArgs,
    dataVolume: DataVolumeConfig,
    tags: string[],
  ): digitalocean.Volume {
    return new digitalocean.Volume(
      volumeName,
      {
        name: volumeName,
        region: args.region,
        size: dataVolume.sizeGiB,
        description: `Data of ${args.service} ${args.environment} ${args.colour}; kept across rebuilds`,
        tags,
      },
      // Data outlives servers and stacks: `pulumi destroy` refuses, and an explicit removal
      // from state leaves the volume in the account.
      { parent: this, protect: true, retainOnDelete: true },
    );
  }
}
