/**
 * The vSphere resources Phoenix registers, bound by their type tokens because `@pulumi/vsphere` is
 * not served by the package registry reachable here. Each class does what the bridged SDK's class
 * does (pulumi/pulumi-vsphere v4.17.0 `sdk/nodejs/virtualMachine.ts`, `virtualDisk.ts`,
 * `computeClusterVmAntiAffinityRule.ts`): it passes the inputs it declares, lists its output-only
 * properties as `undefined` so that they become Outputs, and registers with the `version` resource
 * option so that `pulumi up` installs that plugin. Its `Args` hold only the inputs Phoenix sets,
 * with the types of `provider-schema.json` (checked by tests/unit/vsphere/provider-binding.test.ts).
 *
 * Swapping in the real SDK later is a change to this module and `lookups.ts` only: re-export
 * `vsphere.VirtualMachine` and friends under these names.
 */
import * as pulumi from "@pulumi/pulumi";
import { VSPHERE_PLUGIN_VERSION, VSPHERE_TYPES } from "./types";

/** The options every vSphere resource is registered with: the pinned provider plugin. */
function withVersion(opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions({ version: VSPHERE_PLUGIN_VERSION }, opts ?? {});
}

/**
 * The resource inputs as the bridged SDK builds them: every declared input (undefined when
 * unset), then every output-only property as `undefined`, so the engine returns it and the
 * resource gets an Output for it.
 */
