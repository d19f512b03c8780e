import * as pulumi from "@pulumi/pulumi";
import { Colour } from "../core/colour";

/** What every AWS group of one colour's servers is built from: a fleet or single servers. */
export interface ColourServersArgs {
  /** The colour these servers are. */
  readonly colour: Colour;
  /** Service name: the app's systemd unit in the image, and the `service` tag. */
  readonly service: string;
  /** Environment name, for tags. */
  readonly environment: string;
  /** Number of servers; a plain number because it decides what exists. */
  readonly count: number;
  /** Pinned AMI ID. A change builds new servers; running ones are never patched. */
  readonly image: pulumi.Input<string>;
  /** EC2 instance type. */
  readonly size: pulumi.Input<string>;
  /** The servers' security group. */
  readonly securityGroupId: pulumi.Input<string>;
  /** The servers' instance profile. */
  readonly instanceProfileName: pulumi.Input<string>;
  /** The app's environment variables; secret values stay secret in the user data. */
  readonly appEnvironment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Whether the colour serves live traffic as this update starts (and is not being rebuilt):
   * its servers then ignore every change that would replace, stop or resize them.
   * @default false
   */
  readonly frozen?: boolean;
  /**
   * For a frozen colour: the fingerprint its servers were built with, which stays theirs.
   * @default undefined (the fingerprint of what the servers are given now)
   */
  readonly keptFingerprint?: string;
  /**
   * Root device name of the AMI, whose volume is encrypted: `/dev/xvda` on Debian and Amazon
   * Linux AMIs (Phoenix's Packer images), `/dev/sda1` on Ubuntu's.
   * @default "/dev/xvda"
   */
  readonly rootDeviceName?: string;
  /**
   * Size of the encrypted gp3 root volume.
   * @default 20
   */
  readonly rootVolumeGiB?: number;
}
