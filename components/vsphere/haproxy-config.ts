// The vSphere load balancer: HAProxy 2.6 (Debian 12's) configuration and routing state, rendered by
// pure functions (no Pulumi here: the component that pushes them stays thin).
//
// Switching without a reload. The whole routing state lives in one small map file that HAProxy
// loads at start and the live and preview frontends read on every request:
//
//   blue_percent 90     share of live requests that go to be_blue (the rest go to be_green)
//   preview be_green    the backend the preview frontend serves
//
// A switch writes the map file first (a restart or a reload then comes up in the new state), then
// changes the same keys in the running process with the Runtime API (`set map`). One `set map`
// is one atomic change, the next request reads the new value, and no connection is closed: no
// reload, no new process, no listener handed over. Blue -> green, green -> blue and any canary
// split are the same single command on `blue_percent`, so no intermediate state ever exists.
// Weights per server (`set weight`) were the alternative: they are lost when HAProxy restarts
// (the config's weights come back while the map says otherwise), a split needs a shared backend
// whose per-server integers only approximate a colour's percentage, and moving between splits
// takes several commands with mixed states in between.
//
// The server list is configuration: adding or removing a server renders a new haproxy.cfg and
// takes a hitless reload (master-worker, `expose-fd listeners`), never a restart.
import { isIP } from "net";
import { COLOURS, Colour, otherColour } from "../core/colour";

/** Where Debian's HAProxy keeps the routing map that Phoenix writes. */
export const DEFAULT_MAP_PATH = "/etc/haproxy/phoenix-routing.map";
/** The admin socket (Runtime API) of the running HAProxy. */
export const DEFAULT_ADMIN_SOCKET = "/run/haproxy/admin.sock";

/**
 * The cookie each colour's backend pins a client to a server with (`indirect`: only set when the
 * client has none that names a live server): the health gate proves each server through it.
 */
export const AFFINITY_COOKIE = "PHOENIX_SERVER";

/**
 * The request header that picks a colour on the preview frontend, whatever the routing map says:
 * the gate probes the colour about to go live through it, as users will reach it.
 */
export const COLOUR_HEADER = "X-Phoenix-Colour";

/** Each colour's backend in haproxy.cfg. */
export const BACKENDS: Readonly<Record<Colour, string>> = { blue: "be_blue", green: "be_green" };

/** One server behind the load balancer. */
export interface HaproxyServer {
  /** Server name, unique across both colours (for example `web-blue-0`). */
  readonly name: string;
  /** IPv4 or IPv6 address (vSphere servers have static addresses; no names are resolved). */
  readonly address: string;
  /** Port the app listens on. */
  readonly port: number;
}

/** Arguments of {@link renderHaproxyConfig}. */
export interface HaproxyConfigArgs {
  /** Each colour's servers; a colour without servers has an empty backend. */
  readonly servers: Readonly<Record<Colour, readonly HaproxyServer[]>>;
  /**
   * Path that answers 2xx when a server is healthy (active health checks).
   * @default "/healthz"
   */
  readonly healthPath?: string;
  /**
   * Address the frontends listen on.
   * @default "0.0.0.0"
   */
  readonly bindAddress?: string;
  /**
   * Port of the live frontend.
   * @default 80
   */
  readonly livePort?: number;
  /**
   * Port of the preview frontend (the non-live colour).
   * @default 8081
   */
  readonly previewPort?: number;
  /**
   * The routing map file.
   * @default DEFAULT_MAP_PATH
   */
  readonly mapPath?: string;
  /**
   * The admin socket (Runtime API, `expose-fd listeners` for hitless reloads).
   * @default DEFAULT_ADMIN_SOCKET
   */
  readonly adminSocket?: string;
  /**
   * User and group the workers run as; null keeps the user that starts HAProxy.
   * @default { user: "haproxy", group: "haproxy" } (Debian's package creates them)
   */
  readonly runAs?: { readonly user: string; readonly group: string } | null;
  /**
   * Which requests are logged to stdout (the journal under systemd): every one, or only errors
   * and abnormal ones (`option dontlog-normal`).
   * @default "all"
   */
  readonly accessLog?: "all" | "errors";
  /**
   * Seconds a server that comes back up takes to reach its full weight.
   * @default 30
   */
  readonly slowstartSeconds?: number;
}

