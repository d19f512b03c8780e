import * as pulumi from "@pulumi/pulumi";
import { Dns } from "../../../components/aws/dns";
import { StackOutputs } from "../../../components/core/stack-outputs";
import { MockStackRun, runInMockStack } from "../../../tools/mock-stack";
import { A } from "../../helpers/aws-types";
import { awsRun, childrenOf, outputOf, PLAIN_OPTIONS } from "./aws-runs";

type Run = MockStackRun<StackOutputs>;

describe("AWS Dns (aws-prod: alias records to the ALB)", () => {
  const DNS = "shop-aws-prod-dns";
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-prod");
  });

  it("registers the live and preview records", () => {
    expect(childrenOf(run, A.dns, DNS)).toEqual([
      `${A.record}::${DNS}-live`,
      `${A.record}::${DNS}-preview`,
    ]);
  });

  it("points both names at the ALB with alias A records in the stack's hosted zone, health-evaluated, without a TTL", async () => {
    const albDns = await outputOf(run, A.loadBalancer, "shop-aws-prod-lb-alb", "dnsName");
    const albZone = await outputOf(run, A.loadBalancer, "shop-aws-prod-lb-alb", "zoneId");
    expect(albDns).toEqual(expect.stringMatching(/\.elb\.amazonaws\.com$/));
    for (const [key, name] of [
      ["live", "shop.example.com"],
      ["preview", "shop-preview.example.com"],
    ] as const) {
      const record = run.get(A.record, `${DNS}-${key}`);
      expect(record.inputs).toEqual({
        zoneId: "Z04517273VCLIDX9UJ6KE",
        name,
        type: "A",
        aliases: [{ name: albDns, zoneId: albZone, evaluateTargetHealth: true }],
      });
      expect(record.inputs.ttl).toBeUndefined();
      expect(record.opts).toEqual(PLAIN_OPTIONS);
    }
  });
});

describe("AWS Dns (aws-legacy: no DNS settings)", () => {
  it("registers no DNS at all", async () => {
    const run = await awsRun("aws-legacy");
    expect(run.ofType(A.dns)).toEqual([]);
    expect(run.ofType(A.record)).toEqual([]);
  });
});

describe("AWS Dns (constructed alone)", () => {
  it("refuses a host name without its alias zone before registering anything", async () => {
    const run = await runInMockStack(
      () =>
        new Dns("d", {
          zoneId: "Z1",
          domain: "example.com",
          records: { live: { name: "shop", address: { hostname: pulumi.output("lb.example") } } },
        }),
    );
    expect((run.error as Error).message).toBe(
      "Dns d: records.live points at a host name without its hosted zone; allowed: an IP, or a load balancer's name with aliasZoneId (Route53 aliases need both)",
    );
    expect(run.resources).toEqual([]);
  });

  it("gives an IP address a plain A record with the TTL", async () => {
    const run = await runInMockStack(
      () =>
        new Dns("d", {
          zoneId: "Z1",
          domain: "example.com",
          ttlSeconds: 30,
          records: { live: { name: "@", address: { ip: pulumi.output("198.51.100.7") } } },
        }),
    );
    expect(run.get(A.record, "d-live").inputs).toEqual({
      zoneId: "Z1",
      name: "example.com",
      type: "A",
      records: ["198.51.100.7"],
      ttl: 30,
    });
  });
});
