import { Network } from "../../../components/digitalocean/network";
import { runInMockStack } from "../../../tools/mock-stack";
import { PLAIN_OPTIONS, T } from "../../helpers/do-types";

const base = { region: "ams3", ipRange: "10.20.0.0/20", serverTag: "shop-prod-app", appPort: 8080 };
const outbound = [
  { protocol: "tcp", portRange: "1-65535", destinationAddresses: ["0.0.0.0/0", "::/0"] },
  { protocol: "udp", portRange: "1-65535", destinationAddresses: ["0.0.0.0/0", "::/0"] },
  { protocol: "icmp", destinationAddresses: ["0.0.0.0/0", "::/0"] },
];

describe("Network", () => {
  it("registers a VPC, the server tag and a firewall admitting the app port only from the VPC, where the load balancers reach the droplets", async () => {
    const run = await runInMockStack(
      () =>
        new Network("shop-prod-net", {
          ...base,
          appPortSource: "privateNetwork",
          adminCidrs: ["203.0.113.0/24"],
        }),
    );
    expect(run.resources.map((r) => `${r.type}::${r.name}`)).toEqual([
      `${T.network}::shop-prod-net`,
      `${T.vpc}::shop-prod-net-vpc`,
      `${T.tag}::shop-prod-net-servers`,
      `${T.firewall}::shop-prod-net-firewall`,
    ]);
    expect(run.get(T.vpc, "shop-prod-net-vpc").inputs).toEqual({
      name: "shop-prod-net-vpc",
      region: "ams3",
      ipRange: "10.20.0.0/20",
    });
    expect(run.get(T.tag, "shop-prod-net-servers").inputs).toEqual({ name: "shop-prod-app" });
    const firewall = run.get(T.firewall, "shop-prod-net-firewall");
    expect(firewall.inputs).toEqual({
      name: "shop-prod-net-firewall",
      tags: ["shop-prod-app"],
      inboundRules: [
        { protocol: "tcp", portRange: "8080", sourceAddresses: ["10.20.0.0/20"] },
        { protocol: "tcp", portRange: "22", sourceAddresses: ["203.0.113.0/24"] },
      ],
      outboundRules: outbound,
    });
    for (const r of run.resources.slice(1)) {
      expect(r.parent).toBe(`${T.network}::shop-prod-net`);
      expect(r.opts).toEqual(PLAIN_OPTIONS);
    }
  });

  it("keeps SSH closed when no admin CIDR is given", async () => {
    const run = await runInMockStack(
      () => new Network("n", { ...base, appPortSource: "privateNetwork" }),
    );
    expect(run.get(T.firewall, "n-firewall").inputs.inboundRules).toEqual([
      { protocol: "tcp", portRange: "8080", sourceAddresses: ["10.20.0.0/20"] },
    ]);
  });

  it("opens the app port to the internet only for a floating IP, which forwards public traffic", async () => {
    const run = await runInMockStack(
      () => new Network("n", { ...base, appPortSource: "anywhere" }),
    );
    expect(run.get(T.firewall, "n-firewall").inputs.inboundRules).toEqual([
      { protocol: "tcp", portRange: "8080", sourceAddresses: ["0.0.0.0/0", "::/0"] },
    ]);
  });
});
