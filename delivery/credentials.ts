/** The credentials a Phoenix stack's deployment needs, by the cloud that asks for them. */
export type Credential = "digitalocean" | "aws" | "vsphere";

/** The credentials in the order environments list them. */
export const CREDENTIALS: readonly Credential[] = ["digitalocean", "aws", "vsphere"];

/** The repository folder of each credential's platform code (what a change to re-deploys). */
export const PLATFORM_FOLDER: Readonly<Record<Credential, string>> = {
  digitalocean: "components/digitalocean",
  aws: "components/aws",
  vsphere: "components/vsphere",
};

/**
 * What a stack needs, from its platform and (vSphere) the DNS platform it publishes through.
 *
 * @returns undefined for a platform this program does not know (a problem it reports)
 */
export function credentialsOf(config: Readonly<Record<string, string>>): Credential[] | undefined {
  const platform = config["phoenix:platform"];
  if (platform === "digitalocean") return ["digitalocean"];
  if (platform === "aws") return ["aws"];
  if (platform !== "vsphere") return undefined;
  const dns = config["phoenix:vsphereDns"];
  const extra: Credential[] =
    dns === "digitalocean" ? ["digitalocean"] : dns === "route53" ? ["aws"] : [];
  return CREDENTIALS.filter((c) => c === "vsphere" || extra.includes(c));
}
