import { rdsWindows } from "../../components/aws/database";
import { AwsSettings } from "../../components/aws/settings";
import { zoneSubnets } from "../../components/aws/subnets";
import { AWS_REGIONS, AWS_VALUES, awsCrossCheck } from "../../components/aws/values";
import { ConfigError } from "../../components/core/config/config-error";
import { DraftStackConfig } from "../../components/core/config/stack-config";
import { validateSettings } from "../helpers/validate";

/** AWS's own value rules, checks across settings, subnet plan, RDS windows and settings. */

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/4f1e2d3c-5b6a-4978-8e9f-0a1b2c3d4e5f";

describe("AWS_VALUES", () => {
  const cases: ReadonlyArray<[keyof typeof AWS_VALUES, readonly string[], readonly string[]]> = [
    [
      "region",
      ["us-east-1", "us-west-2", "eu-west-2", "ap-southeast-7", "mx-central-1", "il-central-1"],
      ["nyc3", "US-EAST-1", "us-east-1a", "us-east", "us-gov-west-1", "cn-north-1", " us-east-1"],
    ],
    [
      "serverSize",
      [
        "t3.small",
        "t3.micro",
        "t3.nano",
        "m7i.large",
        "m5.xlarge",
        "c7gn.16xlarge",
        "x2iedn.metal",
        "m7i.metal-24xl",
        "m7i-flex.large",
        "u-6tb1.metal",
        "r6a.48xlarge",
        "t4g.2xlarge",
      ],
      [
        "t3",
        "T3.small",
        "m7i.large ",
        " m7i.large",
        "t3.Small",
        "t3.huge",
        "m.large",
        "t3.1234xlarge",
        "db.t4g.micro",
        "t3..small",
        "",
      ],
    ],
    [
      "image",
      ["ami-12345678", "ami-0123456789abcdef0", "ami-0c7217cdde317cfec"],
      [
        "ami-XYZ",
        "ubuntu-22.04",
        "ami-1234567",
        "ami-123456789",
        "ami-0123456789ABCDEF0",
        "ami-0123456789abcdef",
        "latest",
        "resolve:ssm:/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
        "ami-0123456789abcdef0 ",
      ],
    ],
    [
      "databaseSize",
      ["db.t4g.micro", "db.t3.small", "db.m7g.large", "db.r6gd.16xlarge", "db.x2iedn.32xlarge"],
      ["t4g.micro", "db.t4g", "DB.t4g.micro", "db.t4g.Micro", "db-s-1vcpu-1gb", "db.m7g.metal"],
    ],
    ["databaseVersion", ["14", "15", "16", "17", "18"], ["13", "17.2", "postgres17", ""]],
    [
      "certificate",
      [CERT, "arn:aws:acm:eu-west-2:000000000000:certificate/00000000-0000-0000-0000-000000000000"],
      [
        "shop-cert",
        CERT.replace("4f1e2d3c", "4F1E2D3C"),
        CERT.replace("123456789012", "12345678901"),
        CERT.replace("arn:aws:", "arn:aws-us-gov:"),
        "arn:aws:iam::123456789012:server-certificate/shop",
        `${CERT}/extra`,
        "arn:aws:acm:us-east-1a:123456789012:certificate/4f1e2d3c-5b6a-4978-8e9f-0a1b2c3d4e5f",
      ],
    ],
  ];
  const good = cases.flatMap(([rule, ok]) => ok.map((v) => [rule, v] as const));
  const bad = cases.flatMap(([rule, , no]) => no.map((v) => [rule, v] as const));

  it.each(good)("%s accepts %j", (rule, value) => {
    expect(AWS_VALUES[rule]?.test(value)).toBe(true);
  });

  it.each(bad)("%s refuses %j", (rule, value) => {
    expect(AWS_VALUES[rule]?.test(value)).toBe(false);
  });

  it("says what each rule allows", () => {
    expect(AWS_VALUES.region?.allowed).toBe(`an AWS region: one of ${AWS_REGIONS.join(", ")}`);
    expect(AWS_VALUES.serverSize?.allowed).toBe(
      "an EC2 instance type such as t3.small or m7i.large",
    );
    expect(AWS_VALUES.image?.allowed).toBe(
      "an AMI ID such as ami-0123456789abcdef0 (a name, an SSM parameter or 'latest' is not a pinned release)",
    );
    expect(AWS_VALUES.databaseSize?.allowed).toBe(
      "an RDS instance class such as db.t4g.micro or db.m7g.large",
    );
    expect(AWS_VALUES.certificate?.allowed).toBe(
      "the ARN of an ACM certificate, arn:aws:acm:<region>:<account>:certificate/<uuid>",
    );
  });

  it("lists commercial regions only, each once and sorted", () => {
    expect([...AWS_REGIONS].sort()).toEqual([...AWS_REGIONS]);
    expect(new Set(AWS_REGIONS).size).toBe(AWS_REGIONS.length);
    for (const r of AWS_REGIONS) expect(r).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
  });
});

