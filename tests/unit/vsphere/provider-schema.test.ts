// The vSphere binding facts (components/vsphere/provider-schema.json), transcribed from
// pulumi/pulumi-vsphere v4.17.0 provider/cmd/pulumi-resource-vsphere/schema.json: the file covers
// exactly the tokens Phoenix binds, and every input Phoenix sets exists there with the type the
// binding gives it. Which inputs force a replacement is the schema's willReplaceOnChanges.
import SCHEMA from "../../../components/vsphere/provider-schema.json";
import {
  VSPHERE_FUNCTIONS,
  VSPHERE_PLUGIN_VERSION,
  VSPHERE_TYPES,
} from "../../../components/vsphere/types";

/** A schema type as the file writes it. */
interface TypeSpec {
  type: "string" | "integer" | "boolean" | "number" | "array" | "object";
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
  ref?: string;
  willReplaceOnChanges?: boolean;
  secret?: boolean;
  deprecated?: boolean;
}
type Props = Record<string, TypeSpec>;
interface Resource {
  requiredInputs: string[];
  inputs: Props;
}
interface ObjectType {
  required: string[];
  properties: Props;
}
interface Fn {
  requiredInputs: string[];
  inputs: Props;
  requiredOutputs: string[];
  outputs: Props;
}

const resources = SCHEMA.resources as Record<string, Resource>;
const types = SCHEMA.types as Record<string, ObjectType>;
const functions = SCHEMA.functions as Record<string, Fn>;
const config = SCHEMA.config as Record<string, TypeSpec>;

const VM = VSPHERE_TYPES.virtualMachine;
const DISK = VSPHERE_TYPES.virtualDisk;
const ANTI_AFFINITY = VSPHERE_TYPES.computeClusterVmAntiAffinityRule;
const VM_CLONE = "vsphere:index/VirtualMachineClone:VirtualMachineClone";
const VM_DISK = "vsphere:index/VirtualMachineDisk:VirtualMachineDisk";
const VM_NIC = "vsphere:index/VirtualMachineNetworkInterface:VirtualMachineNetworkInterface";

const STRING = { type: "string" };
const INTEGER = { type: "integer" };
const BOOLEAN = { type: "boolean" };
const ref = (token: string) => ({ type: "object", ref: token });
const arrayOf = (items: object) => ({ type: "array", items });
const mapOf = (values: object) => ({ type: "object", additionalProperties: values });

/** An input's type without its flags. */
function typeOf(spec: TypeSpec | undefined): object | undefined {
  if (spec === undefined) return undefined;
  const { type, items, additionalProperties, ref: r } = spec;
  return {
    type,
    ...(items && { items: typeOf(items) }),
    ...(additionalProperties && { additionalProperties: typeOf(additionalProperties) }),
    ...(r !== undefined && { ref: r }),
  };
}

function replacing(props: Props): string[] {
  return Object.keys(props)
    .filter((k) => props[k]?.willReplaceOnChanges === true)
    .sort();
}

function walk(spec: TypeSpec, visit: (s: TypeSpec) => void): void {
  visit(spec);
  if (spec.items) walk(spec.items, visit);
  if (spec.additionalProperties) walk(spec.additionalProperties, visit);
}

