import { parse, stringify } from "yaml";
import { firewallUserDataParts } from "./nftables";

/**
 * Puts a host firewall into a `#cloud-config` document: its file first among `write_files`, and
 * its commands before any other `runcmd`, so the ruleset is loaded before the server's own
 * service is (re)started. Emitted as YAML 1.1, the dialect cloud-init reads, like the rest.
 *
 * @param userData a `#cloud-config` document
 * @param ruleset the output of `renderNftablesRuleset`
 * @throws Error when `userData` is not a cloud-config mapping
 */
export function withFirewall(userData: string, ruleset: string): string {
  const parsed: unknown = userData.startsWith("#cloud-config")
    ? parse(userData, { version: "1.1" })
    : undefined;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(
      `user data: received ${JSON.stringify(userData.slice(0, 40))}; allowed: a #cloud-config mapping`,
    );
  const config = parsed as Record<string, unknown>;
  const parts = firewallUserDataParts(ruleset);
  const list = (key: string): unknown[] =>
    Array.isArray(config[key]) ? (config[key] as unknown[]) : [];
  const merged = {
    ...config,
    write_files: [...parts.writeFiles, ...list("write_files")],
    runcmd: [...parts.runcmd, ...list("runcmd")],
  };
  return `#cloud-config\n${stringify(merged, { version: "1.1", lineWidth: 0 })}`;
}
