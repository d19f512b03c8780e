// The program `pulumi up` runs (see `main` in Pulumi.yaml). It is an async function, as it reads
// the stack's previous deployment before it registers anything; what it returns are the stack
// outputs.
import { phoenixProgram } from "./program";

/**
 * The stack outputs: `liveUrl`, `previewUrl` (when the non-live colour has servers),
 * `liveColour`, `serverAddresses` (each colour's public IPv4 addresses), `databaseHost`,
 * `databaseUri` (secret) and `phoenixDeployment` (what the next update compares with).
 */
export = async () => ({ ...(await phoenixProgram()) });
