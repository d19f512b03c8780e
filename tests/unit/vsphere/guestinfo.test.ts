// The guestinfo extraConfig, decoded by cloud-init's own VMware datasource (the Debian package,
// 22.4 here: cloudinit/sources/DataSourceVMware.py) and its user data checked by
// `cloud-init schema`. No vSphere is needed: the datasource reads the VMX_GUESTINFO_* environment
// variables when VMX_GUESTINFO is set, and talks to the hypervisor only through `vmware-rpctool`,
// which a test can stand in for.
import * as fs from "fs";
import * as path from "path";
import { renderUserData } from "../../../components/core/cloud-init/user-data";
import {
  deterministicGzip,
  GUESTINFO_KEYS,
  GuestinfoInput,
  guestinfoExtraConfig,
  MetadataInput,
  renderMetadata,
} from "../../../components/vsphere/guestinfo";
import { makeTempDir, requireFile, requireTool, run, runOk } from "../cloud-init/tools";
import { TRICKY_ENVIRONMENT } from "../cloud-init/tricky-environment";

const STATIC: MetadataInput = {
  instanceId: "shop-blue-0-3f9a1c2e",
  hostname: "shop-blue-0",
  network: {
    mode: "static",
    addressCidr: "10.20.30.41/24",
    gateway: "10.20.30.1",
    nameservers: ["10.20.0.53", "10.20.0.54"],
    searchDomains: ["corp.example.com"],
  },
};

const DHCP: MetadataInput = {
  instanceId: "legacy-api-0-77aa",
  hostname: "legacy-api-0.dc1.example.com",
  network: { mode: "dhcp", interfaceMatch: "ens*" },
};

const CASES: readonly [string, GuestinfoInput, MetadataInput][] = [
  [
    "gzip+base64, static network, tricky environment and a data disk",
    {
      userData: renderUserData({
        service: "shop",
        environment: TRICKY_ENVIRONMENT,
        dataVolume: {
          devicePath: "/dev/disk/by-id/wwn-0x6000c29d3b8e1f2a",
          mountPath: "/var/lib/shop",
          filesystem: "ext4",
        },
      }),
      metadata: renderMetadata(STATIC),
    },
    STATIC,
  ],
  [
    "base64, DHCP",
    {
      userData: renderUserData({ service: "legacy-api", environment: { PORT: "8080" } }),
      metadata: renderMetadata(DHCP),
      encoding: "base64",
    },
    DHCP,
  ],
];

/** The datasource's environment variable for a guestinfo key: VMX_GUESTINFO_USERDATA_ENCODING. */
function envName(key: string): string {
  return `vmx.${key}`.toUpperCase().replace(/\./g, "_");
}

// Drives cloud-init's DataSourceVMware module: the guestinfo_envvar accessor (which decodes with
// the module's decode()), load_json_or_yaml and process_metadata, then the datasource itself
// (DataSourceVMware._get_data, get_instance_id, get_hostname, network_config), and finally
// cloud-init's network_state parser on the network config it would apply. Mode "envvar" reads the
// VMX_GUESTINFO_* variables; mode "rpctool" reads guestinfo through the vmware-rpctool given, the
// path on which the datasource also carries out `redact` (in 22.4 only there).
const DRIVER = `
import json, os, sys, tempfile
from cloudinit import helpers
from cloudinit.net import network_state
from cloudinit.sources import DataSourceVMware as vmw

results = []
for case in json.load(sys.stdin):
    for name in [n for n in os.environ if n.startswith("VMX_GUESTINFO")]:
        del os.environ[name]
    os.environ.update(case["env"])
    out = {}
    if case["mode"] == "envvar":
        out["envNames"] = {
            k: vmw.get_guestinfo_envvar_key_name(k[len("guestinfo."):]) for k in case["keys"]
        }
        out["userdata"] = vmw.guestinfo_envvar("userdata")
        out["metadataText"] = vmw.guestinfo_envvar("metadata")
        out["metadata"] = vmw.process_metadata(vmw.load_json_or_yaml(out["metadataText"]))
    else:
        # Not a VMware VM: answer the datasource's platform check as one would.
        vmw.dmi.read_dmi_data = lambda key: "VMware7,1" if key == "system-product-name" else None
    tmp = tempfile.mkdtemp()
    ds = vmw.DataSourceVMware({}, None, helpers.Paths({"cloud_dir": tmp, "run_dir": tmp}))
    if case["mode"] == "rpctool":
        ds.vmware_rpctool = case["rpctool"]
    out["found"] = ds._get_data()
    out["subplatform"] = ds._get_subplatform()
    out["userdataRaw"] = ds.userdata_raw
    out["dsMetadata"] = ds.metadata
    out["instanceId"] = ds.get_instance_id()
    out["hostname"] = ds.get_hostname(fqdn=True).hostname
    state = network_state.parse_net_config_data(ds.network_config)
    out["interfaces"] = [
        {"name": i["name"], "subnets": i["subnets"]} for i in state.iter_interfaces()
    ]
    out["nameservers"] = state.dns_nameservers
    out["search"] = state.dns_searchdomains
    results.append(out)
print(json.dumps(results))
`;

