import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { BlueGreenPlan } from "../core/blue-green-plan";
import { Colour } from "../core/colour";
import { assertServersMatchPlan, endpointIntent } from "../core/endpoint-intent";
import { HealthGateConfig } from "../core/config/stack-config";
import { gateTriggers, HealthGate } from "../core/health-gate";
import { AddressPlan, endpointAddress } from "./addresses";
import { guestVm } from "./guest-vm";
import {
  AFFINITY_COOKIE,
  COLOUR_HEADER,
  DEFAULT_ADMIN_SOCKET,
  DEFAULT_MAP_PATH,
  HaproxyServer,
  renderHaproxyConfig,
  renderRoutingState,
  shellQuote,
  switchArguments,
} from "./haproxy-config";
import {
  HAPROXY_APPLY_PATH,
  HAPROXY_SWITCH_PATH,
  PREVIEW_PORT,
  renderLoadBalancerUserData,
} from "./load-balancer-user-data";
import { Placement } from "./placement";
import { VirtualMachine } from "./provider";
import { ServerGroup } from "./server-group";
import { SshAccess, sshConnection } from "./ssh";
import { VSPHERE_COMPONENTS } from "./types";
import { VmSize } from "./vm-size";

/** The port of the live frontend. */
export const LIVE_PORT = 80;

/** Arguments of a {@link LoadBalancer}. */
export interface LoadBalancerArgs {
  readonly service: string;
  readonly environment: string;
  readonly placement: Placement;
  readonly addresses: AddressPlan;
  /** The HAProxy template (haproxy, keepalived and socat installed) and each VM's size. */
  readonly template: string;
  readonly size: VmSize;
  readonly appPort: number;
  readonly healthCheckPath: string;
  readonly adminCidrs: readonly string[];
  readonly ssh: SshAccess;
  /** Live colour, weights, preview colour and what the gate probes. */
  readonly plan: BlueGreenPlan;
  /** Each colour's servers, for the colours that have some. */
  readonly groups: Partial<Record<Colour, ServerGroup>>;
  readonly gate: HealthGateConfig;
}

