import { StackOutputs } from "../../../components/core/stack-outputs";
import { MockStackRun } from "../../../tools/mock-stack";
import { A } from "../../helpers/aws-types";
import { awsRun, childrenOf, idOf, outputOf, PLAIN_OPTIONS, tagsOf } from "./aws-runs";

type Run = MockStackRun<StackOutputs>;

/** The shape of a Network's children, in the order the component registers them. */
interface Shape {
  readonly zones: number;
  readonly nats: number;
  readonly privateDefaultRoutes: boolean;
  readonly loadBalancer: boolean;
}

function expectedChildren(net: string, shape: Shape): string[] {
  const zones = Array.from({ length: shape.zones }, (_, i) => i);
  return [
    `${A.vpc}::${net}-vpc`,
    `${A.internetGateway}::${net}-igw`,
    `${A.routeTable}::${net}-public-rt`,
    `${A.route}::${net}-public-default`,
    ...zones.flatMap((i) => [
      `${A.subnet}::${net}-public-${i}`,
      `${A.routeTableAssociation}::${net}-public-${i}`,
    ]),
    ...Array.from({ length: shape.nats }, (_, i) => [
      `${A.eip}::${net}-nat-${i}`,
      `${A.natGateway}::${net}-nat-${i}`,
    ]).flat(),
    ...zones.flatMap((i) => [
      `${A.subnet}::${net}-private-${i}`,
      `${A.routeTable}::${net}-private-rt-${i}`,
      ...(shape.privateDefaultRoutes ? [`${A.route}::${net}-private-default-${i}`] : []),
      `${A.routeTableAssociation}::${net}-private-${i}`,
    ]),
    `${A.logGroup}::${net}-flow-logs`,
    `${A.role}::${net}-flow-logs`,
    `${A.rolePolicy}::${net}-flow-logs`,
    `${A.flowLog}::${net}-flow-logs`,
    ...(shape.loadBalancer ? [`${A.securityGroup}::${net}-lb-sg`] : []),
    `${A.securityGroup}::${net}-server-sg`,
    `${A.role}::${net}-server-role`,
    `${A.rolePolicyAttachment}::${net}-server-ssm`,
    `${A.instanceProfile}::${net}-server-profile`,
  ];
}

/** CIDR and zone of each subnet, by name. */
function subnetsOf(run: Run): Record<string, [unknown, unknown]> {
  return Object.fromEntries(
    run
      .ofType(A.subnet)
      .map((s) => [s.name, [s.inputs.cidrBlock, s.inputs.availabilityZone]] as const),
  );
}

const SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

