import { stringify } from "yaml";
import { Credential } from "./credentials";
import { PhoenixStack } from "./phoenix-stacks";
import { DeliverySettings } from "./settings";

/**
 * An ESC environment definition: the document Pulumi ESC stores (`values`, with `pulumiConfig`
 * and `environmentVariables` the Pulumi CLI hands to the program and its providers).
 */
export interface EnvironmentDefinition {
  readonly values: Record<string, unknown>;
}

/** How long the AWS session aws-login opens lasts: long enough for the slowest gated update. */
export const AWS_SESSION_DURATION = "2h";

/**
 * The environment a Phoenix stack opens (`phoenix/<stack>`): for each credential it needs,
 *
 * - AWS: short-lived keys from `fn::open::aws-login` through OIDC (no stored key), exported as
 *   the `AWS_*` variables the AWS provider reads;
 * - DigitalOcean: the API token as a secret (`fn::secret`), exported as `digitalocean:token`;
 * - vSphere: the vCenter user, and the password and deployment SSH private key as secrets,
 *   exported as `vsphere:user`, `vsphere:password` and `phoenix:vsphereSshPrivateKey`.
 *
 * Stack-file config wins over an environment's `pulumiConfig`, so these never override a value a
 * stack file sets.
 */
export function environmentDefinition(
  stack: PhoenixStack,
  settings: DeliverySettings,
): EnvironmentDefinition {
  const values: Record<string, unknown> = {};
  const pulumiConfig: Record<string, string> = {};
  const variables: Record<string, string> = {};
  const has = (c: Credential) => stack.credentials.includes(c);
  if (has("aws")) {
    values.aws = {
      login: {
        "fn::open::aws-login": {
          oidc: {
            duration: AWS_SESSION_DURATION,
            roleArn: settings.awsRoleArn,
            sessionName: `pulumi-deployments-phoenix-${stack.stack}`,
          },
        },
      },
    };
    variables.AWS_ACCESS_KEY_ID = "${aws.login.accessKeyId}";
    variables.AWS_SECRET_ACCESS_KEY = "${aws.login.secretAccessKey}";
    variables.AWS_SESSION_TOKEN = "${aws.login.sessionToken}";
  }
  if (has("digitalocean")) {
    values.digitalocean = { token: { "fn::secret": settings.digitaloceanToken ?? "" } };
    pulumiConfig["digitalocean:token"] = "${digitalocean.token}";
  }
  if (has("vsphere")) {
    const secrets = settings.vsphere[stack.stack];
    values.vsphere = {
      user: stack.vsphereUser ?? "",
      password: { "fn::secret": secrets?.password ?? "" },
      sshPrivateKey: { "fn::secret": secrets?.sshPrivateKey ?? "" },
    };
    pulumiConfig["vsphere:user"] = "${vsphere.user}";
    pulumiConfig["vsphere:password"] = "${vsphere.password}";
    pulumiConfig["phoenix:vsphereSshPrivateKey"] = "${vsphere.sshPrivateKey}";
  }
  if (Object.keys(pulumiConfig).length > 0) values.pulumiConfig = pulumiConfig;
  if (Object.keys(variables).length > 0) values.environmentVariables = variables;
  return { values };
}

/** The definition as the YAML document the `Environment` resource stores. */
export function environmentYaml(definition: EnvironmentDefinition): string {
  return stringify(definition, { lineWidth: 0 });
}

/** Whether a stack's environment holds a secret value (then its YAML is a Pulumi secret). */
export function holdsSecrets(stack: PhoenixStack): boolean {
  return stack.credentials.includes("digitalocean") || stack.credentials.includes("vsphere");
}
