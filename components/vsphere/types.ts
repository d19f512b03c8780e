/**
 * The type tokens of the vSphere resources and lookups Phoenix uses, and the provider plugin
 * version they are bound to. `@pulumi/vsphere` is not served by the package registry reachable
 * here, so the binding module registers these tokens directly, with the plugin pinned through the
 * `version` resource option; `provider-schema.json` beside this file holds the inputs, outputs and
 * replacement facts of exactly these tokens, transcribed from that release's `schema.json`.
 */

/**
 * The pulumi-vsphere release the tokens and `provider-schema.json` come from (tag v4.17.0, the
 * newest release tag of pulumi/pulumi-vsphere in the snapshot read; it bridges
 * terraform-provider-vsphere v2.16.1). Give it as the `version` resource option so that
 * `pulumi up` installs this plugin.
 */
export const VSPHERE_PLUGIN_VERSION = "4.17.0";

/** The vSphere resource types Phoenix registers. */
export const VSPHERE_TYPES = {
  virtualMachine: "vsphere:index/virtualMachine:VirtualMachine",
  virtualDisk: "vsphere:index/virtualDisk:VirtualDisk",
  computeClusterVmAntiAffinityRule:
    "vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule",
} as const;

/** The vSphere lookups (invokes) Phoenix calls: everything is looked up by name. */
export const VSPHERE_FUNCTIONS = {
  getDatacenter: "vsphere:index/getDatacenter:getDatacenter",
  getDatastore: "vsphere:index/getDatastore:getDatastore",
  getComputeCluster: "vsphere:index/getComputeCluster:getComputeCluster",
  getNetwork: "vsphere:index/getNetwork:getNetwork",
  getVirtualMachine: "vsphere:index/getVirtualMachine:getVirtualMachine",
} as const;

/** One of {@link VSPHERE_TYPES}. */
export type VsphereType = (typeof VSPHERE_TYPES)[keyof typeof VSPHERE_TYPES];

/** One of {@link VSPHERE_FUNCTIONS}. */
export type VsphereFunction = (typeof VSPHERE_FUNCTIONS)[keyof typeof VSPHERE_FUNCTIONS];

/** The type tokens of Phoenix's vSphere components (a contract: renaming one replaces). */
export const VSPHERE_COMPONENTS = {
  network: "phoenix:vsphere:Network",
  serverGroup: "phoenix:vsphere:ServerGroup",
  database: "phoenix:vsphere:Database",
  databaseServer: "phoenix:vsphere:DatabaseServer",
  loadBalancer: "phoenix:vsphere:LoadBalancer",
  loadBalancerServers: "phoenix:vsphere:LoadBalancerServers",
  liveSwitch: "phoenix:vsphere:LiveSwitch",
} as const;
