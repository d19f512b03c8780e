import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import * as pulumi from "@pulumi/pulumi";
import { renderUserData } from "../core/cloud-init/user-data";
import { fingerprint } from "../core/fingerprint";
import { ColourServersArgs } from "./colour-servers";
import { replaceOn } from "./facts";
import { awsTags } from "./tags";
import { AWS_TYPES } from "./types";

/** Arguments of a {@link ServerGroup}. */
export interface ServerGroupArgs extends ColourServersArgs {
  /** VPC of the target group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets, one per zone, the group spreads over. */
  readonly subnetIds: pulumi.Input<string>[];
  /** TCP port the app listens on. */
  readonly appPort: number;
  /** Path that answers 2xx when the app is healthy (the target group's health check). */
  readonly healthCheckPath: string;
  /**
   * Seconds a leaving target keeps its open requests before the load balancer drops it.
   * @default 60
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Seconds a new target's share of requests ramps up over (a cold app is not flooded).
   * @default 30
   */
  readonly slowStartSeconds?: number;
}

/** Inputs of the launch template whose change builds new instances (never patches running ones). */
const REBUILD_INPUTS = ["imageId", "instanceType", "userData"];

/**
 * One colour's servers on AWS: a launch template (pinned AMI, IMDSv2 only, encrypted gp3 root
 * volume, the servers' security group and instance profile, no public address, no key pair)
 * and the colour's own target group, and, once {@link launch} is called with the load
 * balancer's path to that target group, an auto scaling group over the private subnets of
 * every zone that replaces unhealthy instances.
 *
 * A change of image, instance type or user data replaces the launch template and with it the
 * group: the new group (named by prefix) is created beside the old and its instances must be
 * healthy in the target group (`waitForElbCapacity`) before the old group is deleted. Running
 * instances are never stopped, resized or rebooted.
 */
export class ServerGroup extends pulumi.ComponentResource {
  /** The launch template. */
  readonly launchTemplate: ec2.LaunchTemplate;
  /** The colour's target group. */
  readonly targetGroup: lb.TargetGroup;
  /** The auto scaling group, once launched. */
  autoScalingGroup: autoscaling.Group | undefined;
  /** Instances have no public addresses: always empty. */
  readonly publicAddresses: pulumi.Output<string[]>;
  /** A digest of every launch-template input that replaces the instances. */
  readonly fingerprint: pulumi.Output<string>;
  /** Whether the settings ask for other instances than the frozen ones keep running. */
  readonly heldBack: pulumi.Output<boolean>;

  private readonly args: ServerGroupArgs;
  private readonly name: string;

  /**
   * @param name component name; children are `${name}-template`, `${name}-tg` and (once
   *   launched) `${name}-asg`
   * @param args group settings
   * @param opts resource options
   */
  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before anything is registered, the component included.
    if (!Number.isInteger(args.count) || args.count < 1) {
      throw new Error(
        `ServerGroup ${name}: count received ${args.count}; allowed: a whole number ≥ 1 (a colour without servers has no group)`,
      );
    }
    super(
      "phoenix:aws:ServerGroup",
      name,
      {
        colour: args.colour,
        count: args.count,
        image: args.image,
        size: args.size,
        frozen: args.frozen ?? false,
      },
      opts,
    );
    this.args = args;
    this.name = name;
    const context = { service: args.service, environment: args.environment, colour: args.colour };
    const tags = awsTags(`${name}-template`, context);