describe("AWS Network (aws-prod: three zones, a NAT gateway per zone)", () => {
  const NET = "shop-aws-prod-net";
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-prod");
  });

  it("registers exactly the VPC, subnets, a NAT per zone, flow logs, both security groups and the server role", () => {
    expect(childrenOf(run, A.network, NET)).toEqual(
      expectedChildren(NET, { zones: 3, nats: 3, privateDefaultRoutes: true, loadBalancer: true }),
    );
  });

  it("cuts the VPC range into a public and a private subnet per zone, none mapping public IPs", () => {
    expect(subnetsOf(run)).toEqual({
      [`${NET}-public-0`]: ["10.30.0.0/23", "us-east-1a"],
      [`${NET}-public-1`]: ["10.30.2.0/23", "us-east-1b"],
      [`${NET}-public-2`]: ["10.30.4.0/23", "us-east-1c"],
      [`${NET}-private-0`]: ["10.30.8.0/23", "us-east-1a"],
      [`${NET}-private-1`]: ["10.30.10.0/23", "us-east-1b"],
      [`${NET}-private-2`]: ["10.30.12.0/23", "us-east-1c"],
    });
    for (const subnet of run.ofType(A.subnet)) {
      expect(subnet.inputs.mapPublicIpOnLaunch).toBe(false);
    }
  });

  it("routes each private subnet through the NAT gateway of its own zone", async () => {
    for (const i of [0, 1, 2]) {
      expect(run.get(A.route, `${NET}-private-default-${i}`).inputs).toEqual({
        routeTableId: await idOf(run, A.routeTable, `${NET}-private-rt-${i}`),
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: await idOf(run, A.natGateway, `${NET}-nat-${i}`),
      });
      expect(run.get(A.natGateway, `${NET}-nat-${i}`).inputs.subnetId).toBe(
        await idOf(run, A.subnet, `${NET}-public-${i}`),
      );
    }
  });

  it("keeps the NAT gateways' egress addresses (protected, retained on delete)", () => {
    for (const i of [0, 1, 2]) {
      const eip = run.get(A.eip, `${NET}-nat-${i}`);
      expect(eip.inputs).toEqual({
        domain: "vpc",
        tags: tagsOf(`${NET}-nat-${i}`, "shop", "aws-prod"),
      });
      expect(eip.opts).toEqual({ ...PLAIN_OPTIONS, protect: true, retainOnDelete: true });
    }
  });

  it("admits the app port on the servers only from the load balancer's group, and no SSH", async () => {
    const lbSgId = await idOf(run, A.securityGroup, `${NET}-lb-sg`);
    expect(lbSgId).toEqual(expect.stringMatching(/^sg-[0-9a-f]{17}$/));
    const serverSg = run.get(A.securityGroup, `${NET}-server-sg`);
    expect(serverSg.inputs).toEqual({
      vpcId: await idOf(run, A.vpc, `${NET}-vpc`),
      description: "Servers: the app port from the load balancer only",
      ingress: [
        {
          protocol: "tcp",
          fromPort: 8080,
          toPort: 8080,
          securityGroups: [lbSgId],
          description: "App port",
        },
      ],
      egress: [
        {
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
          description: "All outbound",
        },
      ],
      tags: tagsOf(`${NET}-server-sg`, "shop", "aws-prod"),
    });
  });

  it("opens the load balancer to HTTP and HTTPS from anywhere, and lets it out only to the app port in the VPC", async () => {
    expect(run.get(A.securityGroup, `${NET}-lb-sg`).inputs).toEqual({
      vpcId: await idOf(run, A.vpc, `${NET}-vpc`),
      description: "Load balancer: HTTP and HTTPS from the internet",
      ingress: [
        {
          protocol: "tcp",
          fromPort: 80,
          toPort: 80,
          cidrBlocks: ["0.0.0.0/0"],
          ipv6CidrBlocks: ["::/0"],
          description: "HTTP (redirected to HTTPS when TLS is on)",
        },
        {
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
          ipv6CidrBlocks: ["::/0"],
          description: "HTTPS",
        },
      ],
      egress: [
        {
          protocol: "tcp",
          fromPort: 8080,
          toPort: 8080,
          cidrBlocks: ["10.30.0.0/20"],
          description: "App port of the servers and their health checks",
        },
      ],
      tags: tagsOf(`${NET}-lb-sg`, "shop", "aws-prod"),
    });
  });

  it("lets only EC2 assume the server role, whose only managed policy is Session Manager's", () => {
    const role = run.get(A.role, `${NET}-server-role`);
    expect(role.inputs.assumeRolePolicy).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    );
    const attached = run
      .ofType(A.rolePolicyAttachment)
      .filter((a) => a.inputs.role === `${NET}-server-role`);
    expect(attached.map((a) => a.inputs)).toEqual([
      { role: `${NET}-server-role`, policyArn: SSM_CORE },
    ]);
    // No other managed policy anywhere in the stack.
    expect(run.ofType(A.rolePolicyAttachment).map((a) => a.inputs.policyArn)).toEqual([SSM_CORE]);
    expect(run.get(A.instanceProfile, `${NET}-server-profile`).inputs).toEqual({
      role: `${NET}-server-role`,
      tags: tagsOf(`${NET}-server-profile`, "shop", "aws-prod"),
    });
  });

  it("logs all VPC traffic to a log group kept 90 days, through a role that may write only there", async () => {
    const groupArn = await outputOf(run, A.logGroup, `${NET}-flow-logs`, "arn");
    expect(groupArn).toEqual(expect.stringMatching(/^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:/));
    expect(run.get(A.logGroup, `${NET}-flow-logs`).inputs).toEqual({
      retentionInDays: 90,
      tags: tagsOf(`${NET}-flow-logs`, "shop", "aws-prod"),
    });
    expect(run.get(A.flowLog, `${NET}-flow-logs`).inputs).toEqual({
      vpcId: await idOf(run, A.vpc, `${NET}-vpc`),
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: groupArn,
      iamRoleArn: await outputOf(run, A.role, `${NET}-flow-logs`, "arn"),
      tags: tagsOf(`${NET}-flow-logs`, "shop", "aws-prod"),
    });
    expect(run.get(A.role, `${NET}-flow-logs`).inputs.assumeRolePolicy).toBe(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    );
    expect(run.get(A.rolePolicy, `${NET}-flow-logs`).inputs).toEqual({
      role: await idOf(run, A.role, `${NET}-flow-logs`),
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: [
              "logs:CreateLogStream",
              "logs:PutLogEvents",
              "logs:DescribeLogGroups",
              "logs:DescribeLogStreams",
            ],
            Resource: [groupArn, `${groupArn}:*`],
          },
        ],
      }),
    });
  });
});

