import { readFileSync } from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { AddressPlan, subnetPrefix } from "./addresses";
import { deployUsers } from "./deploy-user";
import { DEFAULT_MAP_PATH, renderHaproxyConfig } from "./haproxy-config";
import {
  HAPROXY_CHECK_SCRIPT,
  KEEPALIVED_NODES,
  KeepalivedNode,
  renderKeepalivedConfig,
} from "./keepalived";
import { renderNftablesRuleset } from "./nftables";
import { withFirewall } from "./user-data-firewall";

/** Where the load balancer's scripts are installed; the runner's user may sudo exactly these. */
export const HAPROXY_APPLY_PATH = "/usr/local/sbin/phoenix-haproxy-apply";
export const HAPROXY_SWITCH_PATH = "/usr/local/sbin/phoenix-haproxy-switch";
/** keepalived's readiness check (`HAPROXY_CHECK_SCRIPT` of keepalived.ts). */
export const LB_READY_PATH = HAPROXY_CHECK_SCRIPT;

/** The preview frontend's port on the load balancers. */
export const PREVIEW_PORT = 8081;

const script = (file: string): string => readFileSync(path.join(__dirname, file), "utf8");

/** What a load balancer's user data needs. */
export interface LoadBalancerUserDataArgs {
  /** Which of the pair this is (index 0 is the primary). */
  readonly index: number;
  readonly addresses: AddressPlan;
  readonly healthCheckPath: string;
  readonly adminCidrs: readonly string[];
  /** The user the deploy runner logs in as, and its public key. */
  readonly sshUser: string;
  readonly sshPublicKey: string;
}

/**
 * The `#cloud-config` of a load balancer VM, cloned from an HAProxy template (haproxy, keepalived
 * and socat installed): its host firewall (live and preview frontends from anywhere, SSH from the
 * admin CIDRs, VRRP from its peer), an haproxy.cfg with empty backends and the routing map it
 * starts from, keepalived for a pair, and the two scripts the runner runs over SSH: it may sudo
 * those and nothing else. Nothing in it depends on the servers or the routing: those are pushed
 * by Phoenix's remote commands, so a release never rebuilds a load balancer.
 */
export function renderLoadBalancerUserData(args: LoadBalancerUserDataArgs): string {
  const { addresses } = args;
  const own = addresses.loadBalancers[args.index];
  if (own === undefined)
    throw new Error(
      `load balancer index: received ${args.index}; allowed: 0 to ${addresses.loadBalancers.length - 1}`,
    );
  const pair = addresses.loadBalancers.length === 2;
  const peer = pair ? addresses.loadBalancers[1 - args.index] : undefined;
  const files: { path: string; owner: string; permissions: string; content: string }[] = [
    {
      path: "/etc/haproxy/haproxy.cfg",
      owner: "root:root",
      permissions: "0644",
      content: renderHaproxyConfig({
        servers: { blue: [], green: [] },
        healthPath: args.healthCheckPath,
        previewPort: PREVIEW_PORT,
      }),
    },
    {
      path: DEFAULT_MAP_PATH,
      owner: "root:root",
      permissions: "0644",
      // Until the first switch: the defaults of haproxy.cfg's map lookups.
      content: "# Phoenix routing state: written by the live switch.\n",
    },
    {
      path: HAPROXY_APPLY_PATH,
      owner: "root:root",
      permissions: "0755",
      content: script("haproxy-apply.sh"),
    },
    {
      path: HAPROXY_SWITCH_PATH,
      owner: "root:root",
      permissions: "0755",
      content: script("haproxy-switch.sh"),
    },
  ];
  if (pair) {
    const node = KEEPALIVED_NODES[args.index] as KeepalivedNode;
    files.push({
      path: LB_READY_PATH,
      owner: "root:root",
      permissions: "0755",
      content: script("lb-ready.sh"),
    });
    files.push({
      path: "/etc/keepalived/keepalived.conf",
      owner: "root:root",
      permissions: "0644",
      content: renderKeepalivedConfig({
        node,
        addresses: {
          primary: addresses.loadBalancers[0] as string,
          secondary: addresses.loadBalancers[1] as string,
        },
        virtualAddress: addresses.virtualAddress as string,
        prefixLength: subnetPrefix(addresses),
      }),
    });
  }
  const runcmd: string[][] = [
    ["systemctl", "enable", "haproxy.service"],
    ["systemctl", "restart", "haproxy.service"],
    ...(pair
      ? [
          ["systemctl", "enable", "keepalived.service"],
          ["systemctl", "restart", "keepalived.service"],
        ]
      : []),
  ];
  const config = {
    users: deployUsers(args.sshUser, args.sshPublicKey, [HAPROXY_APPLY_PATH, HAPROXY_SWITCH_PATH]),
    write_files: files,
    runcmd,
  };
  const ruleset = renderNftablesRuleset({
    role: "loadBalancer",
    previewPort: PREVIEW_PORT,
    adminCidrs: args.adminCidrs,
    ...(peer ? { vrrpPeerAddress: peer } : {}),
  });
  return withFirewall(
    `#cloud-config\n${stringify(config, { version: "1.1", lineWidth: 0 })}`,
    ruleset,
  );
}
