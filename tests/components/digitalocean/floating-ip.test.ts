import { FloatingIp } from "../../../components/digitalocean/floating-ip";
import { runInMockStack, unwrap } from "../../../tools/mock-stack";
import { PLAIN_OPTIONS, T } from "../../helpers/do-types";

describe("FloatingIp", () => {
  it("gates the droplet directly, then moves the protected reserved IP to it in place", async () => {
    const run = await runInMockStack(
      () =>
        new FloatingIp("ledger-legacy-ip", {
          region: "fra1",
          target: "blue",
          dropletId: 42,
          dropletIp: "203.0.113.9",
          appPort: 8443,
          healthCheckPath: "/health",
          gate: { successes: 3, timeoutSeconds: 300, intervalSeconds: 5 },
          triggers: ["live=blue", "blue=187659999@s-2vcpu-2gb"],
        }),
    );
    expect(run.resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${T.floatingIp}::ledger-legacy-ip`,
      `${T.healthGate}::ledger-legacy-ip-gate`,
      `${T.command}::ledger-legacy-ip-gate-blue`,
      `${T.reservedIp}::ledger-legacy-ip-ip`,
    ]);
    const reserved = run.get(T.reservedIp, "ledger-legacy-ip-ip");
    expect(reserved.inputs).toEqual({ region: "fra1", dropletId: 42 });
    expect(reserved.opts).toEqual({
      ...PLAIN_OPTIONS,
      protect: true,
      retainOnDelete: true,
      dependsOn: [`${T.healthGate}::ledger-legacy-ip-gate`],
    });
    const probe = run.get(T.command, "ledger-legacy-ip-gate-blue");
    expect(probe.inputs.create).toContain("http://203.0.113.9:8443/health");
    expect(probe.inputs.triggers).toEqual(["live=blue", "blue=187659999@s-2vcpu-2gb"]);
    expect(await unwrap(run.result.ip)).toMatch(/^198\.19\.\d+\.\d+$/);
  });
});
