import { gunzipSync } from "zlib";
import { inputAt, PlatformFacts, Props, TypeFacts } from "../core/platform/resource-facts";
import { mockAddress } from "../core/platform/mock-values";
import { readAnnotationTags } from "./annotation-tags";
import { rebuildTrigger } from "./rebuild-trigger";
import { nftablesIngress } from "./nftables-ingress";
import { NFTABLES_CONF_PATH } from "./nftables";
import PROVIDER_SCHEMA from "./provider-schema.json";
import { VSPHERE_COMPONENTS, VSPHERE_FUNCTIONS, VSPHERE_TYPES } from "./types";
import { parse } from "yaml";

// What Phoenix's policies, the mock cloud and the offline plan need to know about the vSphere
// types. Pure data and functions: the policy pack loads this without any SDK.

/** The type token of `@pulumi/command`'s remote command. */
export const REMOTE_COMMAND = "command:remote:Command";

/** The type token of pulumi-random's RandomPassword, which the database's password is. */
export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

/** The guestinfo key cloud-init reads the user data from, as a property path. */
export const USER_DATA_PATH = 'extraConfig["guestinfo.userdata"]';

/** A template's UUID: what a clone pins (a name could be reused; a UUID is one template). */
const TEMPLATE_UUID = {
  test: (value: string) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  allowed: "a template's UUID, looked up from a versioned template name (phoenix:<colour>Image)",
};

/** The inputs of a type that make the provider replace it, from `provider-schema.json`. */
export function replaceOn(type: string): string[] {
  const resources = PROVIDER_SCHEMA.resources as Record<
    string,
    { inputs: Record<string, { willReplaceOnChanges: boolean }> } | undefined
  >;
  const schema = resources[type];
  if (schema === undefined) throw new Error(`${type} is not in provider-schema.json`);
  return Object.entries(schema.inputs)
    .filter(([, input]) => input.willReplaceOnChanges)
    .map(([name]) => name)
    .sort();
}

/** A guestinfo value, decoded as its `.encoding` key says. */
export function guestinfoValue(props: Props, key: "userdata" | "metadata"): string | undefined {
  const config = props.extraConfig as Record<string, unknown> | undefined;
  const value = config?.[`guestinfo.${key}`];
  if (typeof value !== "string") return undefined;
  const encoding = config?.[`guestinfo.${key}.encoding`];
  try {
    if (encoding === "gzip+base64")
      return gunzipSync(Buffer.from(value, "base64")).toString("utf8");
    if (encoding === "base64") return Buffer.from(value, "base64").toString("utf8");
    return value;
  } catch {
    return undefined;
  }
}

/** The nftables ruleset a VM's user data installs, if any. */
export function vmRuleset(props: Props): string | undefined {
  const userData = guestinfoValue(props, "userdata");
  if (userData === undefined || !userData.startsWith("#cloud-config")) return undefined;
  try {
    const doc = parse(userData, { version: "1.1" }) as {
      write_files?: { path?: unknown; content?: unknown }[];
    };
    const file = (doc.write_files ?? []).find((f) => f.path === NFTABLES_CONF_PATH);
    return typeof file?.content === "string" ? file.content : undefined;
  } catch {
    return undefined;
  }
}

const role = (props: Props): string | undefined => readAnnotationTags(props.annotation).role;

/** The checks of a VM's settings that `platform-hardening` reports. */
function vmHardening(props: Props): string[] {
  const problems: string[] = [];
  const metadata = guestinfoValue(props, "metadata");
  let redact: unknown;
  try {
    redact = metadata === undefined ? undefined : (parse(metadata) as { redact?: unknown }).redact;
  } catch {
    redact = undefined;
  }
  if (!Array.isArray(redact) || !redact.includes("userdata"))
    problems.push(
      `redacts ${JSON.stringify(redact ?? null)} in its cloud-init metadata; it must redact "userdata", so the user data does not stay readable in the VM's configuration`,
    );
  if (props.extraConfigRebootRequired !== false)
    problems.push(
      `has extraConfigRebootRequired ${JSON.stringify(props.extraConfigRebootRequired ?? null)}; it must be false, so a change of extraConfig never reboots a server (a rebuild replaces it)`,
    );
  const disks = Array.isArray(props.disks) ? (props.disks as Props[]) : [];
  for (const disk of disks.filter((d) => d.attach === true && d.keepOnRemove !== true))
    problems.push(
      `attaches disk ${JSON.stringify(disk.label)} with keepOnRemove ${JSON.stringify(disk.keepOnRemove ?? null)}; it must be true, so deleting the VM leaves the data disk in place`,
    );
  return problems;
}