// A stand-in for open-vm-tools' vmware-rpctool: "info-get guestinfo.KEY" prints the value the VM's
// extraConfig holds (a file per key), "info-set guestinfo.KEY VALUE" overwrites it.
function fakeRpctool(dir: string, extraConfig: Readonly<Record<string, string>>): string {
  const store = path.join(dir, "guestinfo");
  fs.mkdirSync(store);
  for (const [key, value] of Object.entries(extraConfig)) {
    fs.writeFileSync(path.join(store, key), value);
  }
  const tool = path.join(dir, "vmware-rpctool");
  fs.writeFileSync(
    tool,
    `#!/bin/sh
store='${store}'
cmd=\${1%% *}; rest=\${1#* }
case $cmd in
  info-get)
    if [ -f "$store/$rest" ]; then cat "$store/$rest"; else echo "No value found" >&2; exit 1; fi ;;
  info-set)
    printf '%s' "\${rest#* }" > "$store/\${rest%% *}" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return tool;
}

interface DriverResult {
  envNames?: Record<string, string>;
  userdata?: string;
  metadataText?: string;
  metadata?: Record<string, unknown>;
  found: boolean;
  subplatform: string;
  userdataRaw: string;
  dsMetadata: Record<string, unknown>;
  instanceId: string;
  hostname: string;
  interfaces: { name: string; subnets: Record<string, unknown>[] }[];
  nameservers: string[];
  search: string[];
}

let dir: string;
let envvar: DriverResult[];
let rpctool: DriverResult[];
let stores: Record<string, string>[];

beforeAll(() => {
  // cloud-init's interpreter: its modules are not importable from other Pythons.
  const python = requireFile("/usr/bin/python3", "cloud-init");
  dir = makeTempDir("guestinfo");
  const configs = CASES.map(([, input]) => guestinfoExtraConfig(input));
  const tools = configs.map((config, i) => {
    fs.mkdirSync(path.join(dir, String(i)));
    return fakeRpctool(path.join(dir, String(i)), config);
  });
  const cases = [
    ...configs.map((config) => ({
      mode: "envvar",
      keys: Object.keys(config),
      env: {
        VMX_GUESTINFO: "1",
        ...Object.fromEntries(Object.entries(config).map(([k, v]) => [envName(k), v])),
      },
    })),
    ...tools.map((tool) => ({ mode: "rpctool", rpctool: tool, env: {} })),
  ];
  const results = JSON.parse(
    runOk(python, ["-c", DRIVER], { input: JSON.stringify(cases) }),
  ) as DriverResult[];
  envvar = results.slice(0, CASES.length);
  rpctool = results.slice(CASES.length);
  stores = tools.map((tool) => {
    const store = path.join(path.dirname(tool), "guestinfo");
    return Object.fromEntries(
      fs.readdirSync(store).map((k) => [k, fs.readFileSync(path.join(store, k), "utf8")]),
    );
  });
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("guestinfoExtraConfig", () => {
  it.each(CASES)("writes the four guestinfo keys (%s)", (_, input) => {
    const config = guestinfoExtraConfig(input);
    expect(Object.keys(config)).toEqual([...GUESTINFO_KEYS]);
    const encoding = input.encoding ?? "gzip+base64";
    expect(config["guestinfo.userdata.encoding"]).toBe(encoding);
    expect(config["guestinfo.metadata.encoding"]).toBe(encoding);
    for (const value of Object.values(config))
      expect(value).toMatch(/^[A-Za-z0-9+/=]+$|^[a-z0-9+]+$/);
  });

  it("is deterministic: gzip with mtime 0, so an unchanged input is an unchanged extraConfig", () => {
    const input = CASES[0]?.[1] as GuestinfoInput;
    expect(guestinfoExtraConfig(input)).toEqual(guestinfoExtraConfig({ ...input }));
    const gz = Buffer.from(guestinfoExtraConfig(input)["guestinfo.userdata"], "base64");
    expect([...gz.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]); // gzip, deflate
    expect(gz.readUInt32LE(4)).toBe(0); // MTIME
    expect(gz[9]).toBe(255); // OS unknown: not the building machine's
    expect(deterministicGzip(Buffer.from("x"))).toEqual(deterministicGzip(Buffer.from("x")));
  });

  it("changes when the user data changes (and replaceOnChanges: extraConfig then replaces)", () => {
    const input = CASES[1]?.[1] as GuestinfoInput;
    const changed = guestinfoExtraConfig({ ...input, userData: `${input.userData}# release 2\n` });
    expect(changed["guestinfo.userdata"]).not.toBe(
      guestinfoExtraConfig(input)["guestinfo.userdata"],
    );
    expect(changed["guestinfo.metadata"]).toBe(guestinfoExtraConfig(input)["guestinfo.metadata"]);
  });

  it.each([
    ["empty user data", { userData: "", metadata: "{}" }, /guestinfo userData: got ""/],
    ["user data of ---", { userData: "---\n", metadata: "{}" }, /read it as absent/],
    ["empty metadata", { userData: "#cloud-config\n", metadata: " " }, /guestinfo metadata/],
    [
      "an unknown encoding",
      { userData: "#cloud-config\n", metadata: "{}", encoding: "gzip" as never },
      /encoding: got "gzip", allowed: "gzip\+base64", "base64"/,
    ],
  ])("refuses %s", (_, input, message) => {
    expect(() => guestinfoExtraConfig(input)).toThrow(message);
  });
});