    const userData = pulumi
      .output(args.appEnvironment)
      .apply((environment) =>
        Buffer.from(renderUserData({ service: args.service, environment })).toString("base64"),
      );
    const inputs = {
      namePrefix: `${name}-`,
      description: `${args.service} ${args.environment} ${args.colour}`,
      imageId: args.image,
      instanceType: args.size,
      userData,
      iamInstanceProfile: { name: args.instanceProfileName },
      vpcSecurityGroupIds: [args.securityGroupId],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: args.rootDeviceName ?? "/dev/xvda",
          ebs: {
            volumeSize: args.rootVolumeGiB ?? 20,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      monitoring: { enabled: true },
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags,
      })),
      updateDefaultVersion: true,
      tags,
    };
    const rebuildOn = [...new Set([...replaceOn(AWS_TYPES.launchTemplate), ...REBUILD_INPUTS])];
    this.launchTemplate = new ec2.LaunchTemplate(`${name}-template`, inputs, {
      parent: this,
      // A new template (and so a new group) rather than a new version that running instances
      // would never pick up: rebuilt, never patched.
      replaceOnChanges: REBUILD_INPUTS,
      // A frozen colour serves live traffic: nothing may rebuild its instances.
      ...(args.frozen ? { ignoreChanges: rebuildOn } : {}),
    });

    this.targetGroup = new lb.TargetGroup(
      `${name}-tg`,
      {
        // By prefix, so that a replacement can exist beside the old one (pulumi-aws#4226).
        namePrefix: args.colour === "blue" ? "blue-" : "green-",
        vpcId: args.vpcId,
        port: args.appPort,
        protocol: "HTTP",
        targetType: "instance",
        deregistrationDelay: args.deregistrationDelaySeconds ?? 60,
        slowStart: args.slowStartSeconds ?? 30,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: args.healthCheckPath,
          matcher: "200-299",
          interval: 10,
          timeout: 5,
          healthyThreshold: 3,
          unhealthyThreshold: 2,
        },
        // Pins a client to a target: the health gate proves each instance through it.
        stickiness: { enabled: true, type: "lb_cookie", cookieDuration: 300 },
        tags: awsTags(`${name}-tg`, context),
      },
      { parent: this },
    );

    this.publicAddresses = pulumi.output([]);
    const replaceOnly = pulumi.output(
      Object.fromEntries(Object.entries(inputs).filter(([k]) => rebuildOn.includes(k))),
    );
    const wanted = replaceOnly.apply(fingerprint);
    const kept = args.frozen ? args.keptFingerprint : undefined;
    this.fingerprint = kept === undefined ? wanted : pulumi.output(kept);
    this.heldBack = wanted.apply((w) => kept !== undefined && w !== kept);
    this.registerOutputs({
      targetGroupArn: this.targetGroup.arn,
      fingerprint: this.fingerprint,
    });
  }

  /**
   * Creates the auto scaling group, once the load balancer routes to the target group
   * (`trafficPath`): before that, its targets would never be health-checked and the group
   * would wait for healthy capacity in vain.
   *
   * @param trafficPath resources that put the target group behind the load balancer
   * @param dependsOn anything else the instances need first (e.g. their egress routes)
   */
  launch(trafficPath: pulumi.Resource[], dependsOn: pulumi.Resource[] = []): autoscaling.Group {
    if (this.autoScalingGroup) return this.autoScalingGroup;
    const { args } = this;
    const context = { service: args.service, environment: args.environment, colour: args.colour };
    this.autoScalingGroup = new autoscaling.Group(
      `${this.name}-asg`,
      {
        namePrefix: `${this.name}-`,
        vpcZoneIdentifiers: args.subnetIds,
        minSize: args.count,
        maxSize: args.count,
        desiredCapacity: args.count,
        launchTemplate: {
          id: this.launchTemplate.id,
          version: this.launchTemplate.latestVersion.apply(String),
        },
        targetGroupArns: [this.targetGroup.arn],
        // An instance the load balancer finds unhealthy is replaced, not just one whose EC2
        // status checks fail.
        healthCheckType: "ELB",
        healthCheckGracePeriod: 120,
        // The update goes on only once every instance is healthy in the target group.
        waitForElbCapacity: args.count,
        waitForCapacityTimeout: "15m",
        // A replacement for an unhealthy instance is launched before the old one terminates.
        instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
        enabledMetrics: [
          "GroupDesiredCapacity",
          "GroupInServiceInstances",
          "GroupPendingInstances",
          "GroupTerminatingInstances",
          "GroupTotalInstances",
        ],
        tags: Object.entries(awsTags(`${this.name}-asg`, context)).map(([key, value]) => ({
          key,
          value,
          propagateAtLaunch: false,
        })),
      },
      {
        parent: this,
        dependsOn: [...trafficPath, ...dependsOn],
        // A new template means a new group beside the old (by prefix, created first).
        replaceOnChanges: ["launchTemplate"],
        ...(args.frozen
          ? {
              ignoreChanges: [
                "launchTemplate",
                "desiredCapacity",
                "minSize",
                "maxSize",
                "waitForElbCapacity",
              ],
            }
          : {}),
      },
    );
    return this.autoScalingGroup;
  }
}