/** The routing state: where live and preview traffic goes. */
export interface RoutingState {
  /** The live colour. */
  readonly live: Colour;
  /**
   * Percent of live traffic per colour, integers adding up to 100 (a canary is a split).
   * @default the live colour 100, the other 0
   */
  readonly weights?: Readonly<Record<Colour, number>>;
  /**
   * Colour the preview frontend serves.
   * @default the colour that is not live
   */
  readonly preview?: Colour;
  /**
   * Servers per colour, when known: a colour without servers cannot take live traffic.
   * @default not checked
   */
  readonly serverCounts?: Readonly<Record<Colour, number>>;
  /**
   * The routing map file the running HAProxy loaded (the Runtime API names a map by its path).
   * @default DEFAULT_MAP_PATH
   */
  readonly mapPath?: string;
}

/** What a switch writes and sends. */
export interface RenderedRouting {
  /** Content of the map file. */
  readonly map: string;
  /** Runtime API commands, in order, that move a running HAProxy from any state to this one. */
  readonly commands: readonly string[];
}

/** Map keys: the single source of the routing state. */
const KEY_BLUE_PERCENT = "blue_percent";
const KEY_PREVIEW = "preview";

const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const PATH_SEGMENT = /^[A-Za-z0-9_.~%!$&'()*+,;=:@/-]*$/;
const FILE_PATH = /^\/[A-Za-z0-9_.+/-]+$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

function fail(setting: string, value: unknown, allowed: string): never {
  throw new Error(`${setting}: received ${JSON.stringify(value)}; allowed: ${allowed}`);
}

function checkPort(setting: string, port: unknown): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    fail(setting, port, "an integer port from 1 to 65535");
  }
  return port;
}

function checkFilePath(setting: string, value: unknown): string {
  if (typeof value !== "string" || !FILE_PATH.test(value) || value.split("/").includes("..")) {
    fail(setting, value, "an absolute path of letters, digits and _ . + - / (no ..)");
  }
  return value;
}

function checkAddress(setting: string, value: unknown): string {
  if (typeof value !== "string" || isIP(value) === 0) {
    fail(setting, value, "an IPv4 or IPv6 address (no host names: nothing is resolved)");
  }
  return value;
}

/** `host:port` as haproxy.cfg writes it (IPv6 with the `ipv6@` prefix, unambiguous). */
function endpoint(address: string, port: number): string {
  return isIP(address) === 6 ? `ipv6@${address}:${port}` : `${address}:${port}`;
}

function checkServers(
  servers: HaproxyConfigArgs["servers"] | undefined,
): Record<Colour, readonly HaproxyServer[]> {
  if (servers === undefined || servers === null || typeof servers !== "object") {
    fail("servers", servers, "an object with a list of servers for blue and for green");
  }
  const seen = new Map<string, string>();
  for (const colour of COLOURS) {
    const list = servers[colour];
    if (!Array.isArray(list)) fail(`servers.${colour}`, list, "a list of servers (may be empty)");
    list.forEach((server: HaproxyServer, i: number) => {
      const at = `servers.${colour}[${i}]`;
      if (typeof server.name !== "string" || !SERVER_NAME.test(server.name)) {
        fail(
          `${at}.name`,
          server.name,
          "1 to 63 letters, digits, _ . - starting with a letter or digit",
        );
      }
      const clash = seen.get(server.name);
      if (clash !== undefined) {
        fail(`${at}.name`, server.name, `a name not already used (by ${clash})`);
      }
      seen.set(server.name, at);
      checkAddress(`${at}.address`, server.address);
      checkPort(`${at}.port`, server.port);
    });
  }
  return { blue: servers.blue, green: servers.green };
}

