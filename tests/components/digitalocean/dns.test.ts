import * as pulumi from "@pulumi/pulumi";
import { Dns } from "../../../components/digitalocean/dns";
import { runInMockStack } from "../../../tools/mock-stack";
import { PLAIN_OPTIONS, T } from "../../helpers/do-types";

describe("Dns", () => {
  it("registers one short-TTL A record per endpoint", async () => {
    const run = await runInMockStack(
      () =>
        new Dns("shop-prod-dns", {
          domain: "example.com",
          ttlSeconds: 60,
          records: {
            live: { name: "shop", address: { ip: pulumi.output("198.51.100.1") } },
            preview: { name: "shop-preview", address: { ip: pulumi.output("198.51.100.2") } },
          },
        }),
    );
    expect(run.resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${T.dns}::shop-prod-dns`,
      `${T.dnsRecord}::shop-prod-dns-live`,
      `${T.dnsRecord}::shop-prod-dns-preview`,
    ]);
    expect(run.get(T.dnsRecord, "shop-prod-dns-live").inputs).toEqual({
      domain: "example.com",
      name: "shop",
      type: "A",
      value: "198.51.100.1",
      ttl: 60,
    });
    expect(run.get(T.dnsRecord, "shop-prod-dns-preview").inputs).toEqual({
      domain: "example.com",
      name: "shop-preview",
      type: "A",
      value: "198.51.100.2",
      ttl: 60,
    });
    expect(run.get(T.dnsRecord, "shop-prod-dns-live").opts).toEqual(PLAIN_OPTIONS);
  });

  it("defaults the TTL to 60 seconds", async () => {
    const run = await runInMockStack(
      () =>
        new Dns("d", {
          domain: "example.com",
          records: { live: { name: "@", address: { ip: pulumi.output("192.0.2.1") } } },
        }),
    );
    expect(run.get(T.dnsRecord, "d-live").inputs.ttl).toBe(60);
  });

  it("points a record at a host name with a fully qualified CNAME", async () => {
    const run = await runInMockStack(
      () =>
        new Dns("d", {
          domain: "example.com",
          records: {
            live: { name: "shop", address: { hostname: pulumi.output("lb.example.net") } },
          },
        }),
    );
    expect(run.get(T.dnsRecord, "d-live").inputs).toMatchObject({
      type: "CNAME",
      value: "lb.example.net.",
    });
  });
});
