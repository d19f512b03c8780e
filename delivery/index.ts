// The program `pulumi up` runs in delivery/ (see `main` in Pulumi.yaml).
import { deliveryProgram } from "./program";

/** The stack outputs: `stacks`, `environments` and `agentPoolToken` (secret). */
export = () => ({ ...deliveryProgram() });