describe("renderMetadata", () => {
  it("writes instance-id, local-hostname, a netplan v2 network and redact", () => {
    expect(JSON.parse(renderMetadata(STATIC))).toEqual({
      "instance-id": "shop-blue-0-3f9a1c2e",
      "local-hostname": "shop-blue-0",
      network: {
        version: 2,
        ethernets: {
          primary: {
            match: { name: "en*" },
            dhcp4: false,
            addresses: ["10.20.30.41/24"],
            routes: [{ to: "0.0.0.0/0", via: "10.20.30.1" }],
            nameservers: { addresses: ["10.20.0.53", "10.20.0.54"], search: ["corp.example.com"] },
          },
        },
      },
      redact: ["userdata", "userdata.encoding"],
    });
    expect(JSON.parse(renderMetadata(DHCP)).network).toEqual({
      version: 2,
      ethernets: { primary: { match: { name: "ens*" }, dhcp4: true } },
    });
  });

  const staticNetwork = STATIC.network as Extract<MetadataInput["network"], { mode: "static" }>;
  it.each([
    [
      "an instance id with a space",
      { ...STATIC, instanceId: "a b" },
      /metadata instanceId: got "a b"/,
    ],
    ["a hostname with an underscore", { ...STATIC, hostname: "shop_0" }, /metadata hostname/],
    [
      "an address without a prefix",
      { ...STATIC, network: { ...staticNetwork, addressCidr: "10.20.30.41" } },
      /network.addressCidr: got "10.20.30.41"/,
    ],
    [
      "a gateway outside the subnet",
      { ...STATIC, network: { ...staticNetwork, gateway: "10.20.31.1" } },
      /network.gateway: got "10.20.31.1", allowed: an IPv4 address inside 10.20.30.41\/24/,
    ],
    [
      "the VM's own address as gateway",
      { ...STATIC, network: { ...staticNetwork, gateway: "10.20.30.41" } },
      /network.gateway/,
    ],
    [
      "no nameservers",
      { ...STATIC, network: { ...staticNetwork, nameservers: [] } },
      /network.nameservers: got \[\]/,
    ],
    [
      "a malformed interface glob",
      { ...DHCP, network: { mode: "dhcp" as const, interfaceMatch: "en 0" } },
      /network.interfaceMatch/,
    ],
  ])("refuses %s, naming the setting", (_, input, message) => {
    expect(() => renderMetadata(input as MetadataInput)).toThrow(message);
  });
});

