import {
  checkTransition,
  cutoverKeepsOldColour,
  liveServesOneColour,
  liveSwitchGated,
} from "../../policies/rules/blue-green";
import { appPortBehindEndpoint } from "../../policies/rules/firewalls";
import { databaseCredentialsSecret } from "../../policies/rules/secrets";
import { statefulResourcesProtected } from "../../policies/rules/stateful";
import { PolicySubject, StackRule, ruleConfig } from "../../policies/subject";
import { subject } from "./subject-fixture";

const T = {
  group: "phoenix:digitalocean:ServerGroup",
  lbc: "phoenix:digitalocean:LoadBalancer",
  lb: "digitalocean:index/loadBalancer:LoadBalancer",
  droplet: "digitalocean:index/droplet:Droplet",
  gate: "phoenix:core:HealthGate",
  fw: "digitalocean:index/firewall:Firewall",
  rip: "digitalocean:index/reservedIp:ReservedIp",
  volume: "digitalocean:index/volume:Volume",
  ttl: "pulumiservice:index:TtlSchedule",
};

/** A compliant blue/green stack: blue live (or a split), green built, live LB gated. */
function stack(
  weights = { blue: 100, green: 0 },
  counts = { blue: 2, green: 2 },
  liveDroplets = ["blue-0", "blue-1"],
): PolicySubject[] {
  const lbc = subject(T.lbc, "lb", { liveColour: "blue", weights, liveSwitch: "lb-live" });
  const gate = subject(T.gate, "lb-gate", {}, { parent: lbc.urn });
  const droplets = (["blue", "green"] as const).flatMap((c) =>
    Array.from({ length: counts[c] }, (_, i) =>
      subject(T.droplet, `${c}-${i}`, { tags: [`colour:${c}`] }),
    ),
  );
  const urn = (name: string) => droplets.find((d) => d.name === name)?.urn as string;
  const live = subject(
    T.lb,
    "lb-live",
    {},
    {
      parent: lbc.urn,
      dependencies: [gate.urn, ...liveDroplets.map(urn)],
      propertyDependencies: { dropletIds: liveDroplets.map(urn) },
    },
  );
  return [
    subject(T.group, "blue", { colour: "blue", count: counts.blue }),
    subject(T.group, "green", { colour: "green", count: counts.green }),
    ...droplets,
    lbc,
    gate,
    live,
  ];
}

const check = (rule: StackRule, subjects: readonly PolicySubject[]) =>
  rule.check(subjects, ruleConfig(rule));

