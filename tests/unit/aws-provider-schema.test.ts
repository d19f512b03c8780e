import * as fs from "fs";
import * as path from "path";
import PROVIDER_SCHEMA from "../../components/aws/provider-schema.json";
import { AWS_FACTS, replaceOn as factsReplaceOn } from "../../components/aws/facts";
import { AWS_TYPES } from "../../components/aws/types";

const SDK = path.resolve(__dirname, "../../node_modules/@pulumi/aws");

/** The AWS types Phoenix registers. */
const AWS_TOKENS: string[] = Object.values(AWS_TYPES);

/** The input properties of a resource's `<Type>Args` interface in the installed SDK. */
function sdkInputs(token: string): string[] {
  // aws:ec2/launchTemplate:LaunchTemplate -> ec2/launchTemplate.d.ts, LaunchTemplateArgs
  const [, module, file, type] =
    /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):([A-Za-z0-9]+)$/.exec(token) ?? [];
  if (module === undefined || file === undefined || type === undefined) {
    throw new Error(`not an AWS token: ${token}`);
  }
  const text = fs.readFileSync(path.join(SDK, module, `${file}.d.ts`), "utf8");
  const body = new RegExp(`export interface ${type}Args \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1];
  if (body === undefined) throw new Error(`no ${type}Args in ${module}/${file}.d.ts`);
  return [...body.matchAll(/^ {4}([A-Za-z0-9]+)\??:/gm)].map((m) => m[1] as string).sort();
}

type Table = Record<string, { inputs: string[]; replaceOnChanges: string[] }>;
const schema = PROVIDER_SCHEMA.types as Table;
const supplements = PROVIDER_SCHEMA.supplements.types as Partial<Table>;

/** The inputs whose change makes the provider replace a resource of this type. */
function replaceOn(token: string): string[] {
  return [
    ...(schema[token]?.replaceOnChanges ?? []),
    ...(supplements[token]?.replaceOnChanges ?? []),
  ].sort();
}

describe("the AWS replace tables (components/aws/provider-schema.json)", () => {
  it("cover exactly the AWS types Phoenix registers", () => {
    expect(Object.keys(schema).sort()).toEqual([...AWS_TOKENS].sort());
    for (const token of Object.keys(supplements)) expect(AWS_TOKENS).toContain(token);
  });

  it.each(AWS_TOKENS)(
    "%s: list exactly the inputs of the installed SDK, so a new input cannot go unclassified",
    (token) => {
      const listed = [...(schema[token]?.inputs ?? []), ...(supplements[token]?.inputs ?? [])];
      expect(listed.sort()).toEqual(sdkInputs(token));
    },
  );

  it.each(AWS_TOKENS)("%s: replace only on inputs the SDK has", (token) => {
    const inputs = sdkInputs(token);
    expect(replaceOn(token).filter((i) => !inputs.includes(i))).toEqual([]);
    // The facts the policies and the offline diff read are these tables.
    expect(AWS_FACTS.types[token]?.replaceOn).toEqual(replaceOn(token));
    expect(factsReplaceOn(token)).toEqual(replaceOn(token));
  });

  it("record what forces a new EC2 instance, launch template and autoscaling group", () => {
    expect(replaceOn("aws:ec2/instance:Instance")).toEqual([
      "ami",
      "associatePublicIpAddress",
      "availabilityZone",
      "ebsOptimized",
      "ephemeralBlockDevices",
      "hibernation",
      "hostId",
      "instanceMarketOptions",
      "ipv6Addresses",
      "keyName",
      "launchTemplate",
      "placementGroup",
      "placementGroupId",
      "placementPartitionNumber",
      "primaryNetworkInterface",
      "privateDnsNameOptions",
      "privateIp",
      "securityGroups",
      "subnetId",
      "tenancy",
    ]);
    // userData is not ForceNew: the provider replaces on a userData change only when
    // userDataReplaceOnChange is true (a CustomizeDiff), and resizes instanceType in place.
    expect(replaceOn("aws:ec2/instance:Instance")).not.toContain("userData");
    expect(replaceOn("aws:ec2/instance:Instance")).not.toContain("userDataBase64");
    expect(replaceOn("aws:ec2/instance:Instance")).not.toContain("instanceType");
    // A launch template change writes a new template version; only its name is immutable.
    expect(replaceOn("aws:ec2/launchTemplate:LaunchTemplate")).toEqual(["name", "namePrefix"]);
    expect(replaceOn("aws:autoscaling/group:Group")).toEqual([
      "initialLifecycleHooks",
      "name",
      "namePrefix",
    ]);
  });

  it("record what forces a new target group, listener rule, security group, subnet and VPC", () => {
    expect(replaceOn("aws:lb/targetGroup:TargetGroup")).toEqual([
      "ipAddressType",
      "name",
      "namePrefix",
      "port",
      "protocol",
      "protocolVersion",
      "targetControlPort",
      "targetType",
      "vpcId",
    ]);
    expect(replaceOn("aws:lb/listenerRule:ListenerRule")).toEqual(["listenerArn"]);
    expect(replaceOn("aws:lb/listenerRule:ListenerRule")).not.toContain("priority");
    expect(replaceOn("aws:ec2/securityGroup:SecurityGroup")).toEqual([
      "description",
      "name",
      "namePrefix",
      "vpcId",
    ]);
    expect(replaceOn("aws:ec2/securityGroup:SecurityGroup")).not.toContain("ingress");
    expect(replaceOn("aws:ec2/subnet:Subnet")).toEqual([
      "availabilityZone",
      "availabilityZoneId",
      "cidrBlock",
      "ipv4IpamPoolId",
      "ipv4NetmaskLength",
      "ipv6IpamPoolId",
      "ipv6Native",
      "ipv6NetmaskLength",
      "outpostArn",
      "vpcId",
    ]);
    expect(replaceOn("aws:ec2/vpc:Vpc")).toEqual([
      "cidrBlock",
      "ipv4IpamPoolId",
      "ipv4NetmaskLength",
    ]);
  });

  it("record what forces a new volume, attachment, database and DNS record", () => {
    expect(replaceOn("aws:ebs/volume:Volume")).toEqual([
      "availabilityZone",
      "encrypted",
      "kmsKeyId",
      "multiAttachEnabled",
      "outpostArn",
      "snapshotId",
    ]);
    // Growing a volume or changing its type/IOPS/throughput is an in-place ModifyVolume.
    expect(replaceOn("aws:ebs/volume:Volume")).not.toContain("size");
    expect(replaceOn("aws:ec2/volumeAttachment:VolumeAttachment")).toEqual([
      "deviceName",
      "instanceId",
      "volumeId",
    ]);
    expect(replaceOn("aws:rds/instance:Instance")).toEqual([
      "availabilityZone",
      "backupTarget",
      "characterSetName",
      "customIamInstanceProfile",
      "dbName",
      "engine",
      "kmsKeyId",
      "ncharCharacterSetName",
      "restoreToPointInTime",
      "snapshotIdentifier",
      "storageEncrypted",
      "timezone",
      "username",
    ]);
    // An RDS identifier change is an in-place rename; a subnet group change is a ModifyDBInstance.
    expect(replaceOn("aws:rds/instance:Instance")).not.toContain("identifier");
    expect(replaceOn("aws:rds/instance:Instance")).not.toContain("dbSubnetGroupName");
    expect(replaceOn("aws:route53/record:Record")).toEqual(["name", "zoneId"]);
  });

  it("never mark region as forcing replacement (the provider forces it through CustomizeDiff)", () => {
    for (const token of AWS_TOKENS) expect(replaceOn(token)).not.toContain("region");
  });
});