describe("cloud-init's VMware datasource (VMX_GUESTINFO=1, VMX_GUESTINFO_* variables)", () => {
  it("names the variables VMX_GUESTINFO_{METADATA,USERDATA}[_ENCODING] as the test sets them", () => {
    expect(envvar[0]?.envNames).toEqual({
      "guestinfo.metadata": "VMX_GUESTINFO_METADATA",
      "guestinfo.metadata.encoding": "VMX_GUESTINFO_METADATA_ENCODING",
      "guestinfo.userdata": "VMX_GUESTINFO_USERDATA",
      "guestinfo.userdata.encoding": "VMX_GUESTINFO_USERDATA_ENCODING",
    });
  });

  it.each(CASES.map((c, i) => [c[0], i] as const))(
    "guestinfo_envvar() decodes user data and metadata byte for byte (%s)",
    (_, i) => {
      const [, input] = CASES[i] ?? [];
      expect(envvar[i]?.userdata).toBe(input?.userData);
      expect(envvar[i]?.metadataText).toBe(input?.metadata);
      // process_metadata moves the netplan document under network.config.
      const { network, ...rest } = JSON.parse(input?.metadata ?? "") as Record<string, unknown>;
      expect(envvar[i]?.metadata).toEqual({ ...rest, network: { config: network } });
    },
  );

  it.each(CASES.map((c, i) => [c[0], i] as const))(
    "DataSourceVMware._get_data finds them and cloud-init reads the instance (%s)",
    (_, i) => {
      const [, input, meta] = CASES[i] ?? [];
      const r = envvar[i] as DriverResult;
      expect(r.found).toBe(true);
      expect(r.subplatform).toBe("envvar (VMX_GUESTINFO_METADATA)");
      expect(r.userdataRaw).toBe(input?.userData);
      expect(r.instanceId).toBe(meta?.instanceId);
      expect(r.hostname).toBe(meta?.hostname);
    },
  );

  it("cloud-init's network_state parser reads the static network", () => {
    const r = envvar[0] as DriverResult;
    expect(r.interfaces).toEqual([
      {
        name: "primary",
        subnets: [
          expect.objectContaining({
            type: "static",
            address: "10.20.30.41",
            prefix: 24,
            routes: [
              expect.objectContaining({ network: "0.0.0.0", prefix: 0, gateway: "10.20.30.1" }),
            ],
          }),
        ],
      },
    ]);
    expect(r.nameservers).toEqual(["10.20.0.53", "10.20.0.54"]);
    expect(r.search).toEqual(["corp.example.com"]);
  });

  it("cloud-init's network_state parser reads the DHCP network", () => {
    expect(envvar[1]?.interfaces).toEqual([
      { name: "primary", subnets: [expect.objectContaining({ type: "dhcp4" })] },
    ]);
  });
});

describe("cloud-init's VMware datasource through vmware-rpctool (the path a real VM takes)", () => {
  it.each(CASES.map((c, i) => [c[0], i] as const))(
    "reads the user data, then redacts it from guestinfo, keeping the metadata (%s)",
    (_, i) => {
      const [, input, meta] = CASES[i] ?? [];
      const r = rpctool[i] as DriverResult;
      expect(r.found).toBe(true);
      expect(r.subplatform).toBe("guestinfo (guestinfo.metadata)");
      expect(r.userdataRaw).toBe(input?.userData);
      expect(r.instanceId).toBe(meta?.instanceId);
      const config = guestinfoExtraConfig(input as GuestinfoInput);
      expect(stores[i]).toEqual({
        // guestinfo_redact_keys: the value becomes "---", its encoding " " (vmware-rpctool cannot
        // set an empty value); "userdata.encoding" listed as well gets a stray ".encoding" key.
        "guestinfo.userdata": "---",
        "guestinfo.userdata.encoding": "---",
        "guestinfo.userdata.encoding.encoding": " ",
        "guestinfo.metadata": config["guestinfo.metadata"],
        "guestinfo.metadata.encoding": config["guestinfo.metadata.encoding"],
      });
    },
  );
});

describe("cloud-init schema --config-file on the user data the datasource recovered", () => {
  it.each(CASES.map((c, i) => [c[0], i] as const))("is valid cloud-config (%s)", (_, i) => {
    const file = path.join(dir, `user-data-${i}.yaml`);
    fs.writeFileSync(file, envvar[i]?.userdataRaw ?? "");
    const r = run(requireTool("cloud-init", "cloud-init"), ["schema", "--config-file", file]);
    expect({ status: r.status, output: r.stdout + r.stderr }).toEqual({
      status: 0,
      output: expect.stringContaining("Valid cloud-config"),
    });
  });
});