describe("awsCrossCheck", () => {
  const database = {
    engineVersion: "17",
    size: "db.t4g.micro",
    nodeCount: 2,
    name: "shop",
    user: "shop",
    maintenanceDay: "sunday",
    maintenanceHour: "03:00",
  };
  const draft: DraftStackConfig = {
    platform: "aws",
    region: "us-east-1",
    endpoint: "loadBalancer",
    tlsCertificateName: CERT,
    database,
    network: { vpcCidr: "10.30.0.0/20", adminCidrs: [] },
  };

  it("finds nothing wrong with a consistent stack", () => {
    expect(awsCrossCheck(draft)).toEqual([]);
    expect(awsCrossCheck({})).toEqual([]);
  });

  it("refuses a certificate of another region", () => {
    expect(
      awsCrossCheck({ ...draft, tlsCertificateName: CERT.replace("us-east-1", "eu-west-1") }),
    ).toEqual([
      {
        setting: "tlsCertificateName",
        received: "a certificate in eu-west-1",
        allowed:
          "an ACM certificate in the stack's region us-east-1 (an ALB uses certificates of its own region)",
      },
    ]);
  });

  it("refuses more than two database nodes", () => {
    expect(awsCrossCheck({ ...draft, database: { ...database, nodeCount: 3 } })).toEqual([
      {
        setting: "dbNodeCount",
        received: '"3"',
        allowed: "1 (single-AZ) or 2 (Multi-AZ: a primary and one synchronous standby) on AWS",
      },
    ]);
    expect(awsCrossCheck({ ...draft, database: { ...database, nodeCount: 1 } })).toEqual([]);
  });

  it("refuses a data volume behind a load balancer, not on the single-server path", () => {
    const dataVolume = { sizeGiB: 10, mountPath: "/var/lib/shop", filesystem: "ext4" as const };
    expect(awsCrossCheck({ ...draft, dataVolume })).toEqual([
      {
        setting: "dataVolumeSizeGiB",
        received: "10 with phoenix:endpoint loadBalancer",
        allowed:
          "0 with a load balancer on AWS (an auto scaling group cannot re-attach a given volume); " +
          "data volumes belong to the single-server rebuild path, phoenix:endpoint floatingIp",
      },
    ]);
    expect(awsCrossCheck({ ...draft, endpoint: "floatingIp", dataVolume })).toEqual([]);
  });

  it.each(["10.30.0.0/26", "10.30.0.0/28"])(
    "refuses a VPC range narrower than /25 (%s)",
    (cidr) => {
      expect(awsCrossCheck({ ...draft, network: { vpcCidr: cidr, adminCidrs: [] } })).toEqual([
        {
          setting: "vpcCidr",
          received: JSON.stringify(cidr),
          allowed: "a range of /25 or wider on AWS (it is cut into eight subnets of at least /28)",
        },
      ]);
    },
  );

  it("accepts a /25 VPC", () => {
    expect(
      awsCrossCheck({ ...draft, network: { vpcCidr: "10.30.0.0/25", adminCidrs: [] } }),
    ).toEqual([]);
  });

  it("reports every problem at once", () => {
    expect(
      awsCrossCheck({
        ...draft,
        tlsCertificateName: CERT.replace("us-east-1", "eu-west-1"),
        database: { ...database, nodeCount: 3 },
        network: { vpcCidr: "10.30.0.0/26", adminCidrs: [] },
      }).map((p) => p.setting),
    ).toEqual(["tlsCertificateName", "dbNodeCount", "vpcCidr"]);
  });
});

