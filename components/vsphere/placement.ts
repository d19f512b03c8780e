import * as pulumi from "@pulumi/pulumi";
import {
  getComputeCluster,
  getDatacenter,
  getDatastore,
  getNetwork,
  getVirtualMachine,
  GetVirtualMachineResult,
} from "./lookups";

/** Where a stack's VMs go, looked up by name once per stack. */
export interface Placement {
  /** The datacenter (`phoenix:region`). */
  readonly datacenterId: pulumi.Output<string>;
  /** The compute cluster: its id for DRS rules, its root resource pool for the VMs. */
  readonly clusterId: pulumi.Output<string>;
  readonly resourcePoolId: pulumi.Output<string>;
  /** The datastore: its id for VMs, its name for data disks (VirtualDisk takes the name). */
  readonly datastoreId: pulumi.Output<string>;
  readonly datastoreName: string;
  /** The port group. */
  readonly networkId: pulumi.Output<string>;
  /** The VM folder, when the stack names one. */
  readonly folder: string | undefined;
  /** Looks a template up by name in the datacenter. */
  template(name: string): pulumi.Output<GetVirtualMachineResult>;
}

/** The names a {@link Placement} is looked up from. */
export interface PlacementNames {
  readonly datacenter: string;
  readonly cluster: string;
  readonly datastore: string;
  readonly network: string;
  readonly folder: string | undefined;
}

/**
 * Looks up the datacenter, cluster, datastore and port group by name (they are the vSphere
 * admin's, never Phoenix's), and templates on demand. A missing one fails the preview with the
 * provider's "not found" message before anything is created.
 */
export function lookupPlacement(names: PlacementNames, parent?: pulumi.Resource): Placement {
  const opts = parent ? { parent } : undefined;
  const datacenterId = getDatacenter({ name: names.datacenter }, opts).id;
  const cluster = getComputeCluster({ name: names.cluster, datacenterId }, opts);
  return {
    datacenterId,
    clusterId: cluster.id,
    resourcePoolId: cluster.resourcePoolId,
    datastoreId: getDatastore({ name: names.datastore, datacenterId }, opts).id,
    datastoreName: names.datastore,
    networkId: getNetwork({ name: names.network, datacenterId }, opts).id,
    folder: names.folder,
    template: (name) => getVirtualMachine({ name, datacenterId }, opts),
  };
}
