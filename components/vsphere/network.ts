import * as pulumi from "@pulumi/pulumi";
import { AddressPlan } from "./addresses";
import { lookupPlacement, Placement, PlacementNames } from "./placement";
import { VSPHERE_COMPONENTS } from "./types";

/** Arguments of a {@link Network}. */
export interface NetworkArgs {
  /** The datacenter, cluster, datastore, port group and VM folder, by name. */
  readonly names: PlacementNames;
  /** The static addresses Phoenix gives out on the port group. */
  readonly addresses: AddressPlan;
}

/**
 * A vSphere stack's network: the port group its VMs join and the addresses Phoenix gives out on
 * it. vSphere's networks are the admin's, so nothing is created here: the component looks the
 * datacenter, cluster, datastore and port group up by name and registers the address plan as its
 * intent, which the policies read (the private range the load balancers reach servers from).
 * There is no cloud firewall either: each server carries its own (`nftables.ts`).
 */
export class Network extends pulumi.ComponentResource {
  /** Where VMs go. */
  readonly placement: Placement;

  /**
   * @param name component name
   * @param args names and addresses
   * @param opts resource options
   */
  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const { addresses, names } = args;
    super(
      VSPHERE_COMPONENTS.network,
      name,
      {
        datacenter: names.datacenter,
        cluster: names.cluster,
        datastore: names.datastore,
        portGroup: names.network,
        subnet: addresses.subnet,
        gateway: addresses.gateway,
        serverBlock: addresses.serverBlock,
        loadBalancers: [...addresses.loadBalancers],
        virtualAddress: addresses.virtualAddress ?? null,
        database: addresses.database ?? null,
      },
      opts,
    );
    this.placement = lookupPlacement(names, this);
    this.registerOutputs({});
  }
}
