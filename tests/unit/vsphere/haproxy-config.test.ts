import { spawnSync } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as net from "net";
import { tmpdir } from "os";
import * as path from "path";
import {
  HaproxyConfigArgs,
  renderHaproxyConfig,
  renderRoutingState,
  RoutingState,
  shellQuote,
  switchArguments,
} from "../../../components/vsphere/haproxy-config";
import { parseWrk, runSwitch } from "../../../tools/bench/switch-bench";

const SCRIPT = path.join(__dirname, "../../../components/vsphere/haproxy-switch.sh");

const SERVERS: HaproxyConfigArgs["servers"] = {
  blue: [
    { name: "web-blue-0", address: "10.20.1.11", port: 8080 },
    { name: "web-blue-1", address: "10.20.1.12", port: 8080 },
  ],
  green: [{ name: "web-green-0", address: "10.20.1.21", port: 8080 }],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "phoenix-haproxy-unit-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("renderHaproxyConfig", () => {
  it("renders the whole haproxy.cfg for the defaults", () => {
    expect(renderHaproxyConfig({ servers: SERVERS })).toBe(
      `# Rendered by Phoenix (components/vsphere/haproxy-config.ts): do not edit by hand.
# Routing state: /etc/haproxy/phoenix-routing.map, changed by haproxy-switch.sh and the Runtime API.
global
    master-worker
    log stdout format raw local0 info
    stats socket /run/haproxy/admin.sock mode 600 level admin expose-fd listeners
    stats timeout 30s
    hard-stop-after 60s
    user haproxy
    group haproxy

defaults
    mode http
    log global
    option httplog
    option dontlognull
    option redispatch
    retries 3
    http-reuse safe
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 30s
    timeout check 5s

frontend fe_live
    bind 0.0.0.0:80
    http-request set-var(txn.phoenix_blue_percent) str(blue_percent),map(/etc/haproxy/phoenix-routing.map,100)
    http-request set-var(txn.phoenix_draw) rand(100)
    acl phoenix_to_blue var(txn.phoenix_draw),sub(txn.phoenix_blue_percent) lt 0
    acl phoenix_split var(txn.phoenix_blue_percent) -m int 1:99
    acl phoenix_blue_up nbsrv(be_blue) gt 0
    acl phoenix_green_up nbsrv(be_green) gt 0
    use_backend be_green if phoenix_split phoenix_to_blue !phoenix_blue_up phoenix_green_up
    use_backend be_blue if phoenix_split !phoenix_to_blue !phoenix_green_up phoenix_blue_up
    use_backend be_blue if phoenix_to_blue
    default_backend be_green

frontend fe_preview
    bind 0.0.0.0:8081
    use_backend be_blue if { req.hdr(x-phoenix-colour) -m str blue }
    use_backend be_green if { req.hdr(x-phoenix-colour) -m str green }
    use_backend %[str(preview),map(/etc/haproxy/phoenix-routing.map,be_green)]
    default_backend be_green

backend be_blue
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200-299
    cookie PHOENIX_SERVER insert indirect nocache httponly
    default-server check inter 2s fall 2 rise 3 slowstart 30s
    server web-blue-0 10.20.1.11:8080 cookie web-blue-0
    server web-blue-1 10.20.1.12:8080 cookie web-blue-1

backend be_green
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200-299
    cookie PHOENIX_SERVER insert indirect nocache httponly
    default-server check inter 2s fall 2 rise 3 slowstart 30s
    server web-green-0 10.20.1.21:8080 cookie web-green-0
`,
    );
  });

  // Each variant: the arguments, lines it must have, lines it must not have.
  const VARIANTS: [string, Partial<HaproxyConfigArgs>, string[], string[]][] = [
    [
      "own paths, ports, health path and address",
      {
        healthPath: "/status/ready",
        bindAddress: "10.20.0.5",
        livePort: 8080,
        previewPort: 9090,
        mapPath: "/etc/haproxy/maps/routing.map",
        adminSocket: "/var/run/hap/admin.sock",
      },
      [
        "    bind 10.20.0.5:8080",
        "    bind 10.20.0.5:9090",
        "    option httpchk GET /status/ready",
        "    stats socket /var/run/hap/admin.sock mode 600 level admin expose-fd listeners",
        "    use_backend %[str(preview),map(/etc/haproxy/maps/routing.map,be_green)]",
      ],
      ["    bind 0.0.0.0:80"],
    ],
    [
      "errors-only access log, no user switch, no slow start",
      { accessLog: "errors", runAs: null, slowstartSeconds: 0 },
      ["    option dontlog-normal", "    default-server check inter 2s fall 2 rise 3"],
      [
        "    user haproxy",
        "    group haproxy",
        "    default-server check inter 2s fall 2 rise 3 slowstart 30s",
      ],
    ],
    [
      "IPv6 servers and bind address",
      {
        bindAddress: "::",
        servers: { blue: [{ name: "b0", address: "fd00::11", port: 80 }], green: [] },
      },
      ["    bind ipv6@:::80", "    server b0 ipv6@fd00::11:80 cookie b0"],
      ["    server web-blue-0 10.20.1.11:8080"],
    ],
    [
      "a colour without servers has an empty backend",
      { servers: { blue: SERVERS.blue, green: [] }, runAs: { user: "nobody", group: "nogroup" } },
      ["backend be_green", "    user nobody", "    group nogroup"],
      ["    server web-green-0 10.20.1.21:8080"],
    ],
  ];

  it.each(VARIANTS)("%s", (_name, overrides, present, absent) => {
    const lines = renderHaproxyConfig({ servers: SERVERS, ...overrides }).split("\n");
    for (const line of present) expect(lines).toContain(line);
    for (const line of absent) expect(lines).not.toContain(line);
  });

  it("every rendered configuration passes haproxy -c (HAProxy 2.6)", () => {
    const results = [["defaults", {}] as [string, Partial<HaproxyConfigArgs>]]
      .concat(VARIANTS.map(([name, overrides]) => [name, overrides]))
      .map(([name, overrides], i) => {
        const mapPath = path.join(dir, `check-${i}.map`);
        writeFileSync(mapPath, renderRoutingState({ live: "blue", mapPath }).map);
        const config = path.join(dir, `check-${i}.cfg`);
        writeFileSync(config, renderHaproxyConfig({ servers: SERVERS, ...overrides, mapPath }));
        const r = spawnSync("haproxy", ["-c", "-f", config], { encoding: "utf8" });
        return { name, status: r.status, output: r.status === 0 ? "" : `${r.stdout}${r.stderr}` };
      });
    expect(results).toEqual(results.map((r) => ({ name: r.name, status: 0, output: "" })));
  });

  it.each([
    [{ servers: undefined }, "servers: received undefined; allowed: an object with a list"],
    [{ servers: { blue: [] } }, "servers.green: received undefined; allowed: a list of servers"],
    [
      { servers: { blue: [{ name: "web 0", address: "10.0.0.1", port: 80 }], green: [] } },
      'servers.blue[0].name: received "web 0"; allowed: 1 to 63 letters, digits, _ . -',
    ],
    [
      {
        servers: {
          blue: [{ name: "web-0", address: "10.0.0.1", port: 80 }],
          green: [{ name: "web-0", address: "10.0.0.2", port: 80 }],
        },
      },
      'servers.green[0].name: received "web-0"; allowed: a name not already used (by servers.blue[0])',
    ],
    [
      { servers: { blue: [{ name: "w", address: "10.0.0.256", port: 80 }], green: [] } },
      'servers.blue[0].address: received "10.0.0.256"; allowed: an IPv4 or IPv6 address',
    ],
    [
      { servers: { blue: [{ name: "w", address: "web.example.com", port: 80 }], green: [] } },
      'servers.blue[0].address: received "web.example.com"; allowed: an IPv4 or IPv6 address (no host names',
    ],
    [
      { servers: { blue: [], green: [{ name: "w", address: "10.0.0.1", port: 0 }] } },
      "servers.green[0].port: received 0; allowed: an integer port from 1 to 65535",
    ],
    [
      { servers: { blue: [], green: [{ name: "w", address: "10.0.0.1", port: 80.5 }] } },
      "servers.green[0].port: received 80.5; allowed: an integer port from 1 to 65535",
    ],
    [{ livePort: 65536 }, "livePort: received 65536; allowed: an integer port from 1 to 65535"],
    [{ previewPort: 80 }, "previewPort: received 80; allowed: a port other than livePort (80)"],
    [{ healthPath: "healthz" }, 'healthPath: received "healthz"; allowed: a path starting with /'],
    [{ healthPath: "/a b" }, 'healthPath: received "/a b"; allowed: a path starting with /'],
    [{ bindAddress: "localhost" }, 'bindAddress: received "localhost"; allowed: an IPv4 or IPv6'],
    [{ mapPath: "routing.map" }, 'mapPath: received "routing.map"; allowed: an absolute path'],
    [{ adminSocket: "/run/../x.sock" }, 'adminSocket: received "/run/../x.sock"; allowed:'],
    [{ runAs: { user: "Root!", group: "x" } }, 'runAs.user: received "Root!"; allowed:'],
    [{ accessLog: "some" }, 'accessLog: received "some"; allowed: "all" or "errors"'],
    [{ slowstartSeconds: -1 }, "slowstartSeconds: received -1; allowed: an integer from 0 to 3600"],
  ] as [Record<string, unknown>, string][])("refuses %j", (overrides, message) => {
    const args = { servers: SERVERS, ...overrides } as unknown as HaproxyConfigArgs;
    expect(() => renderHaproxyConfig(args)).toThrow(message);
  });
});