/** A UUID-shaped mock value from a seed. */
function mockUuid(seed: number): string {
  const hex = (seed >>> 0).toString(16).padStart(8, "0");
  return `4210${hex.slice(0, 4)}-${hex.slice(4, 8)}-4000-8000-${hex}0000`;
}

const mockNumber = (seed: number) => 1000 + (seed % 9000);

const vmFacts: TypeFacts = {
  server: {
    image: "clone.templateUuid",
    userData: USER_DATA_PATH,
    userDataEncoding: "gzip+base64",
    pinnedImage: TEMPLATE_UUID,
    // Without CPU and memory hot-add (off by default) the provider powers the VM off to change
    // them (terraform-provider-vsphere virtual_machine_config_structure.go, expandCPUCountConfig
    // and expandMemorySizeConfig set "reboot required").
    disruptiveUpdates: ["numCpus", "memory"],
    rebuildTrigger: {
      input: "replaceTrigger",
      expected: (props) => {
        const uuid = inputAt(props, "clone.templateUuid");
        const config = props.extraConfig;
        return typeof uuid === "string" && typeof config === "object" && config !== null
          ? rebuildTrigger(uuid, config as Record<string, string>)
          : undefined;
      },
    },
    // Each VM carries its own firewall: it is its own group.
    memberships: (_props, context) => [context.urn],
  },
  tags: {
    colour: (props) => role(props) === "app",
    read: (props) => readAnnotationTags(props.annotation),
  },
  firewall: {
    ingress: (props) => {
      const ruleset = vmRuleset(props);
      return ruleset === undefined ? [] : nftablesIngress(ruleset);
    },
    targets: (props, context) => (vmRuleset(props) === undefined ? [] : [context.urn]),
  },
  loadBalancer: (props) => role(props) === "loadBalancer",
  hardening: vmHardening,
  keyInputs: ["name", "numCpus", "memory", "clone", "replaceTrigger"],
  mock: (name, _inputs, seed) => ({
    id: mockUuid(seed),
    outputs: {
      uuid: mockUuid(seed),
      moid: `vm-${mockNumber(seed)}`,
      defaultIpAddress: mockAddress("10.99", seed),
      powerState: "on",
      vmxPath: `${name}/${name}.vmx`,
    },
  }),
};

