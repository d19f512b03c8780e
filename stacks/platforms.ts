import { registerPlatform, RegisteredPlatform } from "../components/core/compose-stack";
import { awsPlatform } from "../components/aws/platform";
import { digitalOceanPlatform } from "../components/digitalocean/platform";

/**
 * The platforms a stack can choose with `phoenix:platform`: the only place the stack program
 * names a cloud. A new platform adds one line here (and its facts to `policies/facts.ts`).
 */
export const PLATFORMS: readonly RegisteredPlatform[] = [
  registerPlatform(digitalOceanPlatform),
  registerPlatform(awsPlatform),
];