/** A complete haproxy.cfg for HAProxy 2.6 in master-worker mode. */
export function renderHaproxyConfig(args: HaproxyConfigArgs): string {
  const servers = checkServers(args.servers);
  const healthPath = args.healthPath ?? "/healthz";
  if (
    typeof healthPath !== "string" ||
    !healthPath.startsWith("/") ||
    !PATH_SEGMENT.test(healthPath)
  ) {
    fail("healthPath", healthPath, "a path starting with / without spaces, such as /healthz");
  }
  const bindAddress = args.bindAddress ?? "0.0.0.0";
  checkAddress("bindAddress", bindAddress);
  const livePort = checkPort("livePort", args.livePort ?? 80);
  const previewPort = checkPort("previewPort", args.previewPort ?? 8081);
  if (previewPort === livePort) {
    fail("previewPort", previewPort, `a port other than livePort (${livePort})`);
  }
  const mapPath = checkFilePath("mapPath", args.mapPath ?? DEFAULT_MAP_PATH);
  const adminSocket = checkFilePath("adminSocket", args.adminSocket ?? DEFAULT_ADMIN_SOCKET);
  const runAs = args.runAs === undefined ? { user: "haproxy", group: "haproxy" } : args.runAs;
  if (runAs !== null) {
    if (!USER_NAME.test(String(runAs.user))) fail("runAs.user", runAs.user, "a Unix user name");
    if (!USER_NAME.test(String(runAs.group))) {
      fail("runAs.group", runAs.group, "a Unix group name");
    }
  }
  const accessLog = args.accessLog ?? "all";
  if (accessLog !== "all" && accessLog !== "errors") {
    fail("accessLog", accessLog, '"all" or "errors"');
  }
  const slowstart = args.slowstartSeconds ?? 30;
  if (!Number.isInteger(slowstart) || slowstart < 0 || slowstart > 3600) {
    fail("slowstartSeconds", slowstart, "an integer from 0 to 3600");
  }
  const bind = (port: number) =>
    isIP(bindAddress) === 6 ? `ipv6@${bindAddress}:${port}` : `${bindAddress}:${port}`;
  const colourBackend = (colour: Colour): string[] => [
    "",
    `backend ${BACKENDS[colour]}`,
    "    balance roundrobin",
    `    option httpchk GET ${healthPath}`,
    "    http-check expect status 200-299",
    `    cookie ${AFFINITY_COOKIE} insert indirect nocache httponly`,
    `    default-server check inter 2s fall 2 rise 3${slowstart > 0 ? ` slowstart ${slowstart}s` : ""}`,
    ...servers[colour].map(
      (s) => `    server ${s.name} ${endpoint(s.address, s.port)} cookie ${s.name}`,
    ),
  ];
  const lines = [
    "# Rendered by Phoenix (components/vsphere/haproxy-config.ts): do not edit by hand.",
    `# Routing state: ${mapPath}, changed by haproxy-switch.sh and the Runtime API.`,
    "global",
    "    master-worker",
    "    log stdout format raw local0 info",
    `    stats socket ${adminSocket} mode 600 level admin expose-fd listeners`,
    "    stats timeout 30s",
    // A reload lets the old worker finish its requests, for at most this long.
    "    hard-stop-after 60s",
    ...(runAs === null ? [] : [`    user ${runAs.user}`, `    group ${runAs.group}`]),
    "",
    "defaults",
    "    mode http",
    "    log global",
    "    option httplog",
    "    option dontlognull",
    ...(accessLog === "errors" ? ["    option dontlog-normal"] : []),
    "    option redispatch",
    "    retries 3",
    "    http-reuse safe",
    "    timeout connect 5s",
    "    timeout client 30s",
    "    timeout server 30s",
    "    timeout http-request 10s",
    "    timeout http-keep-alive 10s",
    "    timeout queue 30s",
    "    timeout check 5s",
    "",
    "frontend fe_live",
    `    bind ${bind(livePort)}`,
    // Each request draws 0..99 and goes to blue when the draw is below blue_percent.
    `    http-request set-var(txn.phoenix_blue_percent) str(${KEY_BLUE_PERCENT}),map(${mapPath},100)`,
    "    http-request set-var(txn.phoenix_draw) rand(100)",
    "    acl phoenix_to_blue var(txn.phoenix_draw),sub(txn.phoenix_blue_percent) lt 0",
    "    acl phoenix_split var(txn.phoenix_blue_percent) -m int 1:99",
    "    acl phoenix_blue_up nbsrv(be_blue) gt 0",
    "    acl phoenix_green_up nbsrv(be_green) gt 0",
    // A canary share never goes to a colour with no server up while the other has one.
    "    use_backend be_green if phoenix_split phoenix_to_blue !phoenix_blue_up phoenix_green_up",
    "    use_backend be_blue if phoenix_split !phoenix_to_blue !phoenix_green_up phoenix_blue_up",
    "    use_backend be_blue if phoenix_to_blue",
    "    default_backend be_green",
    "",
    "frontend fe_preview",
    `    bind ${bind(previewPort)}`,
    // The gate asks for the colour it proves; everyone else gets the preview colour.
    ...COLOURS.map(
      (c) =>
        `    use_backend ${BACKENDS[c]} if { req.hdr(${COLOUR_HEADER.toLowerCase()}) -m str ${c} }`,
    ),
    `    use_backend %[str(${KEY_PREVIEW}),map(${mapPath},be_green)]`,
    "    default_backend be_green",
    ...colourBackend("blue"),
    ...colourBackend("green"),
  ];
  return lines.join("\n") + "\n";
}

