// The vSphere binding (components/vsphere/provider.ts, lookups.ts) without @pulumi/vsphere: every
// Args and Result interface is read from the source with the TypeScript parser and compared with
// provider-schema.json (names, types, required), and the classes and lookups are run under
// Pulumi's mock runtime. The `version` resource option is not visible to `mocks.newResource` or
// `mocks.call` (MockResourceArgs/MockCallArgs carry no version), so it is read where it is
// observable: the RegisterResourceRequest/ResourceInvokeRequest the SDK sends to the (mock)
// monitor, and the options a stack transformation receives.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import ts from "typescript";
import SCHEMA from "../../../components/vsphere/provider-schema.json";
import {
  getComputeCluster,
  getDatacenter,
  getDatastore,
  getNetwork,
  getVirtualMachine,
} from "../../../components/vsphere/lookups";
import {
  ComputeClusterVmAntiAffinityRule,
  VirtualDisk,
  VirtualMachine,
  vsphereProviderConfig,
} from "../../../components/vsphere/provider";
import {
  VSPHERE_FUNCTIONS,
  VSPHERE_PLUGIN_VERSION,
  VSPHERE_TYPES,
} from "../../../components/vsphere/types";

// ---------------------------------------------------------------------------------------------
// The interfaces, as the source declares them

/** A type as provider-schema.json writes it, without flags; `number` stands for integer too. */
interface Shape {
  type: string;
  items?: Shape;
  additionalProperties?: Shape;
  ref?: string;
}
interface Member {
  name: string;
  optional: boolean;
  shape: Shape;
}

const VM_CLONE = "vsphere:index/VirtualMachineClone:VirtualMachineClone";
const VM_DISK = "vsphere:index/VirtualMachineDisk:VirtualMachineDisk";
const VM_NIC = "vsphere:index/VirtualMachineNetworkInterface:VirtualMachineNetworkInterface";
const GET_VM_DISK = "vsphere:index/getVirtualMachineDisk:getVirtualMachineDisk";

/** The binding's object types, by the schema type each stands for. */
const REFS: Record<string, string> = {
  VirtualMachineCloneArgs: VM_CLONE,
  VirtualMachineDiskArgs: VM_DISK,
  VirtualMachineNetworkInterfaceArgs: VM_NIC,
  GetVirtualMachineDisk: GET_VM_DISK,
};

function shapeOf(node: ts.TypeNode): Shape {
  if (ts.isParenthesizedTypeNode(node)) return shapeOf(node.type);
  if (ts.isUnionTypeNode(node)) {
    const defined = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
    if (defined.length !== 1) throw new Error(`unsupported union ${node.getText()}`);
    return shapeOf(defined[0] as ts.TypeNode);
  }
  if (node.kind === ts.SyntaxKind.StringKeyword) return { type: "string" };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: "number" };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: "boolean" };
  if (ts.isArrayTypeNode(node)) return { type: "array", items: shapeOf(node.elementType) };
  if (ts.isTypeLiteralNode(node)) {
    const [index] = node.members;
    if (node.members.length === 1 && index && ts.isIndexSignatureDeclaration(index)) {
      return { type: "object", additionalProperties: shapeOf(index.type) };
    }
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    const args = node.typeArguments ?? [];
    if (["pulumi.Input", "pulumi.Output", "Input", "Output"].includes(name) && args[0]) {
      return shapeOf(args[0]);
    }
    if (name === "Record" && args[1])
      return { type: "object", additionalProperties: shapeOf(args[1]) };
    if (name === "Array" && args[0]) return { type: "array", items: shapeOf(args[0]) };
    const ref = REFS[name];
    if (ref !== undefined) return { type: "object", ref };
  }
  throw new Error(`unsupported type ${node.getText()}`);
}

function parse(file: string): ts.SourceFile {
  const text = fs.readFileSync(path.join(__dirname, "../../../components/vsphere", file), "utf8");
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
}