describe("renderRoutingState", () => {
  const MAP = "/etc/haproxy/phoenix-routing.map";
  it.each([
    [{ live: "blue" }, "blue (blue 100 %, green 0 %)", 100, "be_green"],
    [{ live: "green" }, "green (blue 0 %, green 100 %)", 0, "be_blue"],
    [
      { live: "blue", weights: { blue: 90, green: 10 } },
      "blue (blue 90 %, green 10 %)",
      90,
      "be_green",
    ],
    [
      { live: "green", weights: { blue: 25, green: 75 } },
      "green (blue 25 %, green 75 %)",
      25,
      "be_blue",
    ],
    [{ live: "green", preview: "green" }, "green (blue 0 %, green 100 %)", 0, "be_green"],
  ] as [RoutingState, string, number, string][])(
    "%j: blue_percent %#",
    (state, described, bluePercent, preview) => {
      const previewColour = preview === "be_blue" ? "blue" : "green";
      expect(renderRoutingState(state)).toEqual({
        map: [
          "# Phoenix routing state: written by haproxy-switch.sh before the Runtime API commands.",
          `# Live: ${described}. Preview: ${previewColour}.`,
          `blue_percent ${bluePercent}`,
          `preview ${preview}`,
          "",
        ].join("\n"),
        commands: [
          `set map ${MAP} blue_percent ${bluePercent}`,
          `set map ${MAP} preview ${preview}`,
        ],
      });
    },
  );

  it("names the map by the path HAProxy loaded", () => {
    expect(renderRoutingState({ live: "blue", mapPath: "/srv/lb/r.map" }).commands).toEqual([
      "set map /srv/lb/r.map blue_percent 100",
      "set map /srv/lb/r.map preview be_green",
    ]);
  });

  it.each([
    [{ live: "red" }, 'live: received "red"; allowed: "blue" or "green"'],
    [{ live: "blue", preview: "Blue" }, 'preview: received "Blue"; allowed: "blue" or "green"'],
    [
      { live: "blue", weights: { blue: 90, green: 20 } },
      'weights: received {"blue":90,"green":20}; allowed: blue and green adding up to 100',
    ],
    [
      { live: "blue", weights: { blue: 90.5, green: 9.5 } },
      "weights.blue: received 90.5; allowed: an integer percent from 0 to 100",
    ],
    [
      { live: "blue", weights: { blue: 110, green: -10 } },
      "weights.blue: received 110; allowed: an integer percent from 0 to 100",
    ],
    [
      { live: "blue", weights: { blue: 90, green: 10 }, serverCounts: { blue: 2, green: 0 } },
      "weights.green: received 10; allowed: 0, since green has no servers to take live traffic",
    ],
    [
      { live: "blue", serverCounts: { blue: -1, green: 0 } },
      "serverCounts.blue: received -1; allowed: a server count of 0 or more",
    ],
    [{ live: "blue", mapPath: "/etc/haproxy/my map" }, 'mapPath: received "/etc/haproxy/my map"'],
  ] as [RoutingState, string][])("refuses %j", (state, message) => {
    expect(() => renderRoutingState(state)).toThrow(message);
  });
});

