// The app server's host firewall loaded for real: network namespaces stand in for the hosts of a
// vSphere network, all on one /24 behind a bridge, so only the firewall tells them apart.
//
//   lb  10.231.0.10 ─┐
//   adm 10.231.0.40 ─┼─ br0 (namespace sw) ─ srv 10.231.0.1: the rendered app ruleset,
//   oth 10.231.0.20 ─┘                        HTTP listeners on the app port (8080) and on 22
//
// Each client probes the server with curl; a dropped connection is curl's timeout (exit 28), never
// a refusal. Namespaces and listeners carry this process's PID and are removed in afterAll, even
// when a test fails. Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN), and the Debian packages
// nftables, iproute2, curl, iputils-ping, procps and python3.
import * as fs from "fs";
import * as path from "path";
import { renderNftablesRuleset } from "../../components/vsphere/nftables";
import { makeTempDir, requireTool } from "../unit/cloud-init/tools";
import {
  addNetns,
  deleteAllNetns,
  inNetns,
  linkNetns,
  tryInNetns,
  uniqueName,
  type Outcome,
} from "./harness/netns";
import { startProcess, stopAll } from "./harness/processes";

const APP_PORT = 8080;
const SERVER = "10.231.0.1";
const CLIENTS = { lb: "10.231.0.10", adm: "10.231.0.40", oth: "10.231.0.20" } as const;
type Client = keyof typeof CLIENTS;

const APP_ARGS = {
  role: "app",
  appPort: APP_PORT,
  // One load balancer exists on this network; the other of its pair is listed, as in prod.
  loadBalancerAddresses: [CLIENTS.lb, "10.231.0.11"],
  adminCidrs: ["10.231.0.32/28", "192.168.231.0/24"],
} as const;

const ns = {
  sw: uniqueName("sw"),
  srv: uniqueName("srv"),
  lb: uniqueName("lb"),
  adm: uniqueName("adm"),
  oth: uniqueName("oth"),
};

let dir: string;
let curl: string;
/** The server's IPv6 link-local address, as a URL host with its zone. */
let serverV6: (client: Client) => string;

/** Writes a ruleset to a file and loads it in the server's namespace with `nft -f`. */
function load(name: string, ruleset: string): void {
  const file = path.join(dir, name);
  fs.writeFileSync(file, ruleset);
  inNetns(ns.srv, [requireTool("nft", "nftables"), "-f", file]);
}

/** GET http://host:port/ from a client: "200", or the curl exit status when it does not connect. */
async function probe(client: Client, port: number, host = SERVER): Promise<string> {
  const r: Outcome = await tryInNetns(ns[client], [
    curl,
    "-sS",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code}",
    "--connect-timeout",
    "1",
    "--max-time",
    "3",
    `http://${host}:${port}/`,
  ]);
  return r.status === 0 ? r.stdout : `curl exit ${String(r.status)}`;
}

const DROPPED = "curl exit 28"; // connect timed out: dropped, not refused (that would be exit 7)

/** Who reaches what, probed in parallel, as `{ "lb:8080": "200", ... }`. */
async function matrix(
  probes: readonly (readonly [Client, number])[],
  host?: (client: Client) => string,
): Promise<Record<string, string>> {
  const results = await Promise.all(
    probes.map(
      async ([client, port]) =>
        [`${client}:${port}`, await probe(client, port, host?.(client))] as const,
    ),
  );
  return Object.fromEntries(results);
}