function propertyName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  throw new Error(`unsupported property name ${name.getText()}`);
}

/** Every interface of a file, with its members. */
function interfacesOf(source: ts.SourceFile): Map<string, Member[]> {
  const found = new Map<string, Member[]>();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const members = statement.members.filter(ts.isPropertySignature).map((m) => {
      if (!m.type) throw new Error(`${statement.name.text}.${m.name.getText()} has no type`);
      return {
        name: propertyName(m.name),
        optional: m.questionToken !== undefined,
        shape: shapeOf(m.type),
      };
    });
    found.set(statement.name.text, members);
  }
  return found;
}

/** The `declare readonly x: pulumi.Output<T>` fields of every class of a file. */
function declaredOutputsOf(source: ts.SourceFile): Map<string, Member[]> {
  const found = new Map<string, Member[]>();
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    const members = statement.members
      .filter(ts.isPropertyDeclaration)
      .filter((m) => m.modifiers?.some((k) => k.kind === ts.SyntaxKind.DeclareKeyword))
      .map((m) => ({
        name: propertyName(m.name),
        optional: m.questionToken !== undefined,
        shape: shapeOf(m.type as ts.TypeNode),
      }));
    found.set(statement.name.text, members);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The schema's facts

interface Spec extends Shape {
  items?: Spec;
  additionalProperties?: Spec;
}
interface Entry {
  required: readonly string[];
  props: Record<string, Spec>;
}

/** A schema type in the binding's terms: integer and number are both TypeScript's number. */
function normalize(spec: Spec): Shape {
  const { type, items, additionalProperties, ref } = spec;
  return {
    type: type === "integer" ? "number" : type,
    ...(items && { items: normalize(items) }),
    ...(additionalProperties && { additionalProperties: normalize(additionalProperties) }),
    ...(ref !== undefined && { ref }),
  };
}

const resources = SCHEMA.resources as Record<string, { requiredInputs: string[]; inputs: object }>;
const types = SCHEMA.types as Record<string, { required: string[]; properties: object }>;
const functions = SCHEMA.functions as Record<
  string,
  { requiredInputs: string[]; inputs: object; requiredOutputs: string[]; outputs: object }
>;
const resourceEntry = (token: string): Entry => ({
  required: resources[token]?.requiredInputs ?? [],
  props: (resources[token]?.inputs ?? {}) as Record<string, Spec>,
});
const typeEntry = (token: string): Entry => ({
  required: types[token]?.required ?? [],
  props: (types[token]?.properties ?? {}) as Record<string, Spec>,
});
const fnInputs = (token: string): Entry => ({
  required: functions[token]?.requiredInputs ?? [],
  props: (functions[token]?.inputs ?? {}) as Record<string, Spec>,
});
const fnOutputs = (token: string): Entry => ({
  required: functions[token]?.requiredOutputs ?? [],
  props: (functions[token]?.outputs ?? {}) as Record<string, Spec>,
});

/**
 * The element type of getVirtualMachine's `disks`, which provider-schema.json refers to but does
 * not hold: pulumi/pulumi-vsphere v4.17.0 sdk/nodejs/types/output.ts `GetVirtualMachineDisk`.
 */
const GET_VM_DISK_ENTRY: Entry = {
  required: ["eagerlyScrub", "label", "size", "thinProvisioned", "unitNumber"],
  props: {
    eagerlyScrub: { type: "boolean" },
    label: { type: "string" },
    size: { type: "integer" },
    thinProvisioned: { type: "boolean" },
    unitNumber: { type: "integer" },
  },
};

/**
 * The output-only properties of each resource, which provider-schema.json (inputs only) does not
 * hold: the `/*out*\/` fields of pulumi/pulumi-vsphere v4.17.0 sdk/nodejs/<resource>.ts
 * (virtualMachine.ts lines 1139-1455; VirtualDisk and the rule have none).
 */
const OUTPUT_ONLY: Record<string, Record<string, Spec>> = {
  [VSPHERE_TYPES.virtualMachine]: {
    changeVersion: { type: "string" },
    defaultIpAddress: { type: "string" },
    guestIpAddresses: { type: "array", items: { type: "string" } },
    imported: { type: "boolean" },
    moid: { type: "string" },
    powerState: { type: "string" },
    rebootRequired: { type: "boolean" },
    uuid: { type: "string" },
    vappTransports: { type: "array", items: { type: "string" } },
    vmwareToolsStatus: { type: "string" },
    vmxPath: { type: "string" },
  },
  [VSPHERE_TYPES.virtualDisk]: {},
  [VSPHERE_TYPES.computeClusterVmAntiAffinityRule]: {},
};

const providerSource = parse("provider.ts");
const lookupsSource = parse("lookups.ts");
const providerInterfaces = interfacesOf(providerSource);
const lookupInterfaces = interfacesOf(lookupsSource);

/** Each interface of the binding and the schema entry it transcribes. */
const TRANSCRIPTIONS: [string, Map<string, Member[]>, Entry][] = [
  ["VirtualMachineArgs", providerInterfaces, resourceEntry(VSPHERE_TYPES.virtualMachine)],
  ["VirtualMachineCloneArgs", providerInterfaces, typeEntry(VM_CLONE)],
  ["VirtualMachineDiskArgs", providerInterfaces, typeEntry(VM_DISK)],
  ["VirtualMachineNetworkInterfaceArgs", providerInterfaces, typeEntry(VM_NIC)],
  ["VirtualDiskArgs", providerInterfaces, resourceEntry(VSPHERE_TYPES.virtualDisk)],
  [
    "ComputeClusterVmAntiAffinityRuleArgs",
    providerInterfaces,
    resourceEntry(VSPHERE_TYPES.computeClusterVmAntiAffinityRule),
  ],
  ["GetDatacenterArgs", lookupInterfaces, fnInputs(VSPHERE_FUNCTIONS.getDatacenter)],
  ["GetDatacenterResult", lookupInterfaces, fnOutputs(VSPHERE_FUNCTIONS.getDatacenter)],
  ["GetDatastoreArgs", lookupInterfaces, fnInputs(VSPHERE_FUNCTIONS.getDatastore)],
  ["GetDatastoreResult", lookupInterfaces, fnOutputs(VSPHERE_FUNCTIONS.getDatastore)],
  ["GetComputeClusterArgs", lookupInterfaces, fnInputs(VSPHERE_FUNCTIONS.getComputeCluster)],
  ["GetComputeClusterResult", lookupInterfaces, fnOutputs(VSPHERE_FUNCTIONS.getComputeCluster)],
  ["GetNetworkArgs", lookupInterfaces, fnInputs(VSPHERE_FUNCTIONS.getNetwork)],
  ["GetNetworkResult", lookupInterfaces, fnOutputs(VSPHERE_FUNCTIONS.getNetwork)],
  ["GetVirtualMachineArgs", lookupInterfaces, fnInputs(VSPHERE_FUNCTIONS.getVirtualMachine)],
  ["GetVirtualMachineResult", lookupInterfaces, fnOutputs(VSPHERE_FUNCTIONS.getVirtualMachine)],
  ["GetVirtualMachineDisk", lookupInterfaces, GET_VM_DISK_ENTRY],
];

describe("the binding's interfaces against provider-schema.json", () => {
  it("transcribes every interface of provider.ts and lookups.ts but the config's", () => {
    const named = TRANSCRIPTIONS.map(([name]) => name).sort();
    const declared = [...providerInterfaces.keys(), ...lookupInterfaces.keys()]
      .filter((n) => n !== "VsphereProviderConfig")
      .sort();
    expect(declared).toEqual(named);
  });

  it.each(TRANSCRIPTIONS)(
    "%s: every property exists in the schema with its type",
    (name, all, entry) => {
      const members = all.get(name) ?? [];
      expect(members.length).toBeGreaterThan(0);
      for (const member of members) {
        const spec = entry.props[member.name];
        expect({ [member.name]: spec && normalize(spec) }).toEqual({ [member.name]: member.shape });
      }
    },
  );

  it.each(TRANSCRIPTIONS)(
    "%s: optional exactly where the schema does not require it",
    (name, all, entry) => {
      const members = all.get(name) ?? [];
      for (const member of members) {
        expect({ [member.name]: member.optional }).toEqual({
          [member.name]: !entry.required.includes(member.name),
        });
      }
      // The SDK refuses a resource or lookup without its required inputs: the binding has them all.
      if (name.endsWith("Args")) {
        expect(entry.required.filter((r) => !members.some((m) => m.name === r))).toEqual([]);
      }
    },
  );

  it.each([
    ["VirtualMachine", VSPHERE_TYPES.virtualMachine],
    ["VirtualDisk", VSPHERE_TYPES.virtualDisk],
    ["ComputeClusterVmAntiAffinityRule", VSPHERE_TYPES.computeClusterVmAntiAffinityRule],
  ])(
    "%s declares outputs that are inputs or output-only properties of the schema, typed as there",
    (cls, token) => {
      const outputs = declaredOutputsOf(providerSource).get(cls) ?? [];
      expect(outputs.length).toBeGreaterThan(0);
      const known = { ...resourceEntry(token).props, ...OUTPUT_ONLY[token] };
      for (const output of outputs) {
        const spec = known[output.name];
        expect({ [output.name]: spec && normalize(spec) }).toEqual({ [output.name]: output.shape });
        expect(output.optional).toBe(false);
      }
    },
  );

  it("sets the VM inputs the issue names, and the documented replacement input", () => {
    const vm = (providerInterfaces.get("VirtualMachineArgs") ?? []).map((m) => m.name);
    for (const input of ["clone", "disks", "networkInterfaces", "extraConfig", "replaceTrigger"]) {
      expect(vm).toContain(input);
    }
    const disk = (providerInterfaces.get("VirtualMachineDiskArgs") ?? []).map((m) => m.name);
    expect(disk).toEqual(expect.arrayContaining(["attach", "path", "datastoreId", "keepOnRemove"]));
  });
});

// ---------------------------------------------------------------------------------------------
// Under the mock runtime

/** A request as the SDK sends it to the monitor (the parts read here). */
interface WireRegister {
  getType(): string;
  getName(): string;
  getVersion(): string;
}
interface WireInvoke {
  getTok(): string;
  getVersion(): string;
}
type Callback = (err: unknown, response: unknown) => void;
interface Monitor {
  registerResource(req: WireRegister, callback: Callback): unknown;
  invoke(req: WireInvoke, callback: Callback): unknown;
}

function unwrap<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));
}

