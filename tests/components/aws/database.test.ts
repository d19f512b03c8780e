import * as pulumi from "@pulumi/pulumi";
import { StackOutputs } from "../../../components/core/stack-outputs";
import { MockStackRun, unwrapWithSecret } from "../../../tools/mock-stack";
import { A } from "../../helpers/aws-types";
import { awsRun, childrenOf, idOf, PLAIN_OPTIONS, tagsOf } from "./aws-runs";

type Run = MockStackRun<StackOutputs>;

const DB = "shop-aws-prod-db";

/** The mock ARN of the Secrets Manager secret RDS made for the master password. */
async function secretArnOf(run: Run, name: string): Promise<string> {
  const instance = run.get(A.dbInstance, `${name}-instance`).resource as unknown as {
    masterUserSecrets: pulumi.Output<{ secretArn: string }[]>;
  };
  const secrets = await unwrapWithSecret(instance.masterUserSecrets);
  return secrets.value[0]?.secretArn as string;
}

describe("AWS Database (aws-prod: Multi-AZ Postgres 17)", () => {
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-prod");
  });

  it("registers the subnet group, its security group, the instance and the secret-read policy", () => {
    expect(childrenOf(run, A.database, DB)).toEqual([
      `${A.dbSubnetGroup}::${DB}-subnets`,
      `${A.securityGroup}::${DB}-sg`,
      `${A.dbInstance}::${DB}-instance`,
      `${A.rolePolicy}::${DB}-secret-read`,
    ]);
  });

  it("registers an encrypted, private, Multi-AZ instance with a Secrets Manager password, backups and a final snapshot", async () => {
    const instance = run.get(A.dbInstance, `${DB}-instance`);
    expect(instance.inputs).toEqual({
      identifier: DB,
      engine: "postgres",
      engineVersion: "17",
      instanceClass: "db.m7g.large",
      allocatedStorage: 20,
      maxAllocatedStorage: 200,
      storageType: "gp3",
      storageEncrypted: true,
      multiAz: true,
      dbName: "shop",
      username: "shop",
      manageMasterUserPassword: true,
      port: 5432,
      dbSubnetGroupName: `${DB}-subnets`,
      vpcSecurityGroupIds: [await idOf(run, A.securityGroup, `${DB}-sg`)],
      publiclyAccessible: false,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${DB}-final`,
      copyTagsToSnapshot: true,
      backupRetentionPeriod: 7,
      backupWindow: "01:00-02:00",
      maintenanceWindow: "sun:03:00-sun:04:00",
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      applyImmediately: false,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
      performanceInsightsEnabled: true,
      tags: tagsOf(DB, "shop", "aws-prod"),
    });
    // The password never passes through Pulumi: not even as a secret input.
    expect(Object.keys(instance.inputs)).not.toContain("password");
    expect(instance.props.password).toBeUndefined();
    expect(instance.props.passwordWo).toBeUndefined();
    expect(instance.secretProps).toEqual([]);
    expect(instance.opts).toEqual({ ...PLAIN_OPTIONS, protect: true, retainOnDelete: true });
  });

  it("admits Postgres only from the servers' security group and lets nothing out", async () => {
    expect(run.get(A.securityGroup, `${DB}-sg`).inputs).toEqual({
      vpcId: await idOf(run, A.vpc, "shop-aws-prod-net-vpc"),
      description: "Database: Postgres from the app servers only",
      ingress: [
        {
          protocol: "tcp",
          fromPort: 5432,
          toPort: 5432,
          securityGroups: [await idOf(run, A.securityGroup, "shop-aws-prod-net-server-sg")],
          description: "Postgres from the app servers",
        },
      ],
      egress: [],
      tags: tagsOf(`${DB}-sg`, "shop", "aws-prod"),
    });
  });

  it("places the instance in the three private subnets", async () => {
    expect(run.get(A.dbSubnetGroup, `${DB}-subnets`).inputs.subnetIds).toEqual(
      await Promise.all(
        [0, 1, 2].map((i) => idOf(run, A.subnet, `shop-aws-prod-net-private-${i}`)),
      ),
    );
  });

  it("lets the servers' role read exactly the password's secret, nothing else", async () => {
    const arn = await secretArnOf(run, DB);
    expect(arn).toEqual(
      expect.stringMatching(/^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:rds!db-/),
    );
    expect(run.get(A.rolePolicy, `${DB}-secret-read`).inputs).toEqual({
      role: "shop-aws-prod-net-server-role",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }],
      }),
    });
  });

  it("exports the database URI only as a secret, and without a password", async () => {
    const uri = await unwrapWithSecret(run.result.databaseUri as pulumi.Output<string>);
    expect(uri).toEqual({
      value: expect.stringMatching(
        /^postgresql:\/\/shop@shop-aws-prod-db\.[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com:5432\/shop\?sslmode=require$/,
      ),
      secret: true,
    });
    expect(uri.value).not.toMatch(/\/\/[^@/]*:[^@/]*@/);
  });
});

describe("AWS Database (aws-dev: one node)", () => {
  let run: Run;
  beforeAll(async () => {
    run = await awsRun("aws-dev");
  });

  it("runs single-AZ, still encrypted, protected and with a final snapshot", () => {
    const instance = run.get(A.dbInstance, "shop-aws-dev-db-instance");
    expect(instance.inputs).toMatchObject({
      identifier: "shop-aws-dev-db",
      instanceClass: "db.t4g.micro",
      multiAz: false,
      storageEncrypted: true,
      manageMasterUserPassword: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "shop-aws-dev-db-final",
    });
    expect(instance.opts).toEqual({ ...PLAIN_OPTIONS, protect: true, retainOnDelete: true });
  });
});
