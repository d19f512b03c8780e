/**
 * The vSphere lookups Phoenix calls, bound by their function tokens (see `provider.ts` for why).
 * Each is the bridged SDK's `get<Thing>Output` (pulumi/pulumi-vsphere v4.17.0
 * `sdk/nodejs/get<Thing>.ts`): it takes Inputs, invokes the function with the pinned plugin
 * `version`, and returns an Output of the typed result (secrets in the answer stay secret). The
 * args and results carry only what Phoenix uses, with the types of `provider-schema.json`.
 */
import * as pulumi from "@pulumi/pulumi";
import { VSPHERE_FUNCTIONS, VSPHERE_PLUGIN_VERSION } from "./types";

function invoke<T>(
  token: string,
  args: pulumi.Inputs,
  opts: pulumi.InvokeOutputOptions | undefined,
): pulumi.Output<T> {
  return pulumi.runtime.invokeOutput<T>(token, args, {
    ...opts,
    version: opts?.version ?? VSPHERE_PLUGIN_VERSION,
  });
}

export interface GetDatacenterArgs {
  /** The datacenter's name; unset on a standalone ESXi host. */
  name?: pulumi.Input<string>;
}

export interface GetDatacenterResult {
  /** The datacenter's managed object id, the `datacenterId` of the other lookups. */
  readonly id: string;
  readonly name?: string;
}

/** A datacenter by name. */
export function getDatacenter(
  args: GetDatacenterArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetDatacenterResult> {
  return invoke(VSPHERE_FUNCTIONS.getDatacenter, { name: args.name }, opts);
}

export interface GetDatastoreArgs {
  name: pulumi.Input<string>;
  /** The datacenter's id (`getDatacenter(...).id`); needed on vCenter. */
  datacenterId?: pulumi.Input<string>;
}

export interface GetDatastoreResult {
  /** The datastore's managed object id: a VM's `datastoreId`. */
  readonly id: string;
  readonly name: string;
  readonly datacenterId?: string;
}

/** A datastore by name, in a datacenter. */
export function getDatastore(
  args: GetDatastoreArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetDatastoreResult> {
  const { name, datacenterId } = args;
  return invoke(VSPHERE_FUNCTIONS.getDatastore, { name, datacenterId }, opts);
}

export interface GetComputeClusterArgs {
  name: pulumi.Input<string>;
  /** The datacenter's id (`getDatacenter(...).id`); needed on vCenter. */
  datacenterId?: pulumi.Input<string>;
}

export interface GetComputeClusterResult {
  /** The cluster's managed object id: an anti-affinity rule's `computeClusterId`. */
  readonly id: string;
  readonly name: string;
  /** The cluster's root resource pool: a VM's `resourcePoolId`. */
  readonly resourcePoolId: string;
  readonly datacenterId?: string;
}

/** A compute cluster by name, in a datacenter. */
export function getComputeCluster(
  args: GetComputeClusterArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetComputeClusterResult> {
  const { name, datacenterId } = args;
  return invoke(VSPHERE_FUNCTIONS.getComputeCluster, { name, datacenterId }, opts);
}

export interface GetNetworkArgs {
  /** The port group's name. */
  name: pulumi.Input<string>;
  /** The datacenter's id (`getDatacenter(...).id`); needed on vCenter. */
  datacenterId?: pulumi.Input<string>;
}

export interface GetNetworkResult {
  /** The network's managed object id: a network interface's `networkId`. */
  readonly id: string;
  readonly name: string;
  /** `Network`, `DistributedVirtualPortgroup`, `OpaqueNetwork`, ... */
  readonly type: string;
  readonly datacenterId?: string;
}

/** A network (port group) by name, in a datacenter. */
export function getNetwork(
  args: GetNetworkArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetNetworkResult> {
  const { name, datacenterId } = args;
  return invoke(VSPHERE_FUNCTIONS.getNetwork, { name, datacenterId }, opts);
}

export interface GetVirtualMachineArgs {
  /** The template's (or VM's) name or inventory path. */
  name?: pulumi.Input<string>;
  /** The datacenter's id (`getDatacenter(...).id`); needed on vCenter. */
  datacenterId?: pulumi.Input<string>;
}

/** A disk of a looked-up VM (the schema type getVirtualMachineDisk). */
export interface GetVirtualMachineDisk {
  readonly label: string;
  /** Size in GiB: a clone's disk must be at least this large. */
  readonly size: number;
  readonly thinProvisioned: boolean;
  readonly eagerlyScrub: boolean;
  readonly unitNumber: number;
}

export interface GetVirtualMachineResult {
  readonly id: string;
  /** The BIOS UUID: a clone's `clone.templateUuid`. */
  readonly uuid: string;
  readonly guestId: string;
  /** `bios` or `efi`: a clone must have the template's. */
  readonly firmware?: string;
  readonly disks: GetVirtualMachineDisk[];
  readonly networkInterfaceTypes: string[];
  readonly scsiType: string;
  readonly moid: string;
  readonly name?: string;
}

/** A VM or template by name, in a datacenter: Phoenix looks its release templates up this way. */
export function getVirtualMachine(
  args: GetVirtualMachineArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetVirtualMachineResult> {
  const { name, datacenterId } = args;
  return invoke(VSPHERE_FUNCTIONS.getVirtualMachine, { name, datacenterId }, opts);
}
