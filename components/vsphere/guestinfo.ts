/**
 * cloud-init on vSphere through `guestinfo`: the `extraConfig` keys a VM carries so that
 * cloud-init's VMware datasource (`cloudinit/sources/DataSourceVMware.py`) finds its metadata and
 * user data. Pure: no Pulumi, no vSphere; `tests/unit/vsphere/guestinfo.test.ts` decodes the output
 * with cloud-init's own datasource code and validates the user data with `cloud-init schema`.
 *
 * Two facts the VM component must honour:
 *
 * - **A change of `extraConfig` only reboots a vSphere VM.** In pulumi-vsphere (schema v4.17.0)
 *   `extraConfig` is not `willReplaceOnChanges`: the provider updates the VM in place and, with
 *   `extraConfigRebootRequired` (default true), reboots it. Unless the instance id changes too,
 *   cloud-init does not even run the new user data; either way it patches a running server. Phoenix rebuilds instead of patching:
 *   the VM resource must carry `replaceOnChanges: ["extraConfig"]`, so a change of user data or
 *   metadata replaces the VM (and goes live only through the other colour and the health gate).
 * - **The user data must not stay readable in the VM's configuration.** `guestinfo.*` values can be
 *   read through the vSphere API (`govc vm.info -e`) and, inside the guest, by any user with
 *   `vmware-rpctool info-get`. {@link renderMetadata} therefore always writes cloud-init's `redact`
 *   key (`"redact": ["userdata", "userdata.encoding"]`): once cloud-init has read them, the
 *   datasource overwrites `guestinfo.userdata` with `---` and its encoding through
 *   `vmware-rpctool info-set` (`guestinfo_redact_keys`, cloud-init 22.4; only on that path, not
 *   with the `VMX_GUESTINFO_*` variables). The Pulumi state still holds the value, as a secret
 *   when the input is one.
 *
 * Caution for the component: terraform-provider-vsphere reads back the VM's values of the
 * `extraConfig` keys it manages (`flattenExtraConfig`). If a redacted value shows up there, a
 * refresh sees `guestinfo.userdata` changed, and `replaceOnChanges: ["extraConfig"]` would turn
 * drift correction into a rebuild. The provider's own `replaceTrigger` input (its one
 * `willReplaceOnChanges` input) set to a fingerprint of the user data and metadata, together with
 * `ignoreChanges` on the redacted keys, gives the same rebuild without that risk.
 */
import { gzipSync } from "zlib";
import { parseIpv4Cidr } from "../core/cidr";

/** How a guestinfo value is encoded, as cloud-init's `decode()` names it. */
export type GuestinfoEncoding = "gzip+base64" | "base64";

/** What {@link guestinfoExtraConfig} puts into `guestinfo`. */
export interface GuestinfoInput {
  /** The user data, e.g. a `#cloud-config` document; sent byte for byte (UTF-8). */
  readonly userData: string;
  /** The metadata document, usually from {@link renderMetadata} (JSON or YAML). */
  readonly metadata: string;
  /**
   * The encoding of both values.
   *
   * @default "gzip+base64"
   */
  readonly encoding?: GuestinfoEncoding;
}

/** The `guestinfo` keys of {@link guestinfoExtraConfig}, in the order they are written. */
export const GUESTINFO_KEYS = [
  "guestinfo.metadata",
  "guestinfo.metadata.encoding",
  "guestinfo.userdata",
  "guestinfo.userdata.encoding",
] as const;

/** One of {@link GUESTINFO_KEYS}. */
export type GuestinfoKey = (typeof GUESTINFO_KEYS)[number];

/**
 * Gzips deterministically: the same input gives the same bytes on every machine, so an unchanged
 * `pulumi up` sees an unchanged `extraConfig` (a changed one replaces the VM). Node's gzip header
 * already has mtime 0; the header's mtime and OS bytes are set explicitly anyway (the gzip CRC
 * covers the uncompressed data only, so the trailer stays valid).
 *
 * @param data the bytes to compress
 * @returns an RFC 1952 member with mtime 0, no file name, OS 255 (unknown)
 */