const DC_ID = "datacenter-3";
const TEMPLATE = {
  id: "4217a3b2-5c1d-8e9f-0a1b-2c3d4e5f6a7b",
  uuid: "4217a3b2-5c1d-8e9f-0a1b-2c3d4e5f6a7b",
  guestId: "debian12_64Guest",
  firmware: "efi",
  disks: [{ label: "disk0", size: 20, thinProvisioned: true, eagerlyScrub: false, unitNumber: 0 }],
  networkInterfaceTypes: ["vmxnet3"],
  scsiType: "pvscsi",
  moid: "vm-1001",
};
const ANSWERS: Record<string, Record<string, unknown>> = {
  [VSPHERE_FUNCTIONS.getDatacenter]: { id: DC_ID, name: "dc-fra-1" },
  [VSPHERE_FUNCTIONS.getDatastore]: { id: "datastore-41", name: "vsan-fra-1" },
  [VSPHERE_FUNCTIONS.getComputeCluster]: {
    id: "domain-c8",
    name: "cl-fra-prod",
    resourcePoolId: "resgroup-9",
  },
  [VSPHERE_FUNCTIONS.getNetwork]: { id: "dvportgroup-51", name: "pg-app-v120", type: "Network" },
  [VSPHERE_FUNCTIONS.getVirtualMachine]: TEMPLATE,
};
const VM_STATE = {
  uuid: "42170000-aaaa-bbbb-cccc-000000000001",
  moid: "vm-2001",
  defaultIpAddress: "10.20.30.41",
  guestIpAddresses: ["10.20.30.41", "fe80::250:56ff:fe01:2"],
  powerState: "on",
};

