// The CrossGuard entry point: `pulumi preview --policy-pack policies` runs this file. Creating
// the PolicyPack starts the policy server, so nothing else imports it; tests and the offline
// plan use ./crossguard and ./evaluate, which run the same checks.
import { PolicyPack } from "@pulumi/policy";
import { crossGuardPolicies } from "./crossguard";

new PolicyPack("phoenix", { enforcementLevel: "mandatory", policies: crossGuardPolicies() });
