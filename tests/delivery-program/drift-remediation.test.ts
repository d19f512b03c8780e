import { factsOf } from "../../policies/facts";
import { MockStackRun, RecordedResource } from "../../tools/mock-stack";
import { StackOutputs } from "../../components/core/stack-outputs";
import { changesOf, deployed, operations, update } from "../helpers/updates";

/**
 * A deployed run as a refresh finds it after a hand change: one resource's recorded inputs
 * altered, every other resource as deployed.
 */
function drifted(
  run: MockStackRun<StackOutputs>,
  type: string,
  name: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): MockStackRun<StackOutputs> {
  const target = run.get(type, name);
  const resources: RecordedResource[] = run.resources.map((r) =>
    r === target ? { ...r, inputs: change(structuredClone(r.inputs)) } : r,
  );
  return { ...run, resources };
}

// Drift remediation is `pulumi up --refresh` of the unchanged stack: the refresh reads the hand
// change into the state, and the update puts back what the program declares. The offline diff of
// that update, per platform: only the changed resource moves back; no server, gate or live switch.
describe.each([
  [
    "prod",
    "digitalocean:index/firewall:Firewall",
    "shop-prod-net-firewall",
    (i: Record<string, unknown>) => ({
      ...i,
      inboundRules: [
        ...(i.inboundRules as unknown[]),
        { protocol: "tcp", portRange: "22", sourceAddresses: ["0.0.0.0/0"] },
      ],
    }),
  ],
  [
    "aws-prod",
    "aws:ec2/securityGroup:SecurityGroup",
    "shop-aws-prod-net-lb-sg",
    (i: Record<string, unknown>) => ({
      ...i,
      ingress: [
        ...((i.ingress as unknown[]) ?? []),
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
      ],
    }),
  ],
  [
    "vsphere-prod",
    "aws:route53/record:Record",
    "shop-vsphere-prod-dns-live",
    (i: Record<string, unknown>) => ({ ...i, ttl: 3600 }),
  ],
])("drift put back on %s", (stack, type, name, change) => {
  let ops: Record<string, string>;
  let next: MockStackRun<StackOutputs>;
  beforeAll(async () => {
    const live = await deployed(stack);
    next = await update(live, stack);
    ops = operations(changesOf(drifted(live, type, name, change), next));
  });

  it(`updates ${name} back to what the program declares, and nothing else`, () => {
    expect(ops).toEqual({ [name]: "update" });
  });

  it("touches no server and re-runs no gate, so the live switch stays where it is", () => {
    const untouched = next.resources.filter(
      // Gate probes and live switches are commands: a re-run would be an operation on one.
      (r) => factsOf(r.type)?.server !== undefined || r.type.startsWith("command:"),
    );
    expect(untouched.length).toBeGreaterThan(0);
    for (const r of untouched) expect(ops[r.name]).toBeUndefined();
    expect(next.diagnostics.filter((d) => /cutover|switch/i.test(d.message))).toEqual([]);
  });
});
