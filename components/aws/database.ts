import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import { DATABASE_URL_VARIABLE, DatabaseConfig } from "../core/config/stack-config";
import { TagContext } from "../core/tags";
import { awsTags } from "./tags";

/** Arguments of a {@link Database}. */
export interface DatabaseArgs {
  /** Service and environment, for names and tags. */
  readonly tags: TagContext;
  /** Engine version, instance class, nodes, maintenance window, database and user names. */
  readonly settings: DatabaseConfig;
  /** The VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets, one per zone. */
  readonly subnetIds: pulumi.Input<string>[];
  /** The servers' security group: the only source the database admits. */
  readonly serverSecurityGroupId: pulumi.Input<string>;
  /** The servers' IAM role, which gets read access to exactly the password's secret. */
  readonly serverRoleName: pulumi.Input<string>;
  /**
   * Days automated backups are kept.
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Storage in GiB (gp3; grows on its own up to ten times this).
   * @default 20
   */
  readonly storageGiB?: number;
}

/** Postgres's port. */
export const POSTGRES_PORT = 5432;

/** The app's environment variable holding the ARN of the secret with the database password. */
export const DATABASE_SECRET_VARIABLE = "DATABASE_SECRET_ARN";

/** RDS's weekday names, Monday first, by the lower-case English names the settings use. */
const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/**
 * RDS's maintenance window (`ddd:hh:mm-ddd:hh:mm`, one hour) and a backup window (`hh:mm-hh:mm`)
 * that ends an hour before it, so the two never overlap. Pure.
 *
 * @throws Error when the day is not a weekday or the start not `HH:MM`
 */
export function rdsWindows(day: string, start: string): { maintenance: string; backup: string } {
  const index = DAYS.indexOf(day);
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(start);
  if (index < 0 || match === null) {
    throw new Error(`maintenance window ${day} ${start}: allowed: a weekday and HH:MM`);
  }
  const hour = Number(match[1]);
  const minutes = match[2] as string;
  const at = (h: number) => `${String((h + 24) % 24).padStart(2, "0")}:${minutes}`;
  const short = (i: number) => (DAYS[i % 7] as string).slice(0, 3);
  return {
    maintenance: `${short(index)}:${at(hour)}-${short(hour + 1 >= 24 ? index + 1 : index)}:${at(hour + 1)}`,
    backup: `${at(hour - 2)}-${at(hour - 1)}`,
  };
}

/**
 * RDS Postgres in the private subnets, reachable only from the app's servers: storage
 * encrypted, deletion protection, a final snapshot, automated backups, Multi-AZ with two nodes,
 * minor versions kept current, and the master password generated and held by Secrets Manager
 * (`manageMasterUserPassword`), so it is in neither the state nor the user data. The servers'
 * role may read exactly that secret; the app gets `DATABASE_URL` without a password and
 * `DATABASE_SECRET_ARN` to fetch it with (RDS rotates it every seven days: re-read it when a
 * connection is refused).
 *
 * The instance is protected and kept if removed from the stack.
 */
export class Database extends pulumi.ComponentResource {
  /** The instance. */
  readonly instance: rds.Instance;
  /** Private host name. */
  readonly host: pulumi.Output<string>;
  /** Connection URI without a password, TLS required. */
  readonly uri: pulumi.Output<string>;
  /** ARN of the Secrets Manager secret holding the password. */
  readonly secretArn: pulumi.Output<string>;
  /** What the app's environment gets: the URI and the secret's ARN. */
  readonly appEnvironment: pulumi.Output<Record<string, string>>;

  /**
   * @param name component name; children are `${name}-instance` (identifier `${name}`), `${name}-subnets`,
   *   `${name}-sg` and `${name}-secret-read`
   * @param args database settings
   * @param opts resource options
   */
  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    const { settings } = args;
    const windows = rdsWindows(settings.maintenanceDay, settings.maintenanceHour);
    super(
      "phoenix:aws:Database",
      name,
      {
        engineVersion: settings.engineVersion,
        size: settings.size,
        multiAz: settings.nodeCount > 1,
      },
      opts,
    );
    const tags = (n: string) => awsTags(n, args.tags);
    const subnets = new rds.SubnetGroup(
      `${name}-subnets`,
      {
        description: `Private subnets of ${args.tags.service} ${args.tags.environment}`,
        subnetIds: args.subnetIds,
        tags: tags(`${name}-subnets`),
      },
      { parent: this },
    );
    const sg = new ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: "Database: Postgres from the app servers only",
        ingress: [
          {
            protocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            securityGroups: [args.serverSecurityGroupId],
            description: "Postgres from the app servers",
          },
        ],
        egress: [],
        tags: tags(`${name}-sg`),
      },
      { parent: this },
    );
    const identifier = name;
    this.instance = new rds.Instance(
      `${name}-instance`,
      {
        identifier,
        engine: "postgres",
        engineVersion: settings.engineVersion,
        instanceClass: settings.size,
        allocatedStorage: args.storageGiB ?? 20,
        maxAllocatedStorage: (args.storageGiB ?? 20) * 10,
        storageType: "gp3",
        storageEncrypted: true,
        multiAz: settings.nodeCount > 1,
        dbName: settings.name,
        username: settings.user,
        manageMasterUserPassword: true,
        port: POSTGRES_PORT,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [sg.id],
        publiclyAccessible: false,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${identifier}-final`,
        copyTagsToSnapshot: true,
        backupRetentionPeriod: args.backupRetentionDays ?? 7,
        backupWindow: windows.backup,
        maintenanceWindow: windows.maintenance,
        autoMinorVersionUpgrade: true,
        // A major version upgrade is a deliberate change, never a side effect.
        allowMajorVersionUpgrade: false,
        applyImmediately: false,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        performanceInsightsEnabled: true,
        tags: tags(name),
      },
      { parent: this, protect: true, retainOnDelete: true },
    );
    // Known once the instance exists (a preview of a new database shows it as unknown).
    this.secretArn = this.instance.masterUserSecrets.apply((secrets) => {
      const arn = secrets[0]?.secretArn;
      if (!arn) {
        throw new Error(
          `Database ${name}: RDS reported no master user secret although manageMasterUserPassword is set`,
        );
      }
      return arn;
    });
    new iam.RolePolicy(
      `${name}-secret-read`,
      {
        role: args.serverRoleName,
        policy: this.secretArn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn },
            ],
          }),
        ),
      },
      { parent: this },
    );
    this.host = this.instance.address;
    // No password in it, but the host and user are no one else's business: a secret all the same.
    this.uri = pulumi.secret(
      pulumi.interpolate`postgresql://${settings.user}@${this.instance.address}:${POSTGRES_PORT}/${settings.name}?sslmode=require`,
    );
    this.appEnvironment = pulumi
      .all([this.uri, this.secretArn])
      .apply(([uri, arn]): Record<string, string> => ({
        [DATABASE_URL_VARIABLE]: uri,
        [DATABASE_SECRET_VARIABLE]: arn,
      }));
    this.registerOutputs({ host: this.host, uri: this.uri, secretArn: this.secretArn });
  }
}
