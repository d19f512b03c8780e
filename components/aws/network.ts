import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { TagContext } from "../core/tags";
import { NatGateways } from "./settings";
import { zoneSubnets } from "./subnets";
import { awsTags } from "./tags";

/** Arguments of a {@link Network}. */
export interface NetworkArgs {
  /** Service and environment, for names and tags. */
  readonly tags: TagContext;
  /** Private IPv4 range of the VPC, e.g. `10.10.0.0/20`, cut into eight subnets. */
  readonly cidr: string;
  /** Availability zones, two to four; the first holds single stateful servers. */
  readonly zones: readonly string[];
  /** TCP port the app listens on. */
  readonly appPort: number;
  /**
   * Who reaches the app port: the load balancer's security group, or anyone (single servers
   * behind an Elastic IP, which answer the internet themselves).
   */
  readonly appAccess: "loadBalancer" | "anywhere";
  /**
   * CIDRs allowed to reach SSH (port 22). Session Manager needs no open port.
   * @default [] (SSH closed)
   */
  readonly adminCidrs?: readonly string[];
  /**
   * One NAT gateway for the VPC, or one per zone so that a zone's outage does not cut the
   * others' egress. None when the servers are single servers in the public subnets.
   * @default "single"
   */
  readonly natGateways?: NatGateways;
  /**
   * Days the VPC flow logs are kept.
   * @default 90
   */
  readonly flowLogRetentionDays?: number;
}

const ANYWHERE_V4 = "0.0.0.0/0";
const ANYWHERE_V6 = "::/0";

/** The managed policy Session Manager needs on an instance, and nothing more. */
export const SSM_CORE_POLICY = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/** A trust policy letting an AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/**
 * The network of an AWS stack:
 * - a VPC over the zones, each with a public subnet (load balancer, NAT gateway, single
 *   stateful servers) and a private one (load-balanced servers, database);
 * - an internet gateway, and NAT gateways (one, or one per zone) for the private subnets' egress;
 * - VPC flow logs to a CloudWatch log group;
 * - security groups: the load balancer's (80 and 443 from the internet) and the servers' (the app
 *   port only from the load balancer's group, or from anywhere for single servers; SSH only from
 *   the admin CIDRs);
 * - the servers' IAM role and instance profile, with only `AmazonSSMManagedInstanceCore`
 *   (Session Manager); the database adds read access to exactly its secret.
 *
 * Security group rules are inline, so that a rule added by hand is removed by the next
 * `pulumi up --refresh`: drift is put back.
 */
export class Network extends pulumi.ComponentResource {
  /** The VPC's ID. */
  readonly vpcId: pulumi.Output<string>;
  /** Public subnet IDs, in zone order. */
  readonly publicSubnetIds: pulumi.Output<string>[];
  /** Private subnet IDs, in zone order. */
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** The load balancer's security group, when the app is reached through one. */
  readonly loadBalancerSecurityGroupId: pulumi.Output<string> | undefined;
  /** The servers' security group. */
  readonly serverSecurityGroupId: pulumi.Output<string>;
  /** The servers' IAM role's name (the database grants it read access to its secret). */
  readonly serverRoleName: pulumi.Output<string>;
  /** The servers' instance profile's name. */
  readonly instanceProfileName: pulumi.Output<string>;
  /**
   * Resolves once the private subnets can reach the internet (their NAT routes exist): servers
   * that fetch anything at boot wait for it.
   */
  readonly egressReady: pulumi.Resource[];

  /**
   * @param name component name; children are `${name}-vpc`, `${name}-public-<i>`,
   *   `${name}-private-<i>`, `${name}-nat-<i>`, `${name}-lb-sg`, `${name}-server-sg`, ...
   * @param args network settings
   * @param opts resource options
   */
  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const subnets = zoneSubnets(args.cidr, args.zones.length);
    super(
      "phoenix:aws:Network",
      name,
      { cidr: args.cidr, zones: args.zones, natGateways: args.natGateways ?? "single" },
      opts,
    );
    const parent = { parent: this };
    const tags = (n: string) => awsTags(n, args.tags);