export function deterministicGzip(data: Buffer): Buffer {
  const gz = gzipSync(data, { level: 9 });
  gz.writeUInt32LE(0, 4); // MTIME
  gz[8] = 2; // XFL: maximum compression (level 9)
  gz[9] = 255; // OS: unknown, rather than the building machine's
  return gz;
}

function encode(value: string, encoding: GuestinfoEncoding): string {
  const bytes = Buffer.from(value, "utf8");
  return (encoding === "gzip+base64" ? deterministicGzip(bytes) : bytes).toString("base64");
}

/**
 * The `extraConfig` map of a vSphere VM that hands cloud-init its metadata and user data through
 * `guestinfo`. The component must set it with `replaceOnChanges: ["extraConfig"]` (see the module
 * comment: an in-place change only reboots the VM).
 *
 * @param input the user data, the metadata and their encoding
 * @returns `guestinfo.metadata`, `guestinfo.metadata.encoding`, `guestinfo.userdata`,
 *   `guestinfo.userdata.encoding`
 * @throws Error when the user data or metadata is empty (cloud-init reads an empty or `---` value
 *   as absent)
 */
export function guestinfoExtraConfig(input: GuestinfoInput): Record<GuestinfoKey, string> {
  const encoding = input.encoding ?? "gzip+base64";
  if (encoding !== "gzip+base64" && encoding !== "base64") {
    throw new Error(
      `guestinfo encoding: got ${JSON.stringify(encoding)}, allowed: "gzip+base64", "base64"`,
    );
  }
  for (const [name, value] of [
    ["userData", input.userData],
    ["metadata", input.metadata],
  ] as const) {
    if (value.trim() === "" || value.trim() === "---") {
      throw new Error(
        `guestinfo ${name}: got ${JSON.stringify(value)}, cloud-init would read it as absent: ` +
          "give a non-empty document",
      );
    }
  }
  return {
    "guestinfo.metadata": encode(input.metadata, encoding),
    "guestinfo.metadata.encoding": encoding,
    "guestinfo.userdata": encode(input.userData, encoding),
    "guestinfo.userdata.encoding": encoding,
  };
}

/** A VM's network, configured by cloud-init from the metadata's netplan v2 `network` key. */
export type GuestNetwork =
  | {
      readonly mode: "dhcp";
      /**
       * A netplan `match.name` glob for the VM's NIC.
       *
       * @default "en*" (a VMXNET3 NIC is `ens192` on Debian and Ubuntu)
       */
      readonly interfaceMatch?: string;
    }
  | {
      readonly mode: "static";
      /** The VM's address with its prefix length, e.g. `10.20.30.41/24`. */
      readonly addressCidr: string;
      /** The default gateway, inside `addressCidr`'s network. */
      readonly gateway: string;
      /** DNS resolvers; at least one. */
      readonly nameservers: readonly string[];
      /**
       * DNS search domains.
       *
       * @default []
       */
      readonly searchDomains?: readonly string[];
      /**
       * A netplan `match.name` glob for the VM's NIC.
       *
       * @default "en*"
       */
      readonly interfaceMatch?: string;
    };

/** What {@link renderMetadata} describes. */
export interface MetadataInput {
  /**
   * cloud-init's `instance-id`. cloud-init runs its per-instance modules (the user data) once per
   * instance id, so it must change whenever the VM is rebuilt: derive it from the release (template
   * and user data), e.g. with a fingerprint.
   */
  readonly instanceId: string;
  /** The VM's `local-hostname`: a DNS name of 1–63 character labels, at most 253 characters. */
  readonly hostname: string;
  /** The VM's network. */
  readonly network: GuestNetwork;
}

const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function ipv4(text: string): boolean {
  return parseIpv4Cidr(`${text}/32`) !== undefined;
}

function sameNetwork(cidr: string, address: string): boolean {
  const net = parseIpv4Cidr(cidr);
  const host = parseIpv4Cidr(`${address}/32`);
  if (net === undefined || host === undefined) return false;
  const size = 2 ** (32 - net.prefix);
  return Math.floor(net.address / size) === Math.floor(host.address / size);
}