describe("stack policies: a compliant stack passes, one changed field fails with the exact message", () => {
  it("stateful-resources-protected", () => {
    const volume = subject(T.volume, "v", {}, { protect: true, retainOnDelete: true });
    const droplet = subject(T.droplet, "d");
    const messages = (subjects: PolicySubject[]) =>
      check(statefulResourcesProtected, subjects).map((v) => [v.urn, v.message]);
    expect(messages([volume, droplet])).toEqual([]);
    expect(messages([{ ...volume, protect: false }, droplet])).toEqual([
      [
        volume.urn,
        "digitalocean:index/volume:Volume v is not protected; stateful resources need protect: true",
      ],
    ]);
    expect(messages([{ ...volume, retainOnDelete: false }])).toEqual([
      [
        volume.urn,
        "digitalocean:index/volume:Volume v is not retained on delete; stateful resources need retainOnDelete: true",
      ],
    ]);
    // CrossGuard cannot see retainOnDelete: unknown is not a violation.
    expect(messages([{ ...volume, retainOnDelete: undefined }])).toEqual([]);

    // A review stack schedules its own destroy: its data must let that destroy remove it.
    const ttl = subject(T.ttl, "phoenix-review-ttl");
    const disposable = { ...volume, protect: false, retainOnDelete: false };
    expect(messages([ttl, disposable, droplet])).toEqual([]);
    expect(messages([ttl, { ...disposable, retainOnDelete: undefined }])).toEqual([]);
    expect(messages([ttl, volume])).toEqual([
      [
        volume.urn,
        "digitalocean:index/volume:Volume v is protected, but the stack schedules its own destroy (pulumiservice:index:TtlSchedule phoenix-review-ttl), which would fail on it; need protect: false",
      ],
      [
        volume.urn,
        "digitalocean:index/volume:Volume v is retained on delete, but the stack schedules its own destroy (pulumiservice:index:TtlSchedule phoenix-review-ttl), which would leave it behind; need retainOnDelete: false",
      ],
    ]);
  });

  it("live-serves-one-colour", () => {
    expect(check(liveServesOneColour, stack())).toEqual([]);
    expect(
      check(
        liveServesOneColour,
        stack({ blue: 75, green: 25 }, { blue: 3, green: 1 }, [
          "blue-0",
          "blue-1",
          "blue-2",
          "green-0",
        ]),
      ),
    ).toEqual([]);
    expect(
      check(liveServesOneColour, stack({ blue: 100, green: 0 }, { blue: 0, green: 2 }, [])),
    ).toEqual([
      {
        urn: "urn:pulumi:prod::phoenix::phoenix:digitalocean:LoadBalancer::lb",
        message: "lb sends 100% of live traffic to blue, which has no servers",
      },
    ]);
    expect(
      check(
        liveServesOneColour,
        stack({ blue: 100, green: 0 }, { blue: 2, green: 2 }, ["blue-0", "green-0"]),
      ),
    ).toEqual([
      {
        urn: "urn:pulumi:prod::phoenix::digitalocean:index/loadBalancer:LoadBalancer::lb-live",
        message:
          "lb-live serves the servers of blue and green, but live traffic is declared for blue",
      },
    ]);
    expect(check(liveServesOneColour, stack({ blue: 90, green: 0 }))).toEqual([
      {
        urn: "urn:pulumi:prod::phoenix::phoenix:digitalocean:LoadBalancer::lb",
        message: 'lb splits live traffic {"blue":90,"green":0}, which adds up to 90, not 100',
      },
    ]);
  });

  it("live-switch-gated", () => {
    expect(check(liveSwitchGated, stack())).toEqual([]);
    const ungated = stack().map((s) =>
      s.name === "lb-live"
        ? { ...s, dependencies: s.dependencies.filter((d) => !d.includes("HealthGate")) }
        : s,
    );
    expect(check(liveSwitchGated, ungated)).toEqual([
      {
        urn: "urn:pulumi:prod::phoenix::digitalocean:index/loadBalancer:LoadBalancer::lb-live",
        message:
          "digitalocean:index/loadBalancer:LoadBalancer lb-live moves live traffic without depending on a health gate",
      },
    ]);
  });

  it("live-switch-gated follows the endpoint's declared live switch, not a naming convention", () => {
    // The child renamed, the intent not: nothing would be checked, so the rule fails.
    const renamed = stack().map((s) => (s.name === "lb-live" ? { ...s, name: "lb-main" } : s));
    expect(check(liveSwitchGated, renamed)).toEqual([
      {
        urn: "urn:pulumi:prod::phoenix::phoenix:digitalocean:LoadBalancer::lb",
        message: "lb declares lb-live as its live switch but registers no child of that name",
      },
    ]);
    const undeclared = stack().map((s) =>
      s.name === "lb" ? { ...s, props: { liveColour: "blue", weights: s.props.weights } } : s,
    );
    expect(check(liveSwitchGated, undeclared)).toEqual([
      {
        urn: "urn:pulumi:prod::phoenix::phoenix:digitalocean:LoadBalancer::lb",
        message: "lb declares no live switch (liveSwitch) in its registered intent",
      },
    ]);
  });

  it("cutover-keeps-old-colour, within a stack and across two versions", () => {
    expect(
      check(
        cutoverKeepsOldColour,
        stack({ blue: 50, green: 50 }, { blue: 2, green: 2 }, [
          "blue-0",
          "blue-1",
          "green-0",
          "green-1",
        ]),
      ),
    ).toEqual([]);
    expect(
      check(
        cutoverKeepsOldColour,
        stack({ blue: 50, green: 50 }, { blue: 0, green: 2 }, ["green-0", "green-1"]),
      ),
    ).toEqual([
      {
        urn: "urn:pulumi:prod::phoenix::phoenix:digitalocean:LoadBalancer::lb",
        message: 'lb is mid-cutover ({"blue":50,"green":50}) but blue has no servers',
      },
    ]);
    const greenLive = { blue: 0, green: 100 };
    expect(
      checkTransition(stack(), stack(greenLive, { blue: 2, green: 2 }, ["green-0", "green-1"])),
    ).toEqual([]);
    expect(
      checkTransition(stack(), stack(greenLive, { blue: 0, green: 2 }, ["green-0", "green-1"])),
    ).toEqual([
      {
        message:
          "live moves away from blue in the same change that removes blue's servers; keep blue until the cutover has proven itself, then remove it in a later change",
      },
    ]);
  });

  it("app-port-behind-endpoint", () => {
    const fw = subject(T.fw, "fw", {
      tags: ["colour:blue"],
      inboundRules: [
        { protocol: "tcp", portRange: "8080", sourceLoadBalancerUids: ["lb"] },
        { protocol: "tcp", portRange: "22", sourceAddresses: ["203.0.113.0/24"] },
      ],
    });
    expect(check(appPortBehindEndpoint, [...stack(), fw])).toEqual([]);
    const open = {
      ...fw,
      props: {
        tags: ["colour:blue"],
        inboundRules: [{ protocol: "tcp", portRange: "8080", sourceAddresses: ["0.0.0.0/0"] }],
      },
    };
    // A firewall in front of no server (a load balancer's or a database's own) answers to
    // other rules.
    expect(
      check(appPortBehindEndpoint, [...stack(), { ...open, props: { ...open.props, tags: [] } }]),
    ).toEqual([]);
    expect(check(appPortBehindEndpoint, [...stack(), open])).toEqual([
      {
        urn: fw.urn,
        message:
          "digitalocean:index/firewall:Firewall fw admits port 8080 from 0.0.0.0/0; the app port may be reached only through the stack's load balancers (from its own private network)",
      },
    ]);
    // A floating-IP stack (reserved IP, no load balancer) may open it: the IP forwards public traffic.
    expect(check(appPortBehindEndpoint, [subject(T.rip, "ip"), open])).toEqual([]);
  });

  it("database-credentials-secret", () => {
    const cluster = subject("digitalocean:index/databaseCluster:DatabaseCluster", "db", {
      password: "pw-123",
    });
    const outputs = subject(
      "pulumi:pulumi:Stack",
      "phoenix-prod",
      { databaseUri: "postgresql://shop:pw-123@h:25060/shop" },
      { secretProps: ["databaseUri"] },
    );
    expect(check(databaseCredentialsSecret, [cluster, outputs])).toEqual([]);
    expect(check(databaseCredentialsSecret, [cluster, { ...outputs, secretProps: [] }])).toEqual([
      {
        urn: outputs.urn,
        message:
          'pulumi:pulumi:Stack phoenix-prod exposes database credentials in "databaseUri" without marking it secret',
      },
    ]);
    // Unknown secretness (CrossGuard) is not judged.
    expect(
      check(databaseCredentialsSecret, [cluster, { ...outputs, secretProps: undefined }]),
    ).toEqual([]);
  });
});