describe("zoneSubnets", () => {
  it("cuts 10.30.0.0/20 into eight /23 blocks: public 0-2, private 4-6 for three zones", () => {
    expect(zoneSubnets("10.30.0.0/20", 3)).toEqual([
      { public: "10.30.0.0/23", private: "10.30.8.0/23" },
      { public: "10.30.2.0/23", private: "10.30.10.0/23" },
      { public: "10.30.4.0/23", private: "10.30.12.0/23" },
    ]);
  });

  it("keeps a zone's subnets where they are when a zone is added", () => {
    const three = zoneSubnets("10.30.0.0/20", 3);
    const four = zoneSubnets("10.30.0.0/20", 4);
    expect(four.slice(0, 3)).toEqual(three);
    expect(four[3]).toEqual({ public: "10.30.6.0/23", private: "10.30.14.0/23" });
  });

  it.each([
    [
      "10.0.0.0/16",
      2,
      [
        { public: "10.0.0.0/19", private: "10.0.128.0/19" },
        { public: "10.0.32.0/19", private: "10.0.160.0/19" },
      ],
    ],
    [
      "192.168.1.0/25",
      2,
      [
        { public: "192.168.1.0/28", private: "192.168.1.64/28" },
        { public: "192.168.1.16/28", private: "192.168.1.80/28" },
      ],
    ],
    ["172.16.0.0/12", 1, [{ public: "172.16.0.0/15", private: "172.24.0.0/15" }]],
  ] as const)("cuts %s for %d zones", (cidr, zones, expected) => {
    expect(zoneSubnets(cidr, zones)).toEqual(expected);
  });

  it.each([
    ["10.30.0.0/26", 2, "vpcCidr 10.30.0.0/26: allowed: an IPv4 range of /25 or wider"],
    ["10.30.0.0/28", 2, "vpcCidr 10.30.0.0/28: allowed: an IPv4 range of /25 or wider"],
    ["10.30.0.0", 2, "vpcCidr 10.30.0.0: allowed: an IPv4 range of /25 or wider"],
    ["not a cidr", 2, "vpcCidr not a cidr: allowed: an IPv4 range of /25 or wider"],
    ["10.30.0.0/20", 0, "zones 0: allowed: 1 to 4"],
    ["10.30.0.0/20", 5, "zones 5: allowed: 1 to 4"],
  ] as const)("refuses %s with %d zones", (cidr, zones, message) => {
    expect(() => zoneSubnets(cidr, zones)).toThrow(new Error(message));
  });
});

describe("rdsWindows", () => {
  it.each([
    ["sunday", "03:00", "sun:03:00-sun:04:00", "01:00-02:00"],
    ["sunday", "23:30", "sun:23:30-mon:00:30", "21:30-22:30"],
    ["saturday", "23:00", "sat:23:00-sun:00:00", "21:00-22:00"],
    ["monday", "00:15", "mon:00:15-mon:01:15", "22:15-23:15"],
    ["wednesday", "01:45", "wed:01:45-wed:02:45", "23:45-00:45"],
    ["friday", "12:00", "fri:12:00-fri:13:00", "10:00-11:00"],
  ])("%s %s: maintenance %s, backup %s", (day, start, maintenance, backup) => {
    expect(rdsWindows(day, start)).toEqual({ maintenance, backup });
  });

  it.each([
    ["Sunday", "03:00"],
    ["sun", "03:00"],
    ["someday", "03:00"],
    ["", "03:00"],
    ["sunday", "3:00"],
    ["sunday", "03:00:00"],
    ["sunday", "0300"],
    ["sunday", ""],
  ])("refuses %j %j", (day, start) => {
    expect(() => rdsWindows(day, start)).toThrow(
      new Error(`maintenance window ${day} ${start}: allowed: a weekday and HH:MM`),
    );
  });
});