function checkMetadata(input: MetadataInput): void {
  const fail = (setting: string, value: unknown, allowed: string): never => {
    throw new Error(`metadata ${setting}: got ${JSON.stringify(value)}, allowed: ${allowed}`);
  };
  if (!INSTANCE_ID.test(input.instanceId)) {
    fail("instanceId", input.instanceId, "1-128 of A-Z a-z 0-9 . _ : -, starting alphanumeric");
  }
  if (
    input.hostname.length > 253 ||
    !input.hostname.split(".").every((l) => HOSTNAME_LABEL.test(l))
  ) {
    fail("hostname", input.hostname, "DNS labels of letters, digits and inner hyphens");
  }
  const network = input.network;
  if (
    network.interfaceMatch !== undefined &&
    !/^[A-Za-z0-9*?[\]_.-]{1,15}$/.test(network.interfaceMatch)
  ) {
    fail("network.interfaceMatch", network.interfaceMatch, "an interface name glob such as en*");
  }
  if (network.mode === "dhcp") return;
  if (network.mode !== "static")
    fail("network.mode", (network as { mode: unknown }).mode, '"dhcp", "static"');
  const cidr = parseIpv4Cidr(network.addressCidr);
  if (cidr === undefined || cidr.prefix === 0 || cidr.prefix > 30) {
    fail("network.addressCidr", network.addressCidr, "an IPv4 address with a prefix of /1 to /30");
  }
  if (!ipv4(network.gateway) || !sameNetwork(network.addressCidr, network.gateway)) {
    fail("network.gateway", network.gateway, `an IPv4 address inside ${network.addressCidr}`);
  }
  if (network.gateway === network.addressCidr.split("/")[0]) {
    fail("network.gateway", network.gateway, "an address other than the VM's own");
  }
  if (network.nameservers.length === 0 || !network.nameservers.every(ipv4)) {
    fail("network.nameservers", network.nameservers, "one or more IPv4 addresses");
  }
  for (const domain of network.searchDomains ?? []) {
    if (domain.length > 253 || !domain.split(".").every((l) => HOSTNAME_LABEL.test(l))) {
      fail("network.searchDomains", domain, "DNS domain names");
    }
  }
}

/** The netplan v2 document (cloud-init network config version 2) of a {@link GuestNetwork}. */
function netplan(network: GuestNetwork): Record<string, unknown> {
  const match = { name: network.interfaceMatch ?? "en*" };
  if (network.mode === "dhcp") {
    return { version: 2, ethernets: { primary: { match, dhcp4: true } } };
  }
  const nameservers: Record<string, readonly string[]> = { addresses: network.nameservers };
  if ((network.searchDomains ?? []).length > 0) nameservers.search = network.searchDomains ?? [];
  return {
    version: 2,
    ethernets: {
      primary: {
        match,
        dhcp4: false,
        addresses: [network.addressCidr],
        // `to: default` is what netplan prefers, but cloud-init 22.4's network_state parser
        // rejects it ("Address default is not a valid ip address"); `gateway4` is deprecated in
        // netplan. 0.0.0.0/0 is read by both.
        routes: [{ to: "0.0.0.0/0", via: network.gateway }],
        nameservers,
      },
    },
  };
}

/** The keys cloud-init's VMware datasource redacts from `guestinfo` once it has read them. */
export const REDACTED_GUESTINFO = ["userdata", "userdata.encoding"] as const;

/**
 * The metadata document of cloud-init's VMware datasource, as JSON (the datasource tries JSON
 * before YAML, and JSON has no implicit typing): `instance-id`, `local-hostname`, a netplan v2
 * `network` (static address, default route and resolvers, or DHCP) and
 * `"redact": ["userdata", "userdata.encoding"]`, so the datasource overwrites the user data in the
 * VM's `guestinfo` after reading it.
 *
 * @param input instance id, hostname and network
 * @returns the metadata, deterministic (fixed key order), ending with a newline
 * @throws Error naming the setting, the value and what is allowed, when an input is malformed
 */
export function renderMetadata(input: MetadataInput): string {
  checkMetadata(input);
  const metadata = {
    "instance-id": input.instanceId,
    "local-hostname": input.hostname,
    network: netplan(input.network),
    redact: [...REDACTED_GUESTINFO],
  };
  return `${JSON.stringify(metadata, null, 2)}\n`;
}