describe("components/vsphere/provider-schema.json", () => {
  it("covers exactly the resource and function tokens of types.ts", () => {
    expect(Object.keys(resources).sort()).toEqual(Object.values(VSPHERE_TYPES).sort());
    expect(Object.keys(functions).sort()).toEqual(Object.values(VSPHERE_FUNCTIONS).sort());
  });

  it("comes from the release types.ts pins, at a recorded commit", () => {
    expect(SCHEMA.pluginVersion).toBe(VSPHERE_PLUGIN_VERSION);
    expect(SCHEMA.source).toMatchObject({
      repository: "pulumi/pulumi-vsphere",
      tag: `v${VSPHERE_PLUGIN_VERSION}`,
      path: "provider/cmd/pulumi-resource-vsphere/schema.json",
    });
    expect(SCHEMA.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(VSPHERE_PLUGIN_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("writes every type as string, integer, boolean, number, array (items) or object", () => {
    const all: TypeSpec[] = [
      ...Object.values(resources).flatMap((r) => Object.values(r.inputs)),
      ...Object.values(types).flatMap((t) => Object.values(t.properties)),
      ...Object.values(functions).flatMap((f) => [
        ...Object.values(f.inputs),
        ...Object.values(f.outputs),
      ]),
      ...Object.values(config),
    ];
    expect(all.length).toBeGreaterThan(200);
    for (const spec of all) {
      walk(spec, (s) => {
        expect(["string", "integer", "boolean", "number", "array", "object"]).toContain(s.type);
        expect(s.type === "array").toBe(s.items !== undefined);
        if (s.ref !== undefined) expect(s.ref).toMatch(/^vsphere:index\/\w+:\w+$/);
      });
    }
  });

  it("holds every object type the VM's inputs Phoenix sets refer to", () => {
    for (const input of ["clone", "disks", "networkInterfaces"]) {
      walk(resources[VM]?.inputs[input] as TypeSpec, (s) => {
        if (s.ref !== undefined) expect(Object.keys(types)).toContain(s.ref);
      });
    }
    expect(Object.keys(types).sort()).toEqual([VM_CLONE, VM_DISK, VM_NIC].sort());
  });
});

describe("VirtualMachine", () => {
  const inputs = resources[VM]?.inputs ?? {};

  it.each([
    ["name", STRING],
    ["resourcePoolId", STRING],
    ["datastoreId", STRING],
    ["folder", STRING],
    ["guestId", STRING],
    ["numCpus", INTEGER],
    ["memory", INTEGER],
    ["clone", ref(VM_CLONE)],
    ["disks", arrayOf(ref(VM_DISK))],
    ["networkInterfaces", arrayOf(ref(VM_NIC))],
    ["extraConfig", mapOf(STRING)],
    ["extraConfigRebootRequired", BOOLEAN],
    ["enableDiskUuid", BOOLEAN],
    ["tags", arrayOf(STRING)],
    ["replaceTrigger", STRING],
  ])("has the input %s of type %j", (name, type) => {
    expect(typeOf(inputs[name])).toEqual(type);
  });

  it("requires only resourcePoolId", () => {
    expect(resources[VM]?.requiredInputs).toEqual(["resourcePoolId"]);
  });

  // A change of extraConfig (the user data), clone.templateUuid (the release's template), numCpus
  // or memory is an in-place update (extraConfig with a reboot) in the provider: Phoenix's
  // rebuild-never-patch needs replaceOnChanges on them.
  it("is replaced by the provider only on replaceTrigger: extraConfig and clone update in place", () => {
    expect(replacing(inputs)).toEqual(["replaceTrigger"]);
    for (const name of ["extraConfig", "clone", "disks", "numCpus", "memory", "datastoreId"]) {
      expect(inputs[name]?.willReplaceOnChanges).toBe(false);
    }
  });

  it("clones from clone.templateUuid (required), optionally linked", () => {
    const clone = types[VM_CLONE];
    expect(clone?.required).toEqual(["templateUuid"]);
    expect(typeOf(clone?.properties.templateUuid)).toEqual(STRING);
    expect(typeOf(clone?.properties.linkedClone)).toEqual(BOOLEAN);
    expect(typeOf(clone?.properties.timeout)).toEqual(INTEGER);
    expect(replacing(clone?.properties ?? {})).toEqual([]);
  });

  // A data disk made by VirtualDisk is attached through the VM's own disks[]: attach + path (+
  // datastoreId); VirtualDisk itself has no attach input in this schema.
  it.each([
    ["label", STRING],
    ["size", INTEGER],
    ["unitNumber", INTEGER],
    ["thinProvisioned", BOOLEAN],
    ["eagerlyScrub", BOOLEAN],
    ["attach", BOOLEAN],
    ["path", STRING],
    ["datastoreId", STRING],
    ["keepOnRemove", BOOLEAN],
    ["diskMode", STRING],
  ])("disks[] has %s of type %j", (name, type) => {
    expect(typeOf(types[VM_DISK]?.properties[name])).toEqual(type);
  });

  it("disks[] requires only label; networkInterfaces[] requires networkId", () => {
    expect(types[VM_DISK]?.required).toEqual(["label"]);
    expect(types[VM_NIC]?.required).toEqual(["networkId"]);
    expect(typeOf(types[VM_NIC]?.properties.networkId)).toEqual(STRING);
    expect(typeOf(types[VM_NIC]?.properties.adapterType)).toEqual(STRING);
  });
});

describe("VirtualDisk", () => {
  const disk = resources[DISK] as Resource;

  it.each([
    ["vmdkPath", STRING],
    ["datastore", STRING],
    ["datacenter", STRING],
    ["size", INTEGER],
    ["type", STRING],
    ["createDirectories", BOOLEAN],
  ])("has the input %s of type %j", (name, type) => {
    expect(typeOf(disk.inputs[name])).toEqual(type);
  });

  it("requires vmdkPath, datastore and size, and has no attach or path input", () => {
    expect(disk.requiredInputs).toEqual(["datastore", "size", "vmdkPath"]);
    expect(disk.inputs.attach).toBeUndefined();
    expect(disk.inputs.path).toBeUndefined();
  });

  it("is replaced on a new path, datastore, datacenter or type; a size change grows it in place", () => {
    expect(replacing(disk.inputs)).toEqual([
      "adapterType",
      "createDirectories",
      "datacenter",
      "datastore",
      "type",
      "vmdkPath",
    ]);
    expect(disk.inputs.size?.willReplaceOnChanges).toBe(false);
    expect(disk.inputs.adapterType?.deprecated).toBe(true);
  });
});

describe("ComputeClusterVmAntiAffinityRule", () => {
  const rule = resources[ANTI_AFFINITY] as Resource;

  it("takes a name, the cluster, the VM ids, enabled and mandatory", () => {
    expect(Object.fromEntries(Object.entries(rule.inputs).map(([k, v]) => [k, typeOf(v)]))).toEqual(
      {
        computeClusterId: STRING,
        enabled: BOOLEAN,
        mandatory: BOOLEAN,
        name: STRING,
        virtualMachineIds: arrayOf(STRING),
      },
    );
    expect(rule.requiredInputs).toEqual(["computeClusterId", "virtualMachineIds"]);
  });

  it("is replaced only on a new cluster: its VM list changes in place", () => {
    expect(replacing(rule.inputs)).toEqual(["computeClusterId"]);
  });
});

describe("lookups", () => {
  it.each([
    [VSPHERE_FUNCTIONS.getDatacenter, ["name"], [], ["id", "name"]],
    [VSPHERE_FUNCTIONS.getDatastore, ["datacenterId", "name"], ["name"], ["id"]],
    [
      VSPHERE_FUNCTIONS.getComputeCluster,
      ["datacenterId", "name"],
      ["name"],
      ["id", "resourcePoolId"],
    ],
    [VSPHERE_FUNCTIONS.getNetwork, ["datacenterId", "name"], ["name"], ["id", "type"]],
    [
      VSPHERE_FUNCTIONS.getVirtualMachine,
      ["datacenterId", "name"],
      [],
      ["disks", "firmware", "guestId", "id", "networkInterfaceTypes", "scsiType", "uuid"],
    ],
  ])("%s takes %j (requires %j) and returns %j", (token, inputs, required, outputs) => {
    const fn = functions[token] as Fn;
    for (const name of inputs) expect(typeOf(fn.inputs[name])).toEqual(STRING);
    expect(fn.requiredInputs).toEqual(required);
    for (const name of outputs) expect(Object.keys(fn.outputs)).toContain(name);
  });

  it("getVirtualMachine returns the template's uuid as a string, for clone.templateUuid", () => {
    expect(typeOf(functions[VSPHERE_FUNCTIONS.getVirtualMachine]?.outputs.uuid)).toEqual(STRING);
    expect(typeOf(functions[VSPHERE_FUNCTIONS.getComputeCluster]?.outputs.resourcePoolId)).toEqual(
      STRING,
    );
  });
});

describe("provider configuration", () => {
  it.each([
    ["user", STRING],
    ["password", STRING],
    ["vsphereServer", STRING],
    ["allowUnverifiedSsl", BOOLEAN],
    ["apiTimeout", INTEGER],
  ])("has vsphere:%s of type %j", (name, type) => {
    expect(typeOf(config[name])).toEqual(type);
  });

  it("does not mark password secret: Phoenix must wrap it", () => {
    expect(config.password?.secret).toBe(false);
    expect(Object.keys(config).filter((k) => config[k]?.secret)).toEqual([]);
  });

  it("requires user and password; vcenterServer is the deprecated name of vsphereServer", () => {
    expect(SCHEMA.configNotes.required).toEqual(["password", "user"]);
    expect(config.vcenterServer?.deprecated).toBe(true);
  });
});