/** Waits until a listener in the server's namespace answers on loopback (always admitted). */
async function waitForListener(port: number): Promise<void> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const r = await tryInNetns(ns.srv, [
      curl,
      "-s",
      "-o",
      "/dev/null",
      `http://127.0.0.1:${port}/`,
    ]);
    if (r.status === 0) return;
    if (Date.now() > deadline) throw new Error(`no listener on port ${port} in ${ns.srv}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  requireTool("ip", "iproute2");
  requireTool("nft", "nftables");
  requireTool("ping", "iputils-ping");
  requireTool("sysctl", "procps");
  curl = requireTool("curl", "curl");
  const python = requireTool("python3", "python3");
  dir = makeTempDir("nftables-netns");

  for (const name of Object.values(ns)) {
    addNetns(name);
    // Link-local IPv6 addresses usable at once, without duplicate address detection.
    inNetns(name, ["sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0"]);
    inNetns(name, ["sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0"]);
  }
  inNetns(ns.sw, ["ip", "link", "add", "br0", "type", "bridge"]);
  inNetns(ns.sw, ["ip", "link", "set", "br0", "up"]);
  const hosts = { srv: SERVER, ...CLIENTS };
  for (const [role, address] of Object.entries(hosts)) {
    const host = ns[role as keyof typeof ns];
    linkNetns({ ns: host, dev: "eth0" }, { ns: ns.sw, dev: `p-${role}` });
    inNetns(ns.sw, ["ip", "link", "set", `p-${role}`, "master", "br0"]);
    inNetns(host, ["ip", "addr", "add", `${address}/24`, "dev", "eth0"]);
  }
  const v6 = JSON.parse(inNetns(ns.srv, ["ip", "-j", "-6", "addr", "show", "dev", "eth0"])) as {
    addr_info: { local: string; scope: string }[];
  }[];
  const linkLocal = v6[0]?.addr_info.find((a) => a.scope === "link")?.local;
  if (linkLocal === undefined) throw new Error(`${ns.srv} has no IPv6 link-local address`);
  serverV6 = () => `[${linkLocal}%25eth0]`;

  load("app.nft", renderNftablesRuleset(APP_ARGS));
  for (const port of [APP_PORT, 22]) {
    startProcess("ip", [
      "netns",
      "exec",
      ns.srv,
      python,
      "-m",
      "http.server",
      String(port),
      "--bind",
      "::",
      "--directory",
      dir,
    ]);
  }
  await Promise.all([waitForListener(APP_PORT), waitForListener(22)]);
}, 20000);

afterAll(async () => {
  await stopAll();
  const errors = deleteAllNetns();
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  if (errors.length > 0) throw new Error(`cleaning up: ${errors.join("; ")}`);
});

describe("the app server's rendered ruleset, loaded in a network namespace", () => {
  it("is what nft lists: Phoenix's table alone, input and forward closed", () => {
    const listed = inNetns(ns.srv, ["nft", "list", "ruleset"]);
    expect(listed.match(/^table .*$/gm)).toEqual(["table inet phoenix {"]);
    expect(listed).toContain("type filter hook input priority filter; policy drop;");
    expect(listed).toContain("type filter hook forward priority filter; policy drop;");
  });

  it("admits the app port from the load balancer only and SSH from the admin CIDR only", async () => {
    expect(
      await matrix([
        ["lb", APP_PORT],
        ["lb", 22],
        ["adm", APP_PORT],
        ["adm", 22],
        ["oth", APP_PORT],
        ["oth", 22],
      ]),
    ).toEqual({
      [`lb:${APP_PORT}`]: "200",
      "lb:22": DROPPED,
      [`adm:${APP_PORT}`]: DROPPED,
      "adm:22": "200",
      [`oth:${APP_PORT}`]: DROPPED,
      "oth:22": DROPPED,
    });
  }, 10000);

  it("admits nothing over IPv6 but neighbour discovery and ping (the listeners are dual-stack)", async () => {
    // Ping answers over IPv6, so neighbour discovery works and the address is reachable...
    const linkLocal = serverV6("oth").slice(1, -1).replace("%25", "%");
    const pong = await tryInNetns(ns.oth, ["ping", "-6", "-c", "1", "-W", "2", linkLocal]);
    expect(pong).toMatchObject({ status: 0, stdout: expect.stringContaining("1 received") });
    // ...yet neither the app port nor SSH does, even from the hosts admitted over IPv4.
    expect(
      await matrix(
        [
          ["lb", APP_PORT],
          ["adm", 22],
        ],
        serverV6,
      ),
    ).toEqual({ [`lb:${APP_PORT}`]: DROPPED, "adm:22": DROPPED });
  }, 10000);

  it("answers ping from any address, at most a burst of 10 then 5 a second", async () => {
    // 40 echo requests in about 0.4 s: the burst (10) and about 2 more at 5/s get through.
    const r = await tryInNetns(ns.oth, ["ping", "-c", "40", "-i", "0.01", "-W", "1", "-q", SERVER]);
    const received = Number(/(\d+) received/.exec(r.stdout)?.[1]);
    expect(received).toBeGreaterThanOrEqual(10);
    expect(received).toBeLessThanOrEqual(15);
    // After a rest the bucket refills: a single ping answers.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const one = await tryInNetns(ns.oth, ["ping", "-c", "1", "-W", "1", SERVER]);
    expect(one).toMatchObject({ status: 0, stdout: expect.stringContaining("1 received") });
  }, 10000);

  it("loaded again with a narrower admin list, admits only the new list, the app uninterrupted", async () => {
    load("narrower.nft", renderNftablesRuleset({ ...APP_ARGS, adminCidrs: ["192.168.231.0/24"] }));
    expect(inNetns(ns.srv, ["nft", "list", "set", "inet", "phoenix", "admin_v4"])).toContain(
      "elements = { 192.168.231.0/24 }",
    );
    expect(
      await matrix([
        ["lb", APP_PORT],
        ["adm", 22],
      ]),
    ).toEqual({ [`lb:${APP_PORT}`]: "200", "adm:22": DROPPED });
  }, 10000);

  it("why the file deletes its table rather than flushing it: flush keeps a set's old elements", async () => {
    const flushing = (ruleset: string) =>
      ruleset.replace("\ndelete table inet phoenix\n", "\nflush table inet phoenix\n");
    load("flush-wide.nft", flushing(renderNftablesRuleset(APP_ARGS)));
    load(
      "flush-narrow.nft",
      flushing(renderNftablesRuleset({ ...APP_ARGS, adminCidrs: ["192.168.231.0/24"] })),
    );
    // The narrower list was loaded, yet the admin host still reaches SSH.
    expect(await matrix([["adm", 22]])).toEqual({ "adm:22": "200" });
    // The rendered file (delete, not flush) puts it right.
    load(
      "narrower-again.nft",
      renderNftablesRuleset({ ...APP_ARGS, adminCidrs: ["192.168.231.0/24"] }),
    );
    expect(await matrix([["adm", 22]])).toEqual({ "adm:22": DROPPED });
  }, 10000);
});
