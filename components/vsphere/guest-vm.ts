import * as pulumi from "@pulumi/pulumi";
import { TagContext } from "../core/tags";
import { AddressPlan, subnetPrefix } from "./addresses";
import { annotationTags } from "./annotation-tags";
import { guestinfoExtraConfig, renderMetadata } from "./guestinfo";
import { GetVirtualMachineResult } from "./lookups";
import { Placement } from "./placement";
import { rebuildTrigger } from "./rebuild-trigger";
import { VirtualMachine, VirtualMachineDiskArgs } from "./provider";
import { VmSize } from "./vm-size";

/** The roles of Phoenix's VMs, written into their tags (`role=`). */
export type VmRole = "app" | "loadBalancer" | "database";

/** Arguments of {@link guestVm}. */
export interface GuestVmArgs {
  /** Where it runs. */
  readonly placement: Placement;
  /** The template it is cloned from (Phoenix's image on vSphere). */
  readonly template: pulumi.Output<GetVirtualMachineResult>;
  readonly size: VmSize;
  /** Host name (also the VM's name in the inventory). */
  readonly hostname: string;
  /** Its static address, on the plan's subnet. */
  readonly address: string;
  readonly addresses: AddressPlan;
  /** cloud-init user data; kept secret (it may carry the app's secrets). */
  readonly userData: pulumi.Input<string>;
  /** What its tags say, and a line of notes for people. */
  readonly tags: TagContext;
  /** What the VM is: an app server, a load balancer or the database server. */
  readonly role: VmRole;
  readonly note: string;
  /**
   * Data disks to attach beside the template's disks (existing VMDKs).
   * @default []
   */
  readonly attachedDisks?: readonly VirtualMachineDiskArgs[];
  /**
   * How the VM is shut down before it is deleted or changed: whether it is powered off when the
   * guest does not finish shutting down in time.
   * @default the provider's: powered off after 3 minutes
   */
  readonly shutdown?: { readonly forcePowerOff: boolean; readonly waitMinutes: number };
}

/**
 * A VM cloned from a template with its cloud-init metadata and user data in `guestinfo`
 * (`guestinfo.ts`). It is never patched: its `replaceTrigger`, the one input the provider's schema
 * replaces on (pulumi-vsphere v4.17.0), is a digest of the template and the whole `extraConfig`,
 * so a new release or new user data rebuilds it. `extraConfig` itself is not replaced on: cloud-init
 * redacts `guestinfo.userdata` after reading it, and a refresh that saw the redacted value as drift
 * would otherwise rebuild every server. It is updated in place then, without a reboot
 * (`extraConfigRebootRequired: false`), which writes the value back and touches nothing running.
 */
export function guestVm(
  name: string,
  args: GuestVmArgs,
  opts: pulumi.CustomResourceOptions,
): VirtualMachine {
  const metadata = renderMetadata({
    // cloud-init runs the user data once per instance id: a rebuilt VM gets a new one.
    instanceId: name,
    hostname: args.hostname,
    network: {
      mode: "static",
      addressCidr: `${args.address}/${subnetPrefix(args.addresses)}`,
      gateway: args.addresses.gateway,
      nameservers: args.addresses.nameservers,
    },
  });
  const extraConfig = pulumi.secret(
    pulumi.output(args.userData).apply((userData) => guestinfoExtraConfig({ userData, metadata })),
  );
  const { placement, template } = args;
  const bootDisks = template.disks.apply((disks) =>
    disks.map((d, i): VirtualMachineDiskArgs => ({
      label: `disk${i}`,
      size: d.size,
      thinProvisioned: d.thinProvisioned,
      unitNumber: d.unitNumber,
    })),
  );
  return new VirtualMachine(
    name,
    {
      name: args.hostname,
      resourcePoolId: placement.resourcePoolId,
      datastoreId: placement.datastoreId,
      ...(placement.folder ? { folder: placement.folder } : {}),
      numCpus: args.size.cpus,
      memory: args.size.memoryMiB,
      guestId: template.guestId,
      firmware: template.apply((t) => t.firmware ?? "efi"),
      networkInterfaces: [
        {
          networkId: placement.networkId,
          adapterType: template.networkInterfaceTypes.apply((t) => t[0] ?? "vmxnet3"),
        },
      ],
      disks: bootDisks.apply((boot) => [...boot, ...(args.attachedDisks ?? [])]),
      clone: { templateUuid: template.uuid },
      extraConfig,
      extraConfigRebootRequired: false,
      // A digest, not the secrets it covers: kept plain so that the gate and the deployment
      // record can carry it.
      replaceTrigger: pulumi.unsecret(
        pulumi
          .all([template.uuid, extraConfig])
          .apply(([uuid, config]) => rebuildTrigger(uuid, config)),
      ),
      // Stable /dev/disk/by-id names for attached data disks.
      enableDiskUuid: true,
      // Created only once the guest is up with its address: cloud-init has configured it.
      waitForGuestNetTimeout: 10,
      annotation: annotationTags(args.tags, args.role, args.note),
      ...(args.shutdown
        ? {
            forcePowerOff: args.shutdown.forcePowerOff,
            shutdownWaitTimeout: args.shutdown.waitMinutes,
          }
        : {}),
    },
    {
      ...opts,
      // The provider replaces on replaceTrigger; saying so here keeps the promise, and a new
      // template alone replaces too.
      replaceOnChanges: ["clone.templateUuid", "replaceTrigger"],
    },
  );
}