/**
 * The live and preview endpoints on vSphere: HAProxy on Phoenix's own VMs (two sharing a
 * keepalived virtual address, or one), with a backend per colour, active health checks on every
 * server, and a preview frontend for the other colour. What changes with releases is pushed over
 * SSH by `@pulumi/command`, never baked into the VMs, so a release never rebuilds them:
 *
 * 1. `${name}-config-<i>`: each colour's servers, as haproxy.cfg, installed after `haproxy -c`
 *    with a hitless reload (`haproxy-apply.sh`), whenever the servers change;
 * 2. `${name}-gate`: the health gate proves every server of each colour about to serve, through
 *    the preview frontend (the `X-Phoenix-Colour` header picks the colour, the `PHOENIX_SERVER`
 *    cookie each server);
 * 3. `${name}-switch`: only then the routing (live colour, canary weights, preview colour) moves,
 *    on every load balancer, by `set map` over the Runtime API (`haproxy-switch.sh`): no reload,
 *    no connection dropped. If the gate fails, nothing moves.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  /** The load balancer VMs. */
  readonly vms: readonly VirtualMachine[];
  /** The address users reach: the virtual address of a pair, or the one VM's. */
  readonly address: pulumi.Output<string>;
  /** The gate. */
  readonly gate: HealthGate;
  /** The live switch. */
  readonly liveSwitch: LiveSwitch;

  /**
   * @param name component name; children are `${name}-servers`, `${name}-config-<i>`,
   *   `${name}-gate` and `${name}-switch`
   * @param args settings
   * @param opts resource options
   */
  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const { plan } = args;
    assertServersMatchPlan(name, "groups", plan, args.groups);
    super(
      VSPHERE_COMPONENTS.loadBalancer,
      name,
      { ...endpointIntent(plan, false, `${name}-switch`) },
      opts,
    );
    const servers = new LoadBalancerServers(
      `${name}-servers`,
      { image: args.template, count: args.addresses.loadBalancers.length },
      { parent: this },
    );
    const template = args.placement.template(args.template);
    const haproxyServers = (colour: Colour): HaproxyServer[] =>
      (args.groups[colour]?.addresses ?? []).map((address, i) => ({
        name: `${colour}-${i}`,
        address,
        port: args.appPort,
      }));
    const config = renderHaproxyConfig({
      servers: { blue: haproxyServers("blue"), green: haproxyServers("green") },
      healthPath: args.healthCheckPath,
      previewPort: PREVIEW_PORT,
      livePort: LIVE_PORT,
    });
    this.address = pulumi.output(endpointAddress(args.addresses));

    // One load balancer after the other: each VM, its config, then (after the gate) its routing.
    // The next VM waits for the previous one's routing, so a rebuild of the pair replaces one
    // while the other serves, and a rebuilt one holds the routing before its peer goes (until
    // then keepalived keeps it from taking the address: lb-ready.sh).
    const vms: VirtualMachine[] = [];
    let gate: HealthGate | undefined;
    let liveSwitch: LiveSwitch | undefined;
    let previous: command.remote.Command | undefined;
    args.addresses.loadBalancers.forEach((address, i) => {
      const vm = guestVm(
        `${name}-servers-${i}`,
        {
          placement: args.placement,
          template,
          size: args.size,
          hostname: `${args.service}-${args.environment}-lb-${i}`,
          address,
          addresses: args.addresses,
          userData: pulumi.secret(
            renderLoadBalancerUserData({
              index: i,
              addresses: args.addresses,
              healthCheckPath: args.healthCheckPath,
              adminCidrs: args.adminCidrs,
              sshUser: args.ssh.user,
              sshPublicKey: args.ssh.publicKey,
            }),
          ),
          tags: { service: args.service, environment: args.environment },
          role: "loadBalancer",
          note: `${args.service} ${args.environment} HAProxy load balancer ${i}, from template ${args.template}`,
        },
        // The new VM takes the old one's address.
        {
          parent: servers,
          deleteBeforeReplace: true,
          ...(previous ? { dependsOn: [previous] } : {}),
        },
      );
      const configured = new command.remote.Command(
        `${name}-config-${i}`,
        {
          connection: sshConnection(args.ssh, address),
          create: `sudo -n ${HAPROXY_APPLY_PATH}`,
          stdin: config,
          // Again on a rebuilt load balancer; a new config (stdin) runs it as an update.
          triggers: [vm.id],
        },
        { parent: this, dependsOn: [vm] },
      );
      if (gate === undefined || liveSwitch === undefined) {
        // The gate proves each colour through the first load balancer's own preview frontend:
        // the servers are the same behind each, and its address answers before any holds the
        // virtual one.
        gate = new HealthGate(
          `${name}-gate`,
          {
            targets: Object.fromEntries(
              plan.gate.colours.map((c) => [
                c,
                {
                  url: `http://${address}:${PREVIEW_PORT}${args.healthCheckPath}`,
                  servers: plan.colours[c].count,
                  affinityCookie: AFFINITY_COOKIE,
                  header: `${COLOUR_HEADER}: ${c}`,
                },
              ]),
            ),
            settings: args.gate,
            triggers: gateTriggers(
              plan.gate.triggers,
              Object.fromEntries(plan.gate.colours.map((c) => [c, args.groups[c]?.fingerprint])),
            ),
          },
          { parent: this, dependsOn: [configured] },
        );
        liveSwitch = new LiveSwitch(
          `${name}-switch`,
          {
            plan,
            servers: pulumi.all(
              plan.served.flatMap((c) => (args.groups[c]?.vms ?? []).map((v) => v.id)),
            ),
            ssh: args.ssh,
            gate,
            serverCounts: { blue: plan.colours.blue.count, green: plan.colours.green.count },
          },
          { parent: this, dependsOn: [gate] },
        );
      }
      previous = liveSwitch.on(i, { vm, address, config: configured });
      vms.push(vm);
    });
    this.vms = vms;
    this.gate = gate as HealthGate;
    this.liveSwitch = liveSwitch as LiveSwitch;
    this.registerOutputs({ address: this.address });
  }
}