interface Run {
  newResource: pulumi.runtime.MockResourceArgs[];
  calls: pulumi.runtime.MockCallArgs[];
  wireResources: { type: string; name: string; version: string }[];
  wireInvokes: { token: string; version: string }[];
  transformed: pulumi.ResourceTransformationArgs[];
  lookups: {
    datacenter: { id: string; name?: string };
    resourcePoolId: string;
    datastoreId: string;
    networkId: string;
    template: typeof TEMPLATE;
  };
  vm: { id: string; uuid: string; moid: string; defaultIpAddress: string; ips: string[] };
  disk: { vmdkPath: string; size: number };
  ruleVms: string[];
  vmArgs: Record<string, unknown>;
}

const EXTRA_CONFIG = {
  "guestinfo.userdata": "I2Nsb3VkLWNvbmZpZwo=",
  "guestinfo.userdata.encoding": "base64",
  "guestinfo.metadata": "aW5zdGFuY2UtaWQ6IGxlZGdlci1ibHVlLTAK",
  "guestinfo.metadata.encoding": "base64",
};

async function runBinding(): Promise<Run> {
  const run: Omit<Run, "lookups" | "vm" | "disk" | "ruleVms" | "vmArgs"> = {
    newResource: [],
    calls: [],
    wireResources: [],
    wireInvokes: [],
    transformed: [],
  };
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        run.newResource.push(args);
        const state = args.type === VSPHERE_TYPES.virtualMachine ? VM_STATE : {};
        return { id: `${args.name}-id`, state: { ...args.inputs, ...state } };
      },
      call(args) {
        run.calls.push(args);
        return ANSWERS[args.token] ?? {};
      },
    },
    "phoenix",
    "vsphere-dev",
    false,
  );
  // Record what the SDK puts on the wire to the engine, before the mock monitor answers it.
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    run.wireResources.push({ type: req.getType(), name: req.getName(), version: req.getVersion() });
    return register(req, callback);
  };
  const invoke = monitor.invoke.bind(monitor);
  monitor.invoke = (req, callback) => {
    run.wireInvokes.push({ token: req.getTok(), version: req.getVersion() });
    return invoke(req, callback);
  };

  let result: Run | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      run.transformed.push(args);
      return undefined;
    });
    const dc = getDatacenter({ name: "dc-fra-1" });
    const datastore = getDatastore({ name: "vsan-fra-1", datacenterId: dc.id });
    const cluster = getComputeCluster({ name: "cl-fra-prod", datacenterId: dc.id });
    const network = getNetwork({ name: "pg-app-v120", datacenterId: dc.id });
    const template = getVirtualMachine({ name: "tpl-ledger-v120", datacenterId: dc.id });

    const disk = new VirtualDisk(
      "ledger-db-data-0",
      {
        vmdkPath: "phoenix/ledger-db-data-0.vmdk",
        datastore: "vsan-fra-1",
        datacenter: "dc-fra-1",
        size: 50,
        type: "thin",
        createDirectories: true,
      },
      { protect: true, retainOnDelete: true },
    );
    const vmArgs = {
      name: "ledger-blue-0",
      resourcePoolId: cluster.resourcePoolId,
      datastoreId: datastore.id,
      folder: "phoenix/ledger",
      numCpus: 2,
      memory: 4096,
      guestId: template.guestId,
      firmware: template.apply((t) => t.firmware ?? "bios"),
      networkInterfaces: [{ networkId: network.id, adapterType: "vmxnet3" }],
      disks: [
        { label: "disk0", size: 20, thinProvisioned: true, unitNumber: 0 },
        {
          label: "disk1",
          attach: true,
          path: disk.vmdkPath,
          datastoreId: datastore.id,
          unitNumber: 1,
          keepOnRemove: true,
        },
      ],
      clone: { templateUuid: template.uuid, linkedClone: false },
      extraConfig: EXTRA_CONFIG,
      extraConfigRebootRequired: false,
      replaceTrigger: "sha256:4f2c",
      enableDiskUuid: true,
      waitForGuestNetTimeout: 5,
      waitForGuestIpTimeout: 0,
      tags: ["urn:vmomi:InventoryServiceTag:1:GLOBAL"],
      annotation: "phoenix ledger blue",
      forcePowerOff: false,
      shutdownWaitTimeout: 5,
    };
    const vm = new VirtualMachine("ledger-blue-0", vmArgs, {
      replaceOnChanges: ["extraConfig"],
      deleteBeforeReplace: true,
    });
    const rule = new ComputeClusterVmAntiAffinityRule("ledger-blue-spread", {
      name: "ledger-blue-spread",
      computeClusterId: cluster.id,
      virtualMachineIds: [vm.id],
      enabled: true,
      mandatory: false,
    });

    result = {
      ...run,
      lookups: {
        datacenter: await unwrap(dc),
        resourcePoolId: await unwrap(cluster.resourcePoolId),
        datastoreId: await unwrap(datastore.id),
        networkId: await unwrap(network.id),
        template: (await unwrap(template)) as typeof TEMPLATE,
      },
      vm: {
        id: await unwrap(vm.id),
        uuid: await unwrap(vm.uuid),
        moid: await unwrap(vm.moid),
        defaultIpAddress: await unwrap(vm.defaultIpAddress),
        ips: await unwrap(vm.guestIpAddresses),
      },
      disk: { vmdkPath: await unwrap(disk.vmdkPath), size: await unwrap(disk.size) },
      ruleVms: await unwrap(rule.virtualMachineIds),
      vmArgs,
    };
    return {};
  });
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  if (!result) throw new Error("the program did not finish");
  return result;
}