describe("AWS Network (aws-dev: two zones, one NAT gateway)", () => {
  const NET = "shop-aws-dev-net";
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-dev");
  });

  it("registers one NAT gateway for both zones", () => {
    expect(childrenOf(run, A.network, NET)).toEqual(
      expectedChildren(NET, { zones: 2, nats: 1, privateDefaultRoutes: true, loadBalancer: true }),
    );
  });

  it("cuts its own range into two zones' subnets", () => {
    expect(subnetsOf(run)).toEqual({
      [`${NET}-public-0`]: ["10.31.0.0/23", "eu-west-1a"],
      [`${NET}-public-1`]: ["10.31.2.0/23", "eu-west-1b"],
      [`${NET}-private-0`]: ["10.31.8.0/23", "eu-west-1a"],
      [`${NET}-private-1`]: ["10.31.10.0/23", "eu-west-1b"],
    });
  });

  it("routes both private subnets through the single NAT gateway", async () => {
    const nat = await idOf(run, A.natGateway, `${NET}-nat-0`);
    for (const i of [0, 1]) {
      expect(run.get(A.route, `${NET}-private-default-${i}`).inputs.natGatewayId).toBe(nat);
    }
    expect(run.get(A.eip, `${NET}-nat-0`).opts).toEqual({
      ...PLAIN_OPTIONS,
      protect: true,
      retainOnDelete: true,
    });
  });
});

describe("AWS Network (aws-legacy: single servers in the public subnets)", () => {
  const NET = "ledger-aws-legacy-net";
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-legacy");
  });

  it("registers no NAT gateway, no private default route and no load balancer group", () => {
    expect(childrenOf(run, A.network, NET)).toEqual(
      expectedChildren(NET, {
        zones: 2,
        nats: 0,
        privateDefaultRoutes: false,
        loadBalancer: false,
      }),
    );
    expect(run.ofType(A.natGateway)).toEqual([]);
  });

  it("cuts a /24 into /27 subnets", () => {
    expect(subnetsOf(run)).toEqual({
      [`${NET}-public-0`]: ["10.32.0.0/27", "us-east-1a"],
      [`${NET}-public-1`]: ["10.32.0.32/27", "us-east-1b"],
      [`${NET}-private-0`]: ["10.32.0.128/27", "us-east-1a"],
      [`${NET}-private-1`]: ["10.32.0.160/27", "us-east-1b"],
    });
  });

  it("admits the app port from anywhere and SSH only from the admin CIDR", () => {
    expect(run.get(A.securityGroup, `${NET}-server-sg`).inputs).toMatchObject({
      description: "Servers: the app port from anywhere (single servers behind an Elastic IP)",
      ingress: [
        {
          protocol: "tcp",
          fromPort: 8443,
          toPort: 8443,
          cidrBlocks: ["0.0.0.0/0"],
          ipv6CidrBlocks: ["::/0"],
          description: "App port",
        },
        {
          protocol: "tcp",
          fromPort: 22,
          toPort: 22,
          cidrBlocks: ["203.0.113.0/24"],
          description: "SSH from the admin CIDRs",
        },
      ],
    });
    const ingress = run.get(A.securityGroup, `${NET}-server-sg`).inputs.ingress as object[];
    expect(ingress).toHaveLength(2);
  });
});