/** The load balancer VMs, as a group: what the policies know as a server group. */
export class LoadBalancerServers extends pulumi.ComponentResource {
  /**
   * @param name component name; the VMs are `${name}-<i>`
   * @param args the template and how many
   * @param opts resource options
   */
  constructor(
    name: string,
    args: { readonly image: string; readonly count: number },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(
      VSPHERE_COMPONENTS.loadBalancerServers,
      name,
      { role: "loadBalancer", count: args.count, image: args.image, frozen: false },
      opts,
    );
    this.registerOutputs({});
  }
}

/** Arguments of a {@link LiveSwitch}. */
export interface LiveSwitchArgs {
  readonly plan: BlueGreenPlan;
  /** The VMs of the colours given live traffic (its intent, for the policies). */
  readonly servers: pulumi.Input<string[]>;
  readonly ssh: SshAccess;
  /** The health gate every command waits for (also the component's own `dependsOn`). */
  readonly gate: pulumi.Resource;
  readonly serverCounts: Readonly<Record<Colour, number>>;
}

/** A load balancer the switch sets the routing on. */
export interface SwitchedLoadBalancer {
  readonly vm: VirtualMachine;
  readonly address: string;
  /** The command that pushed its servers, which the routing follows. */
  readonly config: command.remote.Command;
}

/**
 * The live switch: the routing state (live colour, weights, preview colour) set on each load
 * balancer by `haproxy-switch.sh` (the map file first, then `set map` over the Runtime API). It
 * takes its ordering from its own `dependsOn` (the gate), which each of its commands repeats.
 */
export class LiveSwitch extends pulumi.ComponentResource {
  /** Its commands, one per load balancer, in order. */
  readonly commands: command.remote.Command[] = [];
  private readonly args: LiveSwitchArgs;
  private readonly line: string;
  private readonly map: string;
  private readonly name: string;

  /**
   * @param name component name; its commands are `${name}-<i>`
   * @param args the routing
   * @param opts resource options; `dependsOn` must hold the health gate
   */
  constructor(name: string, args: LiveSwitchArgs, opts?: pulumi.ComponentResourceOptions) {
    const { plan } = args;
    super(
      VSPHERE_COMPONENTS.liveSwitch,
      name,
      {
        liveColour: plan.live,
        weights: plan.weights,
        previewColour: plan.preview ?? null,
        servers: args.servers,
      },
      opts,
    );
    const routing = renderRoutingState({
      live: plan.live,
      weights: plan.weights,
      ...(plan.preview ? { preview: plan.preview } : {}),
      serverCounts: args.serverCounts,
      mapPath: DEFAULT_MAP_PATH,
    });
    this.name = name;
    this.args = args;
    this.map = routing.map;
    this.line = [
      "sudo",
      "-n",
      HAPROXY_SWITCH_PATH,
      ...switchArguments(routing, { mapPath: DEFAULT_MAP_PATH, adminSocket: DEFAULT_ADMIN_SOCKET }),
    ]
      .map(shellQuote)
      .join(" ");
    this.registerOutputs({});
  }

  /**
   * Sets the routing on load balancer `index`, after the gate and its config push.
   *
   * @returns the command, `${name}-<index>`
   */
  on(index: number, lb: SwitchedLoadBalancer): command.remote.Command {
    const switched = new command.remote.Command(
      `${this.name}-${index}`,
      {
        connection: sshConnection(this.args.ssh, lb.address),
        create: this.line,
        stdin: this.map,
        // Again on a rebuilt load balancer, and after every config push (a reload keeps the
        // map's state, a restart reads the file this writes).
        triggers: [lb.vm.id, lb.config.id],
      },
      { parent: this, dependsOn: [this.args.gate, lb.config] },
    );
    this.commands.push(switched);
    return switched;
  }
}