/** Facts about every vSphere type Phoenix registers or reads. */
export const VSPHERE_FACTS: PlatformFacts = {
  platform: "vsphere",
  databasePorts: [5432],
  providerConfig: { vsphere: Object.keys(PROVIDER_SCHEMA.config).sort() },
  types: {
    [VSPHERE_COMPONENTS.network]: {
      component: "network",
      privateNetwork: {
        cidr: (props) => (typeof props.subnet === "string" ? props.subnet : undefined),
      },
      keyInputs: ["datacenter", "cluster", "portGroup", "subnet"],
    },
    [VSPHERE_COMPONENTS.serverGroup]: {
      component: "serverGroup",
      keyInputs: ["colour", "count", "image", "size"],
    },
    [VSPHERE_COMPONENTS.database]: {
      component: "database",
      keyInputs: ["engineVersion", "size", "template"],
    },
    [VSPHERE_COMPONENTS.databaseServer]: { component: "serverGroup", keyInputs: ["role", "image"] },
    [VSPHERE_COMPONENTS.loadBalancer]: {
      component: "endpoint",
      keyInputs: ["liveColour", "weights", "previewColour"],
    },
    [VSPHERE_COMPONENTS.loadBalancerServers]: {
      component: "serverGroup",
      keyInputs: ["role", "count", "image"],
    },
    [VSPHERE_COMPONENTS.liveSwitch]: {
      component: "liveSwitch",
      serverRefs: ["servers"],
      keyInputs: ["liveColour", "weights", "previewColour"],
    },
    [VSPHERE_TYPES.virtualMachine]: {
      ...vmFacts,
      replaceOn: replaceOn(VSPHERE_TYPES.virtualMachine),
    },
    [VSPHERE_TYPES.virtualDisk]: {
      stateful: true,
      replaceOn: replaceOn(VSPHERE_TYPES.virtualDisk),
      keyInputs: ["vmdkPath", "datastore", "size"],
      mock: (_name, inputs) => ({
        id: `[${String(inputs.datastore)}] ${String(inputs.vmdkPath)}`,
        outputs: {},
      }),
    },
    // What Phoenix runs over SSH on its load balancers and database server.
    [REMOTE_COMMAND]: {
      // The provider updates it in place (running `update`, or `create` again); the SDK asks
      // for replacement on `triggers[*]`, which the diff reads from the resource's options.
      replaceOn: [],
      credentials: ["connection"],
      keyInputs: ["triggers"],
      mock: () => ({ outputs: { stdout: "", stderr: "" } }),
    },
    // The database's app role password (pulumi-random): a credential, secret in state.
    [RANDOM_PASSWORD]: {
      credentials: ["result", "bcryptHash"],
      // pulumi-random schema: every input of RandomPassword replaces it (a new password).
      replaceOn: [
        "keepers",
        "length",
        "lower",
        "minLower",
        "minNumeric",
        "minSpecial",
        "minUpper",
        "number",
        "numeric",
        "overrideSpecial",
        "special",
        "upper",
      ],
      keyInputs: ["length", "special"],
      mock: (name) => ({
        outputs: { result: `mock-${name}-0123456789abcdef`, bcryptHash: "$2a$10$mock" },
      }),
    },
    [VSPHERE_TYPES.computeClusterVmAntiAffinityRule]: {
      replaceOn: replaceOn(VSPHERE_TYPES.computeClusterVmAntiAffinityRule),
      keyInputs: ["name", "virtualMachineIds"],
      mock: (_name, inputs) => ({
        id: `${String(inputs.computeClusterId)}:${String(inputs.name)}`,
        outputs: {},
      }),
    },
    [VSPHERE_FUNCTIONS.getDatacenter]: {
      read: true,
      mock: (_name, inputs, seed) => ({
        outputs: { id: `datacenter-${mockNumber(seed)}`, name: inputs.name },
      }),
    },
    [VSPHERE_FUNCTIONS.getComputeCluster]: {
      read: true,
      mock: (_name, _inputs, seed) => ({
        outputs: {
          id: `domain-c${mockNumber(seed)}`,
          resourcePoolId: `resgroup-${mockNumber(seed)}`,
        },
      }),
    },
    [VSPHERE_FUNCTIONS.getDatastore]: {
      read: true,
      mock: (_name, _inputs, seed) => ({ outputs: { id: `datastore-${mockNumber(seed)}` } }),
    },
    [VSPHERE_FUNCTIONS.getNetwork]: {
      read: true,
      mock: (_name, _inputs, seed) => ({
        outputs: { id: `dvportgroup-${mockNumber(seed)}`, type: "DistributedVirtualPortgroup" },
      }),
    },
    [VSPHERE_FUNCTIONS.getVirtualMachine]: {
      read: true,
      mock: (_name, inputs, seed) => ({
        outputs: {
          id: mockUuid(seed),
          uuid: mockUuid(seed),
          name: inputs.name,
          moid: `vm-${mockNumber(seed)}`,
          guestId: "debian12_64Guest",
          firmware: "efi",
          disks: [
            {
              label: "Hard disk 1",
              size: 20,
              thinProvisioned: true,
              eagerlyScrub: false,
              unitNumber: 0,
            },
          ],
          networkInterfaceTypes: ["vmxnet3"],
          scsiType: "pvscsi",
        },
      }),
    },
  },
};