function resourceInputs<A extends object>(
  type: string,
  args: A | undefined,
  inputs: Readonly<Record<keyof A, true>>,
  required: readonly (keyof A & string)[],
  outputs: readonly string[],
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.Inputs {
  for (const name of required) {
    if (args?.[name] === undefined && !opts?.urn) {
      throw new Error(`${type}: missing required property '${name}'`);
    }
  }
  const result: pulumi.Inputs = {};
  for (const name of Object.keys(inputs) as (keyof A & string)[]) result[name] = args?.[name];
  for (const name of outputs) result[name] = undefined;
  return result;
}

/** `clone` of a VirtualMachine: the template it is cloned from (schema type VirtualMachineClone). */
export interface VirtualMachineCloneArgs {
  /** The UUID of the template (`getVirtualMachine(...).uuid`): Phoenix's image. */
  templateUuid: pulumi.Input<string>;
  /** Clone from the template's current snapshot, sharing its disks. @default false */
  linkedClone?: pulumi.Input<boolean>;
}

/** One of a VirtualMachine's `disks` (schema type VirtualMachineDisk). */
export interface VirtualMachineDiskArgs {
  /** A unique label for the disk (`disk0`). */
  label: pulumi.Input<string>;
  /** Size in GiB; not set for an attached disk. */
  size?: pulumi.Input<number>;
  /** @default true (the template's own setting for a cloned disk) */
  thinProvisioned?: pulumi.Input<boolean>;
  /** The SCSI unit number; 0 is the boot disk. @default 0 */
  unitNumber?: pulumi.Input<number>;
  /** Attach the existing VMDK at `path` (a VirtualDisk) instead of creating one. @default false */
  attach?: pulumi.Input<boolean>;
  /** The path of the VMDK to attach, on `datastoreId`. */
  path?: pulumi.Input<string>;
  /** The datastore of an attached disk. */
  datastoreId?: pulumi.Input<string>;
  /** Leave the VMDK in place when the disk is removed or the VM destroyed. @default false */
  keepOnRemove?: pulumi.Input<boolean>;
}

/** One of a VirtualMachine's `networkInterfaces` (schema type VirtualMachineNetworkInterface). */
export interface VirtualMachineNetworkInterfaceArgs {
  /** The port group (`getNetwork(...).id`). */
  networkId: pulumi.Input<string>;
  /** `vmxnet3`, `e1000` or `e1000e`. @default "vmxnet3" */
  adapterType?: pulumi.Input<string>;
}

/** The inputs Phoenix sets on `vsphere:index/virtualMachine:VirtualMachine`. */
export interface VirtualMachineArgs {
  /** The VM's name in the inventory. */
  name?: pulumi.Input<string>;
  /** The resource pool (`getComputeCluster(...).resourcePoolId`); the schema's only required input. */
  resourcePoolId: pulumi.Input<string>;
  /** The datastore of the VM's files and created disks. */
  datastoreId?: pulumi.Input<string>;
  /** The inventory folder, relative to the datacenter's VM folder. */
  folder?: pulumi.Input<string>;
  /** @default 1 */
  numCpus?: pulumi.Input<number>;
  /** Memory in MiB. @default 1024 */
  memory?: pulumi.Input<number>;
  /** The guest OS id; take the template's (`getVirtualMachine(...).guestId`). */
  guestId?: pulumi.Input<string>;
  /** `bios` or `efi`; take the template's. */
  firmware?: pulumi.Input<string>;
  networkInterfaces?: pulumi.Input<pulumi.Input<VirtualMachineNetworkInterfaceArgs>[]>;
  disks?: pulumi.Input<pulumi.Input<VirtualMachineDiskArgs>[]>;
  clone?: pulumi.Input<VirtualMachineCloneArgs>;
  /** VMX settings: cloud-init's `guestinfo.userdata`, `guestinfo.metadata` and encodings. */
  extraConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Reboot the VM when `extraConfig` changes. @default true */
  extraConfigRebootRequired?: pulumi.Input<boolean>;
  /** Any change of this value replaces the VM (the schema's only replacing input). */
  replaceTrigger?: pulumi.Input<string>;
  /** Expose disk UUIDs to the guest (stable `/dev/disk/by-id`). @default false */
  enableDiskUuid?: pulumi.Input<boolean>;
  /** Minutes to wait for a routable guest address; 0 or less does not wait. @default 5 */
  waitForGuestNetTimeout?: pulumi.Input<number>;
  /** Minutes to wait for any guest address; 0 or less does not wait. @default 0 */
  waitForGuestIpTimeout?: pulumi.Input<number>;
  /** vSphere tag ids. */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /** The VM's notes. */
  annotation?: pulumi.Input<string>;
  /**
   * Power the VM off when a guest shutdown does not finish in `shutdownWaitTimeout` (on delete or
   * a change that needs it off). @default true
   */
  forcePowerOff?: pulumi.Input<boolean>;
  /** Minutes to wait for a guest shutdown (VMware Tools) before powering off. @default 3 */
  shutdownWaitTimeout?: pulumi.Input<number>;
}

const VIRTUAL_MACHINE_INPUTS: Record<keyof VirtualMachineArgs, true> = {
  name: true,
  resourcePoolId: true,
  datastoreId: true,
  folder: true,
  numCpus: true,
  memory: true,
  guestId: true,
  firmware: true,
  networkInterfaces: true,
  disks: true,
  clone: true,
  extraConfig: true,
  extraConfigRebootRequired: true,
  replaceTrigger: true,
  enableDiskUuid: true,
  waitForGuestNetTimeout: true,
  waitForGuestIpTimeout: true,
  tags: true,
  annotation: true,
  forcePowerOff: true,
  shutdownWaitTimeout: true,
};

/** A vSphere virtual machine, cloned from a template. */
export class VirtualMachine extends pulumi.CustomResource {
  /** @internal */
  static readonly __pulumiType: string = VSPHERE_TYPES.virtualMachine;

  /** Whether `obj` is a VirtualMachine, even from another copy of this module. */
  static isInstance(obj: unknown): obj is VirtualMachine {
    return (
      typeof obj === "object" &&
      obj !== null &&
      (obj as { __pulumiType?: unknown }).__pulumiType === VirtualMachine.__pulumiType
    );
  }

  declare readonly name: pulumi.Output<string>;
  /** The VM's BIOS UUID. */
  declare readonly uuid: pulumi.Output<string>;
  /** The managed object id (`vm-1234`). */
  declare readonly moid: pulumi.Output<string>;
  /** The address vSphere reports first, once the guest has one (see the wait timeouts). */
  declare readonly defaultIpAddress: pulumi.Output<string>;
  declare readonly guestIpAddresses: pulumi.Output<string[]>;
  /** The digest whose change replaces the VM. */
  declare readonly replaceTrigger: pulumi.Output<string>;
  /** `on`, `off` or `suspended`. */
  declare readonly powerState: pulumi.Output<string>;

  constructor(name: string, args: VirtualMachineArgs, opts?: pulumi.CustomResourceOptions) {
    const type = VirtualMachine.__pulumiType;
    const inputs = resourceInputs(
      type,
      args,
      VIRTUAL_MACHINE_INPUTS,
      ["resourcePoolId"],
      [
        "changeVersion",
        "defaultIpAddress",
        "guestIpAddresses",
        "imported",
        "moid",
        "powerState",
        "rebootRequired",
        "uuid",
        "vappTransports",
        "vmwareToolsStatus",
        "vmxPath",
      ],
      opts,
    );
    super(type, name, inputs, withVersion(opts));
  }
}

/** The inputs Phoenix sets on `vsphere:index/virtualDisk:VirtualDisk`. */
export interface VirtualDiskArgs {
  /** The VMDK's path on the datastore (`phoenix/ledger-db-data-0.vmdk`). */
  vmdkPath: pulumi.Input<string>;
  /** The datastore's name (not its id). */
  datastore: pulumi.Input<string>;
  /** Size in GiB; a larger size grows the disk in place. */
  size: pulumi.Input<number>;
  /** The datacenter's name; needed on vCenter. */
  datacenter?: pulumi.Input<string>;
  /** `thin`, `lazy` or `eagerZeroedThick`. @default "eagerZeroedThick" */
  type?: pulumi.Input<string>;
  /** Create the folders of `vmdkPath`. @default false */
  createDirectories?: pulumi.Input<boolean>;
}

const VIRTUAL_DISK_INPUTS: Record<keyof VirtualDiskArgs, true> = {
  vmdkPath: true,
  datastore: true,
  size: true,
  datacenter: true,
  type: true,
  createDirectories: true,
};

/** A standalone VMDK, outliving the VMs it is attached to (through their `disks[].attach`). */
export class VirtualDisk extends pulumi.CustomResource {
  /** @internal */
  static readonly __pulumiType: string = VSPHERE_TYPES.virtualDisk;

  /** Whether `obj` is a VirtualDisk, even from another copy of this module. */
  static isInstance(obj: unknown): obj is VirtualDisk {
    return (
      typeof obj === "object" &&
      obj !== null &&
      (obj as { __pulumiType?: unknown }).__pulumiType === VirtualDisk.__pulumiType
    );
  }

  declare readonly vmdkPath: pulumi.Output<string>;
  declare readonly datastore: pulumi.Output<string>;
  declare readonly size: pulumi.Output<number>;

  constructor(name: string, args: VirtualDiskArgs, opts?: pulumi.CustomResourceOptions) {
    const type = VirtualDisk.__pulumiType;
    const required = ["datastore", "size", "vmdkPath"] as const;
    const inputs = resourceInputs(type, args, VIRTUAL_DISK_INPUTS, required, [], opts);
    super(type, name, inputs, withVersion(opts));
  }
}

/** The inputs Phoenix sets on `vsphere:index/computeClusterVmAntiAffinityRule:...`. */
export interface ComputeClusterVmAntiAffinityRuleArgs {
  /** The rule's name in the cluster. */
  name?: pulumi.Input<string>;
  /** The cluster (`getComputeCluster(...).id`); a new cluster replaces the rule. */
  computeClusterId: pulumi.Input<string>;
  /** The VMs DRS keeps on separate hosts (their `id`s); changes in place. */
  virtualMachineIds: pulumi.Input<pulumi.Input<string>[]>;
  /** @default true */
  enabled?: pulumi.Input<boolean>;
  /** Refuse to start a VM rather than break the rule. @default false */
  mandatory?: pulumi.Input<boolean>;
}

const ANTI_AFFINITY_INPUTS: Record<keyof ComputeClusterVmAntiAffinityRuleArgs, true> = {
  name: true,
  computeClusterId: true,
  virtualMachineIds: true,
  enabled: true,
  mandatory: true,
};

/** A DRS rule keeping a set of VMs on different hosts: one host failure takes one of them. */
export class ComputeClusterVmAntiAffinityRule extends pulumi.CustomResource {
  /** @internal */
  static readonly __pulumiType: string = VSPHERE_TYPES.computeClusterVmAntiAffinityRule;

  /** Whether `obj` is a ComputeClusterVmAntiAffinityRule, even from another copy of this module. */
  static isInstance(obj: unknown): obj is ComputeClusterVmAntiAffinityRule {
    return (
      typeof obj === "object" &&
      obj !== null &&
      (obj as { __pulumiType?: unknown }).__pulumiType ===
        ComputeClusterVmAntiAffinityRule.__pulumiType
    );
  }

  declare readonly name: pulumi.Output<string>;
  declare readonly virtualMachineIds: pulumi.Output<string[]>;

  constructor(
    name: string,
    args: ComputeClusterVmAntiAffinityRuleArgs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    const type = ComputeClusterVmAntiAffinityRule.__pulumiType;
    const required = ["computeClusterId", "virtualMachineIds"] as const;
    const inputs = resourceInputs(type, args, ANTI_AFFINITY_INPUTS, required, [], opts);
    super(type, name, inputs, withVersion(opts));
  }
}

/** The provider settings, as {@link vsphereProviderConfig} reads them. */
export interface VsphereProviderConfig {
  readonly user: string;
  /** Always a secret: the provider's schema does not mark `password` secret itself. */
  readonly password: pulumi.Output<string>;
  /** The vCenter host name or address. */
  readonly vsphereServer: string;
  /** Accept a self-signed vCenter certificate. @default false */
  readonly allowUnverifiedSsl: boolean;
}

/**
 * Reads the vSphere provider's settings from stack configuration, so a stack fails early with the
 * name of a missing setting. Phoenix's resources use the *default* vSphere provider, which the
 * engine configures from these same keys:
 *
 * ```sh
 * pulumi config set vsphere:user 'svc-phoenix@vsphere.local'
 * pulumi config set --secret vsphere:password        # stored encrypted in Pulumi.<stack>.yaml
 * pulumi config set vsphere:vsphereServer vcenter.example.internal
 * pulumi config set vsphere:allowUnverifiedSsl true  # only for a self-signed vCenter certificate
 * ```
 *
 * The provider's schema (v4.17.0) does not mark `password` secret, so it is only kept encrypted
 * when set with `--secret`; this function returns it wrapped as a secret either way, for an
 * explicit provider or anything else that needs it. vCenter is usually private: `pulumi up` must
 * run where it can reach `vsphereServer` (a laptop on the VPN or a self-hosted deployment runner).
 */
export function vsphereProviderConfig(): VsphereProviderConfig {
  const config = new pulumi.Config("vsphere");
  return {
    user: config.require("user"),
    password: config.requireSecret("password"),
    vsphereServer: config.require("vsphereServer"),
    allowUnverifiedSsl: config.getBoolean("allowUnverifiedSsl") ?? false,
  };
}
