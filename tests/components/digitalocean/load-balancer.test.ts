import * as pulumi from "@pulumi/pulumi";
import { BlueGreenPlan, planBlueGreen } from "../../../components/core/blue-green-plan";
import { validatedConfig } from "../../helpers/validate";
import { LoadBalancer, LoadBalancerArgs } from "../../../components/digitalocean/load-balancer";
import { runInMockStack, unwrap } from "../../../tools/mock-stack";
import { PLAIN_OPTIONS, T } from "../../helpers/do-types";

function plan(raw: Record<string, string>): BlueGreenPlan {
  return planBlueGreen(validatedConfig({ service: "shop", ...raw }, { stack: "prod" }));
}

const gate = { successes: 3, timeoutSeconds: 120, intervalSeconds: 2 };
const both = plan({
  active: "green",
  blueCount: "2",
  blueImage: "101",
  greenCount: "2",
  greenImage: "102",
});
const args = (p: BlueGreenPlan, ids: LoadBalancerArgs["dropletIds"]): LoadBalancerArgs => ({
  region: "ams3",
  vpcId: "vpc-1",
  appPort: 8080,
  healthCheckPath: "/healthz",
  plan: p,
  dropletIds: ids,
  gate,
});

describe("LoadBalancer", () => {
  it("registers a colour endpoint per colour, the gate, and the live endpoint that waits for the gate", async () => {
    const run = await runInMockStack(
      () => new LoadBalancer("shop-prod-lb", args(both, { blue: [1, 2], green: [3, 4] })),
    );
    expect(run.resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${T.lb}::shop-prod-lb`,
      `${T.loadBalancer}::shop-prod-lb-blue`,
      `${T.loadBalancer}::shop-prod-lb-green`,
      `${T.healthGate}::shop-prod-lb-gate`,
      `${T.command}::shop-prod-lb-gate-green`,
      `${T.loadBalancer}::shop-prod-lb-live`,
    ]);
    const live = run.get(T.loadBalancer, "shop-prod-lb-live");
    expect(live.opts).toEqual({
      ...PLAIN_OPTIONS,
      dependsOn: [`${T.healthGate}::shop-prod-lb-gate`],
    });
    expect(live.inputs).toEqual({
      name: "shop-prod-lb-live",
      region: "ams3",
      vpcUuid: "vpc-1",
      dropletIds: [3, 4],
      forwardingRules: [
        { entryPort: 80, entryProtocol: "http", targetPort: 8080, targetProtocol: "http" },
      ],
      healthcheck: {
        protocol: "http",
        port: 8080,
        path: "/healthz",
        checkIntervalSeconds: 10,
        responseTimeoutSeconds: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
      },
      disableLetsEncryptDnsRecords: true,
    });
    expect(run.get(T.loadBalancer, "shop-prod-lb-blue").inputs.dropletIds).toEqual([1, 2]);
    expect(run.get(T.loadBalancer, "shop-prod-lb-blue").opts).toEqual(PLAIN_OPTIONS);
    // Colour endpoints pin a client to a droplet, for the gate to prove each droplet.
    expect(run.get(T.loadBalancer, "shop-prod-lb-blue").inputs.stickySessions).toEqual({
      type: "cookies",
      cookieName: "PHOENIX_SERVER",
      cookieTtlSeconds: 300,
    });
    expect(run.get(T.loadBalancer, "shop-prod-lb-green").inputs.dropletIds).toEqual([3, 4]);
  });

  it("proves every droplet of the colour going live through its own endpoint, re-running when anything that goes into them changes", async () => {
    const run = await runInMockStack(
      () =>
        new LoadBalancer("lb", {
          ...args(both, { blue: [1, 2], green: [3, 4] }),
          fingerprints: { blue: "f-blue", green: "f-green" },
        }),
    );
    const probe = run.get(T.command, "lb-gate-green");
    expect(probe.parent).toBe(`${T.healthGate}::lb-gate`);
    expect(probe.opts).toEqual({ ...PLAIN_OPTIONS, replaceOnChanges: ["triggers", "triggers[*]"] });
    expect(probe.inputs.triggers).toEqual([
      "live=green",
      "weights=blue:0,green:100",
      "green=102@s-1vcpu-1gbx2",
      "green.servers=f-green",
    ]);
    const greenIp = await unwrap(run.result.colourIps.green as pulumi.Output<string>);
    expect(probe.inputs.create).toContain(`http://${greenIp}:80/healthz`);
    expect(probe.inputs.create).toContain("--servers 2 --affinity-cookie PHOENIX_SERVER");
    expect(probe.inputs.create).toContain("components/core/health-probe.sh");
    expect(probe.inputs.update).toBe(probe.inputs.create);
  });

  it("serves the preview endpoint from the non-live colour", async () => {
    const run = await runInMockStack(
      () => new LoadBalancer("lb", args(both, { blue: [1, 2], green: [3, 4] })),
    );
    expect(await unwrap(run.result.previewIp as pulumi.Output<string>)).toBe(
      await unwrap(run.result.colourIps.blue as pulumi.Output<string>),
    );
    expect(await unwrap(run.result.loadBalancerUids)).toEqual([
      "lb-live-id",
      "lb-blue-id",
      "lb-green-id",
    ]);
  });

  it("has no preview endpoint when only the live colour has servers", async () => {
    const p = plan({ active: "blue", blueCount: "1", blueImage: "101" });
    const run = await runInMockStack(() => new LoadBalancer("lb", args(p, { blue: [1] })));
    expect(run.result.previewIp).toBeUndefined();
    expect(run.ofType(T.loadBalancer).map((r) => r.name)).toEqual(["lb-blue", "lb-live"]);
  });

  it("sends a canary's live traffic to both colours and gates both", async () => {
    const p = plan({
      active: "blue",
      blueCount: "3",
      blueImage: "101",
      greenCount: "1",
      greenImage: "102",
      canaryWeight: "25",
    });
    const run = await runInMockStack(
      () => new LoadBalancer("lb", args(p, { blue: [1, 2, 3], green: [4] })),
    );
    expect(run.get(T.loadBalancer, "lb-live").inputs.dropletIds).toEqual([1, 2, 3, 4]);
    expect(run.ofType(T.command).map((r) => r.name)).toEqual(["lb-gate-blue", "lb-gate-green"]);
  });

  it("refuses droplet IDs that disagree with the plan", async () => {
    const run = await runInMockStack(() => new LoadBalancer("lb", args(both, { blue: [1, 2] })));
    expect((run.error as Error).message).toBe(
      "LoadBalancer lb: dropletIds.green must be given exactly when the plan gives green servers (plan count 2)",
    );
    expect(run.resources).toEqual([]);
  });

  it("terminates TLS on the live endpoint only, redirecting HTTP, when given a certificate", async () => {
    const run = await runInMockStack(
      () =>
        new LoadBalancer("lb", {
          ...args(both, { blue: [1, 2], green: [3, 4] }),
          certificateName: "shop-example-com",
        }),
    );
    const http = { entryPort: 80, entryProtocol: "http", targetPort: 8080, targetProtocol: "http" };
    expect(run.get(T.loadBalancer, "lb-live").inputs).toMatchObject({
      forwardingRules: [
        http,
        { ...http, entryPort: 443, entryProtocol: "https", certificateName: "shop-example-com" },
      ],
      redirectHttpToHttps: true,
    });
    for (const colour of ["lb-blue", "lb-green"]) {
      expect(run.get(T.loadBalancer, colour).inputs.forwardingRules).toEqual([http]);
      expect(run.get(T.loadBalancer, colour).inputs.redirectHttpToHttps).toBeUndefined();
    }
  });
});
