import { dnsTtlBounded } from "../../policies/rules/dns";
import { firewallsClosed } from "../../policies/rules/firewalls";
import { serversUsePinnedImages } from "../../policies/rules/images";
import { userDataNoPlaintextSecrets } from "../../policies/rules/secrets";
import { resourcesTagged } from "../../policies/rules/tags";
import { ResourceRule, ruleConfig } from "../../policies/subject";
import { renderUserData } from "../../components/core/cloud-init/user-data";
import { subject } from "./subject-fixture";

const DROPLET = "digitalocean:index/droplet:Droplet";
const TAGS = [
  "shop-prod-app",
  "service:shop",
  "environment:prod",
  "colour:blue",
  "managed-by:phoenix",
];
const userData = renderUserData({
  service: "shop",
  environment: { LOG_LEVEL: "info", SESSION_SECRET: "s3cr3t-value" },
});
const droplet = subject(
  DROPLET,
  "shop-prod-blue-0",
  { image: "187654321", tags: TAGS, userData },
  { secretProps: ["userData"] },
);

const check = (rule: ResourceRule, s: ReturnType<typeof subject>, config = {}) =>
  rule.check(s, ruleConfig(rule, config));

describe("resource policies: a compliant resource passes, one changed field fails with the exact message", () => {
  it("servers-use-pinned-images", () => {
    expect(check(serversUsePinnedImages, droplet)).toEqual([]);
    expect(
      check(serversUsePinnedImages, {
        ...droplet,
        props: { ...droplet.props, image: "ubuntu-24-04-x64" },
      }),
    ).toEqual([
      'digitalocean:index/droplet:Droplet shop-prod-blue-0 boots from image "ubuntu-24-04-x64"; servers must boot from a pinned image: the numeric ID of a custom image or snapshot (a stock distribution slug is not a pinned release)',
    ]);
    expect(
      check(serversUsePinnedImages, { ...droplet, props: { ...droplet.props, image: "latest" } }),
    ).toHaveLength(1);
  });

  it("firewalls-closed", () => {
    const FW = "digitalocean:index/firewall:Firewall";
    const fw = subject(FW, "fw", {
      inboundRules: [
        { protocol: "tcp", portRange: "8080", sourceLoadBalancerUids: ["lb"] },
        { protocol: "tcp", portRange: "22", sourceAddresses: ["203.0.113.0/24"] },
      ],
    });
    expect(check(firewallsClosed, fw)).toEqual([]);
    expect(
      check(firewallsClosed, {
        ...fw,
        props: {
          inboundRules: [{ protocol: "tcp", portRange: "22", sourceAddresses: ["0.0.0.0/0"] }],
        },
      }),
    ).toEqual([
      'digitalocean:index/firewall:Firewall fw opens SSH (port 22, range "22") to 0.0.0.0/0; admit only named admin CIDRs or the app\'s servers',
    ]);
    expect(
      check(firewallsClosed, {
        ...fw,
        props: {
          inboundRules: [{ protocol: "tcp", portRange: "5000-6000", sourceAddresses: ["::/0"] }],
        },
      }),
    ).toEqual([
      'digitalocean:index/firewall:Firewall fw opens Postgres (port 5432, range "5000-6000") to ::/0; admit only named admin CIDRs or the app\'s servers',
    ]);
    const DBFW = "digitalocean:index/databaseFirewall:DatabaseFirewall";
    const dbfw = subject(DBFW, "dbfw", { rules: [{ type: "tag", value: "shop-prod-app" }] });
    expect(check(firewallsClosed, dbfw)).toEqual([]);
    expect(
      check(firewallsClosed, {
        ...dbfw,
        props: { rules: [{ type: "ip_addr", value: "0.0.0.0/0" }] },
      }),
    ).toEqual([
      'digitalocean:index/databaseFirewall:DatabaseFirewall dbfw admits ip_addr "0.0.0.0/0"; the database may admit only the app\'s servers',
    ]);
  });

  it("switchable-dns-ttl-bounded, with its configurable bound", () => {
    const record = subject("digitalocean:index/dnsRecord:DnsRecord", "live", {
      type: "A",
      ttl: 60,
    });
    expect(check(dnsTtlBounded, record)).toEqual([]);
    expect(check(dnsTtlBounded, { ...record, props: { type: "A", ttl: 3600 } })).toEqual([
      "digitalocean:index/dnsRecord:DnsRecord live has TTL 3600s; switchable records need a TTL of at most 300s",
    ]);
    expect(check(dnsTtlBounded, { ...record, props: { type: "A" } })).toEqual([
      "digitalocean:index/dnsRecord:DnsRecord live has TTL 1800s; switchable records need a TTL of at most 300s",
    ]);
    expect(check(dnsTtlBounded, record, { maxTtlSeconds: 30 })).toEqual([
      "digitalocean:index/dnsRecord:DnsRecord live has TTL 60s; switchable records need a TTL of at most 30s",
    ]);
    expect(check(dnsTtlBounded, { ...record, props: { type: "TXT", ttl: 3600 } })).toEqual([]);
  });

  it("resources-tagged", () => {
    expect(check(resourcesTagged, droplet)).toEqual([]);
    expect(
      check(resourcesTagged, {
        ...droplet,
        props: { ...droplet.props, tags: TAGS.filter((t) => !t.startsWith("colour:")) },
      }),
    ).toEqual(["digitalocean:index/droplet:Droplet shop-prod-blue-0 lacks the tags colour"]);
    const cluster = subject("digitalocean:index/databaseCluster:DatabaseCluster", "db", {
      tags: ["service:shop", "environment:prod", "managed-by:terraform"],
    });
    expect(check(resourcesTagged, cluster)).toEqual([
      "digitalocean:index/databaseCluster:DatabaseCluster db lacks the tags managed-by:phoenix",
    ]);
  });

  it("user-data-no-plaintext-secrets", () => {
    expect(check(userDataNoPlaintextSecrets, droplet)).toEqual([]);
    const leaky = `${userData}bootcmd:\n  - echo DB_PASSWORD=hunter2 > /tmp/x\n`;
    expect(
      check(userDataNoPlaintextSecrets, {
        ...droplet,
        props: { ...droplet.props, userData: leaky },
      }),
    ).toEqual([
      "digitalocean:index/droplet:Droplet shop-prod-blue-0 has a password, token, secret or key assignment in its user data outside the root-only environment file",
    ]);
    expect(check(userDataNoPlaintextSecrets, { ...droplet, secretProps: [] })).toEqual([
      "digitalocean:index/droplet:Droplet shop-prod-blue-0 has secrets in user data that is not a Pulumi secret; build it from secret Outputs",
    ]);
    // Where secretness is unknown (CrossGuard), only the placement is checked.
    expect(check(userDataNoPlaintextSecrets, { ...droplet, secretProps: undefined })).toEqual([]);
  });
});
