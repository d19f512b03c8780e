import * as digitalocean from "@pulumi/digitalocean";
import { StackOutputs } from "../../components/core/stack-outputs";
import { MockStackRun, unwrap, unwrapWithSecret } from "../../tools/mock-stack";
import { runStack } from "../../tools/run-stack";
import { T } from "../helpers/do-types";

const inventory = (run: MockStackRun<unknown>) => run.resources.map((r) => `${r.type}::${r.name}`);

describe("dev stack (Pulumi.dev.yaml)", () => {
  let run: MockStackRun<StackOutputs>;
  beforeAll(async () => {
    run = await runStack("dev");
    if (run.error) throw run.error;
  });

  it("builds network, a one-node database, one blue server, its endpoint, the gate and the live endpoint", () => {
    expect(inventory(run)).toEqual([
      `${T.stackReference}::phoenix-previous-deployment`,
      `${T.network}::shop-dev-net`,
      `${T.vpc}::shop-dev-net-vpc`,
      `${T.tag}::shop-dev-net-servers`,
      `${T.firewall}::shop-dev-net-firewall`,
      `${T.database}::shop-dev-db`,
      `${T.databaseCluster}::shop-dev-db-cluster`,
      `${T.databaseDb}::shop-dev-db-db`,
      `${T.databaseUser}::shop-dev-db-user`,
      `${T.databaseFirewall}::shop-dev-db-firewall`,
      `${T.serverGroup}::shop-dev-blue`,
      `${T.droplet}::shop-dev-blue-0`,
      `${T.lb}::shop-dev-lb`,
      `${T.loadBalancer}::shop-dev-lb-blue`,
      `${T.healthGate}::shop-dev-lb-gate`,
      `${T.command}::shop-dev-lb-gate-blue`,
      `${T.loadBalancer}::shop-dev-lb-live`,
    ]);
    expect(run.get(T.databaseCluster, "shop-dev-db-cluster").inputs).toMatchObject({
      nodeCount: 1,
      version: "16",
      region: "nyc3",
    });
    expect(run.get(T.droplet, "shop-dev-blue-0").inputs).toMatchObject({
      image: "187654321",
      size: "s-1vcpu-1gb",
      region: "nyc3",
    });
  });

  it("admits the app port on the servers only from the stack's VPC, where its load balancers reach them", async () => {
    const rules = run.get(T.firewall, "shop-dev-net-firewall").inputs.inboundRules;
    expect(rules).toEqual([
      { protocol: "tcp", portRange: "8080", sourceAddresses: ["10.10.0.0/20"] },
    ]);
  });

  it("exports the live URL, no preview, the live colour, addresses and the database host", async () => {
    expect(await unwrap(run.result.liveUrl)).toMatch(/^http:\/\/198\.19\.\d+\.\d+\/$/);
    expect(run.result.previewUrl).toBeUndefined();
    expect(run.result.liveColour).toBe("blue");
    expect(await unwrap(run.result.serverAddresses)).toEqual({
      blue: [expect.stringMatching(/^198\.18\.\d+\.\d+$/)],
      green: [],
    });
    expect(await unwrapWithSecret(run.result.databaseHost as never)).toEqual({
      value: "private-shop-dev-db-cluster.db.ondigitalocean.com",
      secret: false,
    });
    expect((await unwrapWithSecret(run.result.databaseUri as never)).secret).toBe(true);
  });

  it("hands the app its database URI as a secret in its environment file", async () => {
    const userData = await unwrap(run.get(T.droplet, "shop-dev-blue-0").props.userData as never);
    expect(userData).toContain("DATABASE_URL=");
    expect(userData).toContain("mock-user-password");
    expect(userData).toContain("LOG_LEVEL=");
  });
});