function checkWeights(live: Colour, weights: RoutingState["weights"]): Record<Colour, number> {
  if (weights === undefined)
    return { [live]: 100, [otherColour(live)]: 0 } as Record<Colour, number>;
  for (const colour of COLOURS) {
    const w = weights[colour];
    if (typeof w !== "number" || !Number.isInteger(w) || w < 0 || w > 100) {
      fail(`weights.${colour}`, w, "an integer percent from 0 to 100");
    }
  }
  if (weights.blue + weights.green !== 100) {
    fail("weights", weights, "blue and green adding up to 100");
  }
  return { blue: weights.blue, green: weights.green };
}

/** The map file and the Runtime API commands that put a running HAProxy in `state`. */
export function renderRoutingState(state: RoutingState): RenderedRouting {
  const live = state.live;
  if (live !== "blue" && live !== "green") fail("live", live, '"blue" or "green"');
  const weights = checkWeights(live, state.weights);
  const preview = state.preview ?? otherColour(live);
  if (preview !== "blue" && preview !== "green") fail("preview", preview, '"blue" or "green"');
  if (state.serverCounts !== undefined) {
    for (const colour of COLOURS) {
      const count = state.serverCounts[colour];
      if (!Number.isInteger(count) || count < 0) {
        fail(`serverCounts.${colour}`, count, "a server count of 0 or more");
      }
      if (weights[colour] > 0 && count === 0) {
        fail(
          `weights.${colour}`,
          weights[colour],
          `0, since ${colour} has no servers to take live traffic`,
        );
      }
    }
  }
  const mapPath = checkFilePath("mapPath", state.mapPath ?? DEFAULT_MAP_PATH);
  const describe = COLOURS.map((c) => `${c} ${weights[c]} %`).join(", ");
  const map = [
    "# Phoenix routing state: written by haproxy-switch.sh before the Runtime API commands.",
    `# Live: ${live} (${describe}). Preview: ${preview}.`,
    `${KEY_BLUE_PERCENT} ${weights.blue}`,
    `${KEY_PREVIEW} ${BACKENDS[preview]}`,
    "",
  ].join("\n");
  return {
    map,
    commands: [
      `set map ${mapPath} ${KEY_BLUE_PERCENT} ${weights.blue}`,
      `set map ${mapPath} ${KEY_PREVIEW} ${BACKENDS[preview]}`,
    ],
  };
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The arguments of haproxy-switch.sh for a routing state (the map content goes on its stdin):
 * `haproxy-switch.sh <map file> <admin socket> <command>...`.
 */
export function switchArguments(
  routing: RenderedRouting,
  paths: { readonly mapPath?: string; readonly adminSocket?: string } = {},
): string[] {
  return [
    checkFilePath("mapPath", paths.mapPath ?? DEFAULT_MAP_PATH),
    checkFilePath("adminSocket", paths.adminSocket ?? DEFAULT_ADMIN_SOCKET),
    ...routing.commands,
  ];
}
