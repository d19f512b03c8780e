import * as ebs from "@pulumi/aws/ebs";
import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { renderUserData } from "../core/cloud-init/user-data";
import { DataVolumeConfig } from "../core/config/stack-config";
import { fingerprint } from "../core/fingerprint";
import { ColourServersArgs } from "./colour-servers";
import { replaceOn } from "./facts";
import { awsTags } from "./tags";
import { AWS_TYPES } from "./types";

/** Arguments of {@link StatefulServers}. */
export interface StatefulServersArgs extends ColourServersArgs {
  /** The zone every instance and volume lives in: a volume attaches only within its zone. */
  readonly zone: string;
  /** Public subnet of that zone (the servers answer on their Elastic IP). */
  readonly subnetId: pulumi.Input<string>;
  /**
   * A persistent data volume per server: protected, kept, re-attached to the rebuilt instance.
   * Instances must be Nitro types, so that the volume shows by its ID under /dev/disk/by-id.
   * @default undefined (no volume)
   */
  readonly dataVolume?: DataVolumeConfig;
}

/** One server and its data volume. */
export interface StatefulServer {
  readonly instance: ec2.Instance;
  readonly volume?: ebs.Volume;
  /** The volume's attachment: the app starts only once it is in place. */
  readonly attachment?: ec2.VolumeAttachment;
}

/** Where a Nitro instance shows an EBS volume: by its ID, without the hyphen, as the NVMe serial. */
export function ebsDevicePath(volumeId: string): string {
  return `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`;
}

/** The device name the attachment gives; Nitro instances show it as NVMe (see ebsDevicePath). */
const DATA_DEVICE_NAME = "/dev/sdf";

/**
 * Single servers of one colour with data that outlives them (the rebuild path): each instance
 * `i` in one fixed zone with the encrypted, protected, retained EBS volume `${name}-data-${i}`
 * (a final snapshot is taken if it is ever deleted).
 *
 * A volume attaches to one instance at a time (pulumi-aws#2769), so a rebuild deletes the old
 * instance first: the attachment goes (the instance is stopped before the volume detaches, so
 * systemd stops the app and unmounts cleanly), the instance is terminated, the new one is
 * created from the new image and the volume is attached to it; its user data waits for the
 * device, mounts it and never reformats it. The server is down for that whole sequence.
 */
export class StatefulServers extends pulumi.ComponentResource {
  /** The servers, in index order. */
  readonly servers: readonly StatefulServer[];
  /** Public IPv4 addresses (before an Elastic IP moves to one), in index order. */
  readonly publicAddresses: pulumi.Output<string[]>;
  /** A digest of every instance input whose change rebuilds the instances. */
  readonly fingerprint: pulumi.Output<string>;
  /** Whether the settings ask for other instances than the frozen ones keep running. */
  readonly heldBack: pulumi.Output<boolean>;

  /**
   * @param name component name; children are `${name}-${i}`, `${name}-data-${i}` and
   *   `${name}-data-${i}-attachment`
   * @param args server settings
   * @param opts resource options
   */
  constructor(name: string, args: StatefulServersArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!Number.isInteger(args.count) || args.count < 1) {
      throw new Error(
        `StatefulServers ${name}: count received ${args.count}; allowed: a whole number ≥ 1`,
      );
    }
    super(
      "phoenix:aws:StatefulServers",
      name,
      {
        colour: args.colour,
        count: args.count,
        image: args.image,
        size: args.size,
        zone: args.zone,
        frozen: args.frozen ?? false,
      },
      opts,
    );
    const context = { service: args.service, environment: args.environment, colour: args.colour };
    // Instance type changes stop and start an instance in place: rebuilt instead, like the rest.
    const rebuildOn = [...new Set([...replaceOn(AWS_TYPES.instance), "instanceType"])].sort();
    const servers: StatefulServer[] = [];
    const prints: pulumi.Output<unknown>[] = [];
    for (let i = 0; i < args.count; i++) {
      const volume =
        args.dataVolume &&
        new ebs.Volume(
          `${name}-data-${i}`,
          {
            availabilityZone: args.zone,
            size: args.dataVolume.sizeGiB,
            type: "gp3",
            encrypted: true,
            finalSnapshot: true,
            tags: awsTags(`${name}-data-${i}`, context),
          },
          // Data outlives servers and stacks: `pulumi destroy` refuses, and a removal from state
          // leaves the volume in the account.
          { parent: this, protect: true, retainOnDelete: true },
        );
      const dataVolume = args.dataVolume;
      const userData = pulumi
        .all([args.appEnvironment, volume ? volume.id : undefined])
        .apply(([environment, volumeId]) =>
          renderUserData({
            service: args.service,
            environment,
            ...(dataVolume && volumeId
              ? {
                  dataVolume: {
                    devicePath: ebsDevicePath(volumeId),
                    mountPath: dataVolume.mountPath,
                    filesystem: dataVolume.filesystem,
                  },
                }
              : {}),
          }),
        );
      const inputs = {
        ami: args.image,
        instanceType: args.size,
        availabilityZone: args.zone,
        subnetId: args.subnetId,
        vpcSecurityGroupIds: [args.securityGroupId],
        iamInstanceProfile: args.instanceProfileName,
        associatePublicIpAddress: true,
        userData,
        userDataReplaceOnChange: true,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
        rootBlockDevice: {
          deviceName: args.rootDeviceName ?? "/dev/xvda",
          volumeSize: args.rootVolumeGiB ?? 20,
          volumeType: "gp3",
          encrypted: true,
          deleteOnTermination: true,
        },
        monitoring: true,
        // Rebuilt by replacement, which termination protection would block.
        disableApiTermination: false,
        tags: awsTags(`${name}-${i}`, context),
        volumeTags: awsTags(`${name}-${i}-root`, context),
      };
      const instance = new ec2.Instance(`${name}-${i}`, inputs, {
        parent: this,
        // The data volume attaches to one instance only: the old one goes first.
        deleteBeforeReplace: true,
        replaceOnChanges: ["ami", "userData", "instanceType"],
        ...(args.frozen ? { ignoreChanges: rebuildOn } : {}),
      });
      prints.push(
        pulumi.output(
          Object.fromEntries(Object.entries(inputs).filter(([k]) => rebuildOn.includes(k))),
        ),
      );
      const attachment =
        volume &&
        new ec2.VolumeAttachment(
          `${name}-data-${i}-attachment`,
          {
            deviceName: DATA_DEVICE_NAME,
            volumeId: volume.id,
            instanceId: instance.id,
            // Stopped first: systemd stops the app and unmounts before the volume detaches.
            stopInstanceBeforeDetaching: true,
          },
          { parent: this, deleteBeforeReplace: true },
        );
      servers.push({
        instance,
        ...(volume ? { volume } : {}),
        ...(attachment ? { attachment } : {}),
      });
    }
    this.servers = servers;
    this.publicAddresses = pulumi.all(servers.map((s) => s.instance.publicIp));
    const wanted = pulumi.all(prints).apply(fingerprint);
    const kept = args.frozen ? args.keptFingerprint : undefined;
    this.fingerprint = kept === undefined ? wanted : pulumi.output(kept);
    this.heldBack = wanted.apply((w) => kept !== undefined && w !== kept);
    this.registerOutputs({ publicAddresses: this.publicAddresses, fingerprint: this.fingerprint });
  }
}