describe("switchArguments and shellQuote", () => {
  it("gives the script the map, the socket and the commands", () => {
    const routing = renderRoutingState({ live: "green" });
    expect(switchArguments(routing)).toEqual([
      "/etc/haproxy/phoenix-routing.map",
      "/run/haproxy/admin.sock",
      "set map /etc/haproxy/phoenix-routing.map blue_percent 0",
      "set map /etc/haproxy/phoenix-routing.map preview be_blue",
    ]);
    expect(switchArguments(routing).map(shellQuote).slice(1, 3)).toEqual([
      "/run/haproxy/admin.sock",
      "'set map /etc/haproxy/phoenix-routing.map blue_percent 0'",
    ]);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

/** A stand-in for HAProxy's admin socket: answers "\n" to known commands, an error otherwise. */
function fakeAdminSocket(socketPath: string, received: string[]): Promise<net.Server> {
  const server = net.createServer((conn) => {
    let buffer = "";
    conn.on("data", (d) => {
      buffer += d.toString();
      if (!buffer.endsWith("\n")) return;
      const command = buffer.trim();
      received.push(command);
      conn.end(
        /^set map \S+ (blue_percent \d+|preview be_(blue|green))$/.test(command)
          ? "\n"
          : "entry not found.\n\n",
      );
    });
  });
  return new Promise((resolve) => server.listen(socketPath, () => resolve(server)));
}

describe("haproxy-switch.sh", () => {
  it("passes shellcheck", () => {
    const r = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect({ status: r.status, output: r.stdout }).toEqual({ status: 0, output: "" });
  });

  it("writes the map file, then sends every command in order; stops at a refused one", async () => {
    const socketPath = path.join(dir, "admin.sock");
    const received: string[] = [];
    const server = await fakeAdminSocket(socketPath, received);
    try {
      const mapPath = path.join(dir, "routing.map");
      writeFileSync(mapPath, "old\n");
      const routing = renderRoutingState({ live: "green", mapPath });
      const ok = await runSwitch(
        switchArguments(routing, { mapPath, adminSocket: socketPath }),
        routing.map,
      );
      expect(ok).toEqual({
        ok: true,
        output: routing.commands.map((c) => `haproxy-switch: ok: ${c}\n`).join(""),
      });
      expect(received).toEqual(routing.commands);
      expect(readFileSync(mapPath, "utf8")).toBe(routing.map);
      expect(readdirSync(dir).filter((f) => f.startsWith("routing.map."))).toEqual([]);

      received.length = 0;
      const bad = await runSwitch(
        [mapPath, socketPath, `set map ${mapPath} nokey 1`, `set map ${mapPath} blue_percent 0`],
        routing.map,
      );
      expect(bad.ok).toBe(false);
      expect(bad.output).toContain(
        `HAProxy refused 'set map ${mapPath} nokey 1': entry not found.`,
      );
      expect(received).toEqual([`set map ${mapPath} nokey 1`]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it.each([
    [
      ["/tmp/m.map", "/nonexistent/admin.sock", "set map /tmp/m.map blue_percent 0"],
      "is not a socket",
    ],
    [["m.map", "/x.sock", "set map m.map blue_percent 0"], "MAP_FILE must be an absolute path"],
    [["/tmp/m.map", "/x.sock"], "usage: haproxy-switch.sh MAP_FILE ADMIN_SOCKET COMMAND..."],
  ])("refuses %j", async (args, message) => {
    const r = await runSwitch(args, "blue_percent 100\n");
    expect(r.ok).toBe(false);
    expect(r.output).toContain(message);
  });

  it("refuses a command that would smuggle a second one, before writing the map", async () => {
    const socketPath = path.join(dir, "admin2.sock");
    const server = await fakeAdminSocket(socketPath, []);
    try {
      const mapPath = path.join(dir, "untouched.map");
      writeFileSync(mapPath, "old\n");
      const r = await runSwitch([mapPath, socketPath, "set map x a 1; shutdown sessions"], "new\n");
      expect(r).toEqual({
        ok: false,
        output:
          "haproxy-switch: refusing a command with a newline or ';': 'set map x a 1; shutdown sessions'\n",
      });
      expect(readFileSync(mapPath, "utf8")).toBe("old\n");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("parseWrk", () => {
  it("reads requests, errors, percentiles and colours from wrk --latency", () => {
    const raw = `Running 2s test @ http://127.0.0.1:8080/
  2 threads and 20 connections
  Latency Distribution
     50%  291.00us
     75%    1.20ms
     90%    5.50ms
     99%    1.02s
  12345 requests in 2.00s, 1.50MB read
  Socket errors: connect 1, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   6172.50
colours blue=12000 green=340 other=5
`;
    const r = parseWrk(raw);
    expect({ ...r, raw: undefined }).toEqual({
      requests: 12345,
      non2xx3xx: 4,
      socketErrors: { connect: 1, read: 2, write: 0, timeout: 3 },
      errors: 10,
      latencyMs: { p50: 0.291, p75: 1.2, p90: 5.5, p99: 1020 },
      colours: { blue: 12000, green: 340, other: 5 },
      raw: undefined,
    });
  });
});