    const vpc = new ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tags(`${name}-vpc`),
      },
      parent,
    );
    const igw = new ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: tags(`${name}-igw`) },
      parent,
    );
    const publicRoutes = new ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, tags: tags(`${name}-public-rt`) },
      parent,
    );
    const internetRoute = new ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicRoutes.id, destinationCidrBlock: ANYWHERE_V4, gatewayId: igw.id },
      parent,
    );

    const publicSubnets = subnets.map((s, i) => {
      const subnet = new ec2.Subnet(
        `${name}-public-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: s.public,
          availabilityZone: args.zones[i],
          // Addresses are given explicitly, never by default to whatever lands here.
          mapPublicIpOnLaunch: false,
          tags: tags(`${name}-public-${i}`),
        },
        parent,
      );
      new ec2.RouteTableAssociation(
        `${name}-public-${i}`,
        { subnetId: subnet.id, routeTableId: publicRoutes.id },
        parent,
      );
      return subnet;
    });

    // Single servers sit in the public subnets and need no NAT; only the database is private.
    const natCount =
      args.appAccess === "anywhere"
        ? 0
        : (args.natGateways ?? "single") === "perZone"
          ? subnets.length
          : 1;
    const nats = Array.from({ length: natCount }, (_, i) => {
      // The egress address is what third parties allowlist: kept like any static address.
      const eip = new ec2.Eip(
        `${name}-nat-${i}`,
        { domain: "vpc", tags: tags(`${name}-nat-${i}`) },
        { parent: this, protect: true, retainOnDelete: true },
      );
      return new ec2.NatGateway(
        `${name}-nat-${i}`,
        {
          allocationId: eip.id,
          subnetId: (publicSubnets[i] as ec2.Subnet).id,
          connectivityType: "public",
          tags: tags(`${name}-nat-${i}`),
        },
        { parent: this, dependsOn: [igw] },
      );
    });

    const egressReady: pulumi.Resource[] = [internetRoute];
    const privateSubnets = subnets.map((s, i) => {
      const subnet = new ec2.Subnet(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: s.private,
          availabilityZone: args.zones[i],
          mapPublicIpOnLaunch: false,
          tags: tags(`${name}-private-${i}`),
        },
        parent,
      );
      const routes = new ec2.RouteTable(
        `${name}-private-rt-${i}`,
        { vpcId: vpc.id, tags: tags(`${name}-private-rt-${i}`) },
        parent,
      );
      const nat = nats[i] ?? nats[0];
      if (nat) {
        egressReady.push(
          new ec2.Route(
            `${name}-private-default-${i}`,
            {
              routeTableId: routes.id,
              destinationCidrBlock: ANYWHERE_V4,
              natGatewayId: nat.id,
            },
            parent,
          ),
        );
      }
      new ec2.RouteTableAssociation(
        `${name}-private-${i}`,
        { subnetId: subnet.id, routeTableId: routes.id },
        parent,
      );
      return subnet;
    });

    this.flowLogs(name, vpc, args, tags);

    const lbSg =
      args.appAccess === "loadBalancer"
        ? new ec2.SecurityGroup(
            `${name}-lb-sg`,
            {
              vpcId: vpc.id,
              description: "Load balancer: HTTP and HTTPS from the internet",
              ingress: [80, 443].map((port) => ({
                protocol: "tcp",
                fromPort: port,
                toPort: port,
                cidrBlocks: [ANYWHERE_V4],
                ipv6CidrBlocks: [ANYWHERE_V6],
                description: port === 80 ? "HTTP (redirected to HTTPS when TLS is on)" : "HTTPS",
              })),
              // Only to the app port inside the VPC (the servers' group refers to this one, so
              // naming it here would make a cycle).
              egress: [
                {
                  protocol: "tcp",
                  fromPort: args.appPort,
                  toPort: args.appPort,
                  cidrBlocks: [args.cidr],
                  description: "App port of the servers and their health checks",
                },
              ],
              tags: tags(`${name}-lb-sg`),
            },
            parent,
          )
        : undefined;

    const adminCidrs = args.adminCidrs ?? [];
    const serverSg = new ec2.SecurityGroup(
      `${name}-server-sg`,
      {
        vpcId: vpc.id,
        description: lbSg
          ? "Servers: the app port from the load balancer only"
          : "Servers: the app port from anywhere (single servers behind an Elastic IP)",
        ingress: [
          {
            protocol: "tcp",
            fromPort: args.appPort,
            toPort: args.appPort,
            ...(lbSg
              ? { securityGroups: [lbSg.id] }
              : { cidrBlocks: [ANYWHERE_V4], ipv6CidrBlocks: [ANYWHERE_V6] }),
            description: "App port",
          },
          ...(adminCidrs.length > 0
            ? [
                {
                  protocol: "tcp",
                  fromPort: 22,
                  toPort: 22,
                  cidrBlocks: [...adminCidrs],
                  description: "SSH from the admin CIDRs",
                },
              ]
            : []),
        ],
        // Servers fetch packages, reach Session Manager, Secrets Manager and the database.
        egress: [
          {
            protocol: "-1",
            fromPort: 0,
            toPort: 0,
            cidrBlocks: [ANYWHERE_V4],
            description: "All outbound",
          },
        ],
        tags: tags(`${name}-server-sg`),
      },
      parent,
    );

    const role = new iam.Role(
      `${name}-server-role`,
      {
        description: `Servers of ${args.tags.service} ${args.tags.environment}: Session Manager, and what the app needs`,
        assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
        tags: tags(`${name}-server-role`),
      },
      parent,
    );
    new iam.RolePolicyAttachment(
      `${name}-server-ssm`,
      { role: role.name, policyArn: SSM_CORE_POLICY },
      parent,
    );
    const profile = new iam.InstanceProfile(
      `${name}-server-profile`,
      { role: role.name, tags: tags(`${name}-server-profile`) },
      parent,
    );

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.loadBalancerSecurityGroupId = lbSg?.id;
    this.serverSecurityGroupId = serverSg.id;
    this.serverRoleName = role.name;
    this.instanceProfileName = profile.name;
    this.egressReady = egressReady;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      serverSecurityGroupId: this.serverSecurityGroupId,
    });
  }

  /** VPC flow logs (accepted and rejected traffic) to a log group with a retention. */
  private flowLogs(
    name: string,
    vpc: ec2.Vpc,
    args: NetworkArgs,
    tags: (n: string) => Record<string, string>,
  ): void {
    const parent = { parent: this };
    const group = new cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { retentionInDays: args.flowLogRetentionDays ?? 90, tags: tags(`${name}-flow-logs`) },
      parent,
    );
    const role = new iam.Role(
      `${name}-flow-logs`,
      {
        description: "VPC flow logs: write to their log group",
        assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com"),
        tags: tags(`${name}-flow-logs`),
      },
      parent,
    );
    new iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: role.id,
        policy: group.arn.apply((arn) =>
          JSON.stringify({
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
                Resource: [arn, `${arn}:*`],
              },
            ],
          }),
        ),
      },
      parent,
    );
    new ec2.FlowLog(
      `${name}-flow-logs`,
      {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        tags: tags(`${name}-flow-logs`),
      },
      parent,
    );
  }
}