describe("readAwsSettings, through the real validator", () => {
  /** A valid AWS stack; each case changes it (undefined removes a setting). */
  const BASE: Readonly<Record<string, string>> = {
    platform: "aws",
    region: "us-east-1",
    "aws:region": "us-east-1",
    service: "shop",
    blueImage: "ami-0c7217cdde317cfec",
    awsZones: JSON.stringify(["us-east-1a", "us-east-1b"]),
    dnsDomain: "example.com",
    awsHostedZoneId: "Z04517273VCLIDX9UJ6KE",
  };

  function settings(changes: Record<string, string | undefined>): Record<string, string> {
    return Object.fromEntries(
      Object.entries({ ...BASE, ...changes }).filter(
        (e): e is [string, string] => e[1] !== undefined,
      ),
    );
  }

  function problems(changes: Record<string, string | undefined>): readonly string[] {
    try {
      validateSettings(settings(changes));
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
  }

  it.each([
    [
      "unset",
      undefined,
      'aws:region: received nothing; allowed: "us-east-1", the region of phoenix:region (the AWS provider builds in aws:region; set both to the same region)',
    ],
    [
      "another region",
      "eu-west-1",
      'aws:region: received "eu-west-1"; allowed: "us-east-1", the region of phoenix:region (the AWS provider builds in aws:region; set both to the same region)',
    ],
  ])("refuses aws:region %s: the provider would build elsewhere", (_what, value, message) => {
    expect(problems({ "aws:region": value })).toEqual([message]);
  });

  it("reads a valid stack, with the defaults", () => {
    expect(validateSettings(settings({})).platformSettings).toEqual<AwsSettings>({
      zones: ["us-east-1a", "us-east-1b"],
      natGateways: "single",
      hostedZoneId: "Z04517273VCLIDX9UJ6KE",
      loadBalancerDeletionProtection: true,
      accessLogBucket: undefined,
    });
  });

  it("reads every setting when given", () => {
    expect(
      validateSettings(
        settings({
          awsZones: JSON.stringify(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]),
          awsNatGateways: "perZone",
          awsLoadBalancerDeletionProtection: "false",
          awsAccessLogBucket: "shop-alb-logs.example",
        }),
      ).platformSettings,
    ).toEqual<AwsSettings>({
      zones: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"],
      natGateways: "perZone",
      hostedZoneId: "Z04517273VCLIDX9UJ6KE",
      loadBalancerDeletionProtection: false,
      accessLogBucket: "shop-alb-logs.example",
    });
  });

  it("reads a floating-IP stack without DNS", () => {
    expect(
      validateSettings(
        settings({ endpoint: "floatingIp", dnsDomain: undefined, awsHostedZoneId: undefined }),
      ).platformSettings,
    ).toEqual<AwsSettings>({
      zones: ["us-east-1a", "us-east-1b"],
      natGateways: "single",
      hostedZoneId: undefined,
      loadBalancerDeletionProtection: true,
      accessLogBucket: undefined,
    });
  });

  const ZONES_ALLOWED =
    "two to four distinct availability zones of phoenix:region (us-east-1a, us-east-1b, ...)";

  it.each<[string, Record<string, string | undefined>, string[]]>([
    [
      "awsZones unset",
      { awsZones: undefined },
      [`phoenix:awsZones: received nothing; allowed: ${ZONES_ALLOWED} (required)`],
    ],
    [
      "one zone",
      { awsZones: '["us-east-1a"]' },
      [`phoenix:awsZones: received 1 zone(s); allowed: ${ZONES_ALLOWED}`],
    ],
    [
      "a zone of another region",
      { awsZones: '["us-east-1a","us-west-2b"]' },
      [
        `phoenix:awsZones: received "us-west-2b", not a zone of us-east-1; allowed: ${ZONES_ALLOWED}`,
      ],
    ],
    [
      "the same zone twice",
      { awsZones: '["us-east-1a","us-east-1a"]' },
      [`phoenix:awsZones: received "us-east-1a" twice; allowed: ${ZONES_ALLOWED}`],
    ],
    [
      "five zones",
      { awsZones: '["us-east-1a","us-east-1b","us-east-1c","us-east-1d","us-east-1e"]' },
      [`phoenix:awsZones: received 5 zone(s); allowed: ${ZONES_ALLOWED}`],
    ],
    [
      "a region, not a zone",
      { awsZones: '["us-east-1","us-east-1b"]' },
      [
        `phoenix:awsZones: received "us-east-1", not a zone of us-east-1; allowed: ${ZONES_ALLOWED}`,
      ],
    ],
    [
      "awsNatGateways both",
      { awsNatGateways: "both" },
      ['phoenix:awsNatGateways: received "both"; allowed: one of single, perZone'],
    ],
    [
      "dnsDomain without awsHostedZoneId",
      { awsHostedZoneId: undefined },
      [
        "phoenix:awsHostedZoneId: received nothing; allowed: a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ, required because phoenix:dnsDomain is set",
      ],
    ],
    [
      "a malformed awsHostedZoneId",
      { awsHostedZoneId: "example.com" },
      [
        'phoenix:awsHostedZoneId: received "example.com"; allowed: a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ',
      ],
    ],
    [
      "awsHostedZoneId without dnsDomain",
      { endpoint: "floatingIp", dnsDomain: undefined },
      [
        'phoenix:awsHostedZoneId: received "Z04517273VCLIDX9UJ6KE"; allowed: nothing while phoenix:dnsDomain is unset, as it has no effect then',
      ],
    ],
    [
      "a load balancer endpoint without dnsDomain",
      { endpoint: "loadBalancer", dnsDomain: undefined, awsHostedZoneId: undefined },
      [
        "phoenix:dnsDomain: received nothing; allowed: a domain in a Route53 hosted zone, with phoenix:awsHostedZoneId (on AWS the preview colour is reached on its own host name through a listener rule); or phoenix:endpoint floatingIp for a single server",
      ],
    ],
    [
      "awsAccessLogBucket Bad_Bucket",
      { awsAccessLogBucket: "Bad_Bucket" },
      [
        'phoenix:awsAccessLogBucket: received "Bad_Bucket"; allowed: an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)',
      ],
    ],
    [
      "awsLoadBalancerDeletionProtection yes",
      { awsLoadBalancerDeletionProtection: "yes" },
      ['phoenix:awsLoadBalancerDeletionProtection: received "yes"; allowed: true or false'],
    ],
  ])("%s", (_, changes, expected) => {
    expect(problems(changes)).toEqual(expected);
  });

  it("reports the AWS cross-checks through the validator", () => {
    expect(problems({ database: "true", dbNodeCount: "3" })).toEqual([
      'phoenix:dbNodeCount: received "3"; allowed: 1 (single-AZ) or 2 (Multi-AZ: a primary and one synchronous standby) on AWS',
    ]);
    expect(problems({ dataVolumeSizeGiB: "10" })).toEqual([
      "phoenix:dataVolumeSizeGiB: received 10 with phoenix:endpoint loadBalancer; allowed: 0 with a load balancer on AWS (an auto scaling group cannot re-attach a given volume); data volumes belong to the single-server rebuild path, phoenix:endpoint floatingIp",
    ]);
  });

  // The validator hands crossCheck the certificate and the network too.
  it("reports a certificate of another region through the validator", () => {
    expect(problems({ tlsCertificateName: CERT.replace("us-east-1", "eu-west-1") })).toEqual([
      "phoenix:tlsCertificateName: received a certificate in eu-west-1; allowed: an ACM certificate in the stack's region us-east-1 (an ALB uses certificates of its own region)",
    ]);
  });

  it("reports a VPC range narrower than /25 through the validator", () => {
    expect(problems({ vpcCidr: "10.30.0.0/26" })).toEqual([
      'phoenix:vpcCidr: received "10.30.0.0/26"; allowed: a range of /25 or wider on AWS (it is cut into eight subnets of at least /28)',
    ]);
  });
});