describe("the binding under the mock runtime", () => {
  let run: Run;
  const traceLimit = Error.stackTraceLimit;

  beforeAll(async () => {
    // Pulumi formats a stack trace for every promise it makes; none is read here.
    Error.stackTraceLimit = 0;
    run = await runBinding();
  });
  afterAll(() => {
    Error.stackTraceLimit = traceLimit;
  });

  const created = (type: string) => run.newResource.filter((r) => r.type === type);

  it("registers each class with its type token, as a custom resource", () => {
    const vsphere = run.newResource.filter((r) => r.type.startsWith("vsphere:"));
    expect(vsphere.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${VSPHERE_TYPES.virtualDisk}::ledger-db-data-0`,
      `${VSPHERE_TYPES.virtualMachine}::ledger-blue-0`,
      `${VSPHERE_TYPES.computeClusterVmAntiAffinityRule}::ledger-blue-spread`,
    ]);
    expect(vsphere.every((r) => r.custom === true)).toBe(true);
    expect(VirtualMachine.__pulumiType).toBe(VSPHERE_TYPES.virtualMachine);
    expect(VirtualDisk.__pulumiType).toBe(VSPHERE_TYPES.virtualDisk);
    expect(ComputeClusterVmAntiAffinityRule.__pulumiType).toBe(
      VSPHERE_TYPES.computeClusterVmAntiAffinityRule,
    );
  });

  it("sends version 4.17.0 to the engine with every registration (the mocks see no version)", () => {
    expect(run.wireResources.filter((r) => r.type.startsWith("vsphere:"))).toEqual([
      {
        type: VSPHERE_TYPES.virtualDisk,
        name: "ledger-db-data-0",
        version: VSPHERE_PLUGIN_VERSION,
      },
      {
        type: VSPHERE_TYPES.virtualMachine,
        name: "ledger-blue-0",
        version: VSPHERE_PLUGIN_VERSION,
      },
      {
        type: VSPHERE_TYPES.computeClusterVmAntiAffinityRule,
        name: "ledger-blue-spread",
        version: VSPHERE_PLUGIN_VERSION,
      },
    ]);
    // MockResourceArgs has no version: what a mock alone could observe is the provider reference,
    // empty for the default provider.
    for (const r of run.newResource) {
      expect(Object.keys(r)).not.toContain("version");
      expect(r.provider ?? "").toBe("");
    }
  });

  it("merges the version into the caller's options, keeping theirs", () => {
    const opts = (name: string) =>
      run.transformed.find((t) => t.name === name)?.opts as pulumi.CustomResourceOptions;
    expect(opts("ledger-db-data-0")).toMatchObject({
      version: VSPHERE_PLUGIN_VERSION,
      protect: true,
      retainOnDelete: true,
    });
    expect(opts("ledger-blue-0")).toMatchObject({
      version: VSPHERE_PLUGIN_VERSION,
      replaceOnChanges: ["extraConfig"],
      deleteBeforeReplace: true,
    });
    expect(opts("ledger-blue-spread")).toMatchObject({ version: VSPHERE_PLUGIN_VERSION });
  });

  it("passes the VM's inputs through unchanged, Outputs resolved", () => {
    const [vm] = created(VSPHERE_TYPES.virtualMachine);
    expect(vm?.inputs).toEqual({
      ...run.vmArgs,
      resourcePoolId: "resgroup-9",
      datastoreId: "datastore-41",
      guestId: "debian12_64Guest",
      firmware: "efi",
      networkInterfaces: [{ networkId: "dvportgroup-51", adapterType: "vmxnet3" }],
      disks: [
        { label: "disk0", size: 20, thinProvisioned: true, unitNumber: 0 },
        {
          label: "disk1",
          attach: true,
          path: "phoenix/ledger-db-data-0.vmdk",
          datastoreId: "datastore-41",
          unitNumber: 1,
          keepOnRemove: true,
        },
      ],
      clone: { templateUuid: TEMPLATE.uuid, linkedClone: false },
    });
  });

  it("passes the disk's and the rule's inputs through unchanged", () => {
    expect(created(VSPHERE_TYPES.virtualDisk)[0]?.inputs).toEqual({
      vmdkPath: "phoenix/ledger-db-data-0.vmdk",
      datastore: "vsan-fra-1",
      datacenter: "dc-fra-1",
      size: 50,
      type: "thin",
      createDirectories: true,
    });
    expect(created(VSPHERE_TYPES.computeClusterVmAntiAffinityRule)[0]?.inputs).toEqual({
      name: "ledger-blue-spread",
      computeClusterId: "domain-c8",
      virtualMachineIds: ["ledger-blue-0-id"],
      enabled: true,
      mandatory: false,
    });
  });

  it("asks the engine for the VM's output-only properties, as the bridged SDK does", () => {
    const props = run.transformed.find((t) => t.name === "ledger-blue-0")?.props ?? {};
    const outputOnly = Object.keys(OUTPUT_ONLY[VSPHERE_TYPES.virtualMachine] ?? {});
    for (const name of outputOnly) expect(props).toHaveProperty(name, undefined);
    expect(Object.keys(props).sort()).toEqual([...Object.keys(run.vmArgs), ...outputOnly].sort());
  });

  it("exposes the typed outputs Phoenix reads", () => {
    expect(run.vm).toEqual({
      id: "ledger-blue-0-id",
      uuid: VM_STATE.uuid,
      moid: "vm-2001",
      defaultIpAddress: "10.20.30.41",
      ips: VM_STATE.guestIpAddresses,
    });
    expect(run.disk).toEqual({ vmdkPath: "phoenix/ledger-db-data-0.vmdk", size: 50 });
    expect(run.ruleVms).toEqual(["ledger-blue-0-id"]);
  });

  it("calls each lookup by its token with the names and the datacenter's id", () => {
    expect(run.calls.map((c) => [c.token, c.inputs])).toEqual([
      [VSPHERE_FUNCTIONS.getDatacenter, { name: "dc-fra-1" }],
      [VSPHERE_FUNCTIONS.getDatastore, { name: "vsan-fra-1", datacenterId: DC_ID }],
      [VSPHERE_FUNCTIONS.getComputeCluster, { name: "cl-fra-prod", datacenterId: DC_ID }],
      [VSPHERE_FUNCTIONS.getNetwork, { name: "pg-app-v120", datacenterId: DC_ID }],
      [VSPHERE_FUNCTIONS.getVirtualMachine, { name: "tpl-ledger-v120", datacenterId: DC_ID }],
    ]);
  });

  it("sends version 4.17.0 with every lookup", () => {
    expect(run.wireInvokes.filter((i) => i.token.startsWith("vsphere:"))).toEqual(
      Object.values(VSPHERE_FUNCTIONS).map((token) => ({ token, version: VSPHERE_PLUGIN_VERSION })),
    );
  });

  it("returns the lookups' typed answers", () => {
    expect(run.lookups).toEqual({
      datacenter: { id: DC_ID, name: "dc-fra-1" },
      resourcePoolId: "resgroup-9",
      datastoreId: "datastore-41",
      networkId: "dvportgroup-51",
      template: TEMPLATE,
    });
  });
});

describe("construction", () => {
  it.each([
    ["VirtualMachine", () => new VirtualMachine("x", {} as never), "resourcePoolId"],
    [
      "VirtualDisk",
      () => new VirtualDisk("x", { vmdkPath: "a.vmdk", size: 1 } as never),
      "datastore",
    ],
    [
      "ComputeClusterVmAntiAffinityRule",
      () => new ComputeClusterVmAntiAffinityRule("x", { computeClusterId: "c" } as never),
      "virtualMachineIds",
    ],
  ])("%s refuses to register without a required input", (_, make, missing) => {
    expect(make).toThrow(`missing required property '${missing}'`);
  });
});

describe("vsphereProviderConfig", () => {
  const CONFIG = {
    "vsphere:user": "svc-phoenix@vsphere.local",
    "vsphere:password": "Tr0ub4dor&3",
    "vsphere:vsphereServer": "vcenter.fra.example.internal",
  };
  afterEach(() => pulumi.runtime.setAllConfig({}, []));

  it("returns the password as a secret even when it was not set with --secret", async () => {
    pulumi.runtime.setAllConfig(CONFIG, []);
    const config = vsphereProviderConfig();
    expect(await pulumi.isSecret(config.password)).toBe(true);
    expect(await unwrap(config.password)).toBe("Tr0ub4dor&3");
    expect(config).toMatchObject({
      user: "svc-phoenix@vsphere.local",
      vsphereServer: "vcenter.fra.example.internal",
      allowUnverifiedSsl: false,
    });
  });

  it("reads allowUnverifiedSsl as a boolean", () => {
    pulumi.runtime.setAllConfig({ ...CONFIG, "vsphere:allowUnverifiedSsl": "true" }, []);
    expect(vsphereProviderConfig().allowUnverifiedSsl).toBe(true);
  });

  it.each([
    ["vsphere:user", "pulumi config set vsphere:user"],
    ["vsphere:password", "pulumi config set --secret vsphere:password"],
    ["vsphere:vsphereServer", "pulumi config set vsphere:vsphereServer"],
  ])("names a missing %s and how to set it", (key, command) => {
    const rest = Object.fromEntries(Object.entries(CONFIG).filter(([k]) => k !== key));
    pulumi.runtime.setAllConfig(rest, []);
    expect(() => vsphereProviderConfig()).toThrow(command);
  });
});
