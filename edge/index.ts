// The program `pulumi up` runs in edge/ (see `main` in Pulumi.yaml).
import { edgeProgram } from "./program";

/** The stack outputs: `fqdn`, `active`, `weights` and `pointsAt`. */
export = async () => ({ ...(await edgeProgram()) });
