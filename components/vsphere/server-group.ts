import * as pulumi from "@pulumi/pulumi";
import { Colour } from "../core/colour";
import { renderUserData } from "../core/cloud-init/user-data";
import { fingerprint } from "../core/fingerprint";
import { AddressPlan, serverAddress } from "./addresses";
import { guestVm } from "./guest-vm";
import { renderNftablesRuleset } from "./nftables";
import { Placement } from "./placement";
import { ComputeClusterVmAntiAffinityRule, VirtualMachine } from "./provider";
import { VSPHERE_COMPONENTS } from "./types";
import { withFirewall } from "./user-data-firewall";
import { VmSize } from "./vm-size";

/**
 * What a frozen VM (of a colour serving live traffic) ignores: everything that would replace it
 * (`replaceTrigger`, its template) and every update that powers it off or reboots it (CPUs and
 * memory without hot-add; its disks; `extraConfig`, which also carries what cloud-init reads).
 */
export const FROZEN_VM_INPUTS = [
  "replaceTrigger",
  "clone",
  "numCpus",
  "memory",
  "disks",
  "extraConfig",
] as const;

/** Arguments of a {@link ServerGroup}. */
export interface ServerGroupArgs {
  readonly colour: Colour;
  /** The app's systemd unit in the template, and the `service` tag. */
  readonly service: string;
  readonly environment: string;
  /** Number of VMs: a plain number, as it decides which resources exist. */
  readonly count: number;
  /** The template's name (the release). */
  readonly image: string;
  readonly size: VmSize;
  readonly placement: Placement;
  readonly addresses: AddressPlan;
  /** The port the app listens on: admitted from the load balancers only. */
  readonly appPort: number;
  /** CIDRs admitted to SSH. */
  readonly adminCidrs: readonly string[];
  /** The app's environment; secret values stay secret. */
  readonly appEnvironment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Whether the colour serves live traffic as this update starts: its VMs then ignore every
   * change that would rebuild, power off or reboot them.
   * @default false
   */
  readonly frozen?: boolean;
  /**
   * For a frozen colour: the fingerprint its VMs were built with.
   * @default undefined
   */
  readonly keptFingerprint?: string;
}

/**
 * One colour's app servers on vSphere: VMs cloned from the release's template with cloud-init
 * user data (the app's environment and a host firewall admitting the app port from the load
 * balancers only), at fixed addresses from the colour's half of the server block, kept on
 * separate hosts by a DRS anti-affinity rule. A VM is rebuilt, never patched: a new template or
 * user data replaces it, the old one first, since the new one takes its address; only servers
 * of a colour that serves no traffic are ever rebuilt.
 */
export class ServerGroup extends pulumi.ComponentResource {
  /** The VMs, in index order. */
  readonly vms: readonly VirtualMachine[];
  /** Their static addresses, in index order. */
  readonly addresses: readonly string[];
  /** Their addresses as an Output, as the platform interface wants. */
  readonly publicAddresses: pulumi.Output<string[]>;
  /** A digest of everything that goes into the VMs; a frozen colour's stays the one it was built with. */
  readonly fingerprint: pulumi.Output<string>;
  /** Whether the settings ask for other VMs than the frozen ones keep running. */
  readonly heldBack: pulumi.Output<boolean>;

  /**
   * @param name component name; VMs are `${name}-${i}`, the DRS rule `${name}-spread`
   * @param args the group's settings
   * @param opts resource options
   */
  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!Number.isInteger(args.count) || args.count < 0)
      throw new Error(
        `ServerGroup ${name}: count received ${args.count}; allowed: a whole number ≥ 0`,
      );
    // Checked before anything is registered: every index has an address.
    const addresses = Array.from({ length: args.count }, (_, i) =>
      serverAddress(args.addresses, args.colour, i),
    );
    super(
      VSPHERE_COMPONENTS.serverGroup,
      name,
      {
        colour: args.colour,
        count: args.count,
        image: args.image,
        size: `${args.size.cpus}cpu-${args.size.memoryMiB / 1024}gb`,
        frozen: args.frozen ?? false,
      },
      opts,
    );
    const firewall = renderNftablesRuleset({
      role: "app",
      appPort: args.appPort,
      loadBalancerAddresses: args.addresses.loadBalancers,
      adminCidrs: args.adminCidrs,
    });
    const userData = pulumi
      .output(args.appEnvironment)
      .apply((environment) =>
        withFirewall(renderUserData({ service: args.service, environment }), firewall),
      );
    const template = args.placement.template(args.image);
    const frozen = args.frozen ? { ignoreChanges: [...FROZEN_VM_INPUTS] } : {};
    this.vms = addresses.map((address, i) =>
      guestVm(
        `${name}-${i}`,
        {
          placement: args.placement,
          template,
          size: args.size,
          hostname: `${args.service}-${args.environment}-${args.colour}-${i}`,
          address,
          addresses: args.addresses,
          userData,
          tags: { service: args.service, environment: args.environment, colour: args.colour },
          role: "app",
          note: `${args.service} ${args.environment} ${args.colour} app server ${i}, from template ${args.image}`,
        },
        // The new VM takes the old one's address: the old one goes first.
        { parent: this, deleteBeforeReplace: true, ...frozen },
      ),
    );
    if (this.vms.length >= 2) {
      new ComputeClusterVmAntiAffinityRule(
        `${name}-spread`,
        {
          name: `${args.service}-${args.environment}-${args.colour}-spread`,
          computeClusterId: args.placement.clusterId,
          virtualMachineIds: this.vms.map((vm) => vm.id),
        },
        { parent: this },
      );
    }
    this.addresses = addresses;
    this.publicAddresses = pulumi.output(addresses);
    const wanted = pulumi
      .all(
        this.vms.map((vm) => pulumi.all([vm.replaceTrigger, args.size.cpus, args.size.memoryMiB])),
      )
      .apply(fingerprint);
    const kept = args.frozen ? args.keptFingerprint : undefined;
    this.fingerprint = kept === undefined ? wanted : pulumi.output(kept);
    this.heldBack = wanted.apply((w) => kept !== undefined && w !== kept);
    this.registerOutputs({ fingerprint: this.fingerprint });
  }
}