describe("prod stack (Pulumi.prod.yaml)", () => {
  let run: MockStackRun<StackOutputs>;
  beforeAll(async () => {
    run = await runStack(
      "prod",
      {},
      { "phoenix:appSecrets": '{"SESSION_SECRET":"s","PAYMENT_API_KEY":"k"}' },
    );
    if (run.error) throw run.error;
  });

  it("runs two servers per colour, a two-node database, live and preview endpoints and DNS", () => {
    expect(run.ofType(T.droplet).map((r) => r.name)).toEqual([
      "shop-prod-blue-0",
      "shop-prod-blue-1",
      "shop-prod-green-0",
      "shop-prod-green-1",
    ]);
    expect(run.get(T.databaseCluster, "shop-prod-db-cluster").inputs).toMatchObject({
      nodeCount: 2,
      size: "db-s-2vcpu-4gb",
      region: "ams3",
    });
    expect(run.ofType(T.loadBalancer).map((r) => r.name)).toEqual([
      "shop-prod-lb-blue",
      "shop-prod-lb-green",
      "shop-prod-lb-live",
    ]);
    expect(run.ofType(T.dnsRecord).map((r) => [r.name, r.inputs.name, r.inputs.ttl])).toEqual([
      ["shop-prod-dns-live", "shop", 60],
      ["shop-prod-dns-preview", "shop-preview", 60],
    ]);
  });

  it("serves blue live, gates blue, and puts green on preview", async () => {
    expect(run.get(T.loadBalancer, "shop-prod-lb-live").inputs.dropletIds).toEqual(
      run.get(T.loadBalancer, "shop-prod-lb-blue").inputs.dropletIds,
    );
    expect(run.ofType(T.command).map((r) => r.name)).toEqual(["shop-prod-lb-gate-blue"]);
    expect(run.get(T.command, "shop-prod-lb-gate-blue").inputs.create).toMatch(
      /'?--successes'? '?5'? '?--timeout'? '?600'? '?--interval'? '?5'?/,
    );
    const greenLb = run.get(T.loadBalancer, "shop-prod-lb-green")
      .resource as digitalocean.LoadBalancer;
    expect(run.get(T.dnsRecord, "shop-prod-dns-preview").inputs.value).toBe(
      await unwrap(greenLb.ip),
    );
    expect(await unwrap(run.result.liveUrl)).toBe("https://shop.example.com/");
    expect(await unwrap(run.result.previewUrl as never)).toBe("http://shop-preview.example.com/");
  });

  it("admits SSH only from the admin CIDR", () => {
    const rules = run.get(T.firewall, "shop-prod-net-firewall").inputs.inboundRules as unknown[];
    expect(rules[1]).toEqual({
      protocol: "tcp",
      portRange: "22",
      sourceAddresses: ["203.0.113.0/24"],
    });
  });

  it("cuts over to green when phoenix:active is green: live serves green, gate probes green, blue on preview", async () => {
    const cut = await runStack("prod", { "phoenix:active": "green" });
    if (cut.error) throw cut.error;
    expect(cut.get(T.loadBalancer, "shop-prod-lb-live").inputs.dropletIds).toEqual(
      cut.get(T.loadBalancer, "shop-prod-lb-green").inputs.dropletIds,
    );
    expect(cut.get(T.command, "shop-prod-lb-gate-green").inputs.triggers).toEqual([
      "live=green",
      "weights=blue:0,green:100",
      "green=187655555@s-2vcpu-4gbx2",
      expect.stringMatching(/^green\.servers=[0-9a-f]{16}$/),
    ]);
    expect(cut.result.liveColour).toBe("green");
  });
});

describe("legacy stack (Pulumi.legacy.yaml): the rebuild path", () => {
  let run: MockStackRun<StackOutputs>;
  beforeAll(async () => {
    run = await runStack("legacy");
    if (run.error) throw run.error;
  });

  it("runs one server with a protected data volume behind a gated reserved IP, and no database", () => {
    expect(run.resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${T.stackReference}::phoenix-previous-deployment`,
      `${T.network}::ledger-legacy-net`,
      `${T.vpc}::ledger-legacy-net-vpc`,
      `${T.tag}::ledger-legacy-net-servers`,
      `${T.firewall}::ledger-legacy-net-firewall`,
      `${T.serverGroup}::ledger-legacy-blue`,
      `${T.volume}::ledger-legacy-blue-data-0`,
      `${T.droplet}::ledger-legacy-blue-0`,
      `${T.command}::ledger-legacy-blue-data-0-release`,
      `${T.volumeAttachment}::ledger-legacy-blue-data-0-attachment`,
      `${T.floatingIp}::ledger-legacy-ip`,
      `${T.healthGate}::ledger-legacy-ip-gate`,
      `${T.command}::ledger-legacy-ip-gate-blue`,
      `${T.reservedIp}::ledger-legacy-ip-ip`,
    ]);
    expect(run.get(T.volume, "ledger-legacy-blue-data-0").inputs.size).toBe(50);
    expect(run.result.databaseUri).toBeUndefined();
  });

  it("exports the reserved IP on the app port as the live URL", async () => {
    expect(await unwrap(run.result.liveUrl)).toMatch(/^http:\/\/198\.19\.\d+\.\d+:8443\/$/);
  });
});
