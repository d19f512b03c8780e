// The program `pulumi up` runs (see `main` in Pulumi.yaml). Its exports are the stack outputs.
import { phoenixProgram } from "./program";

const outputs = phoenixProgram();

/** URL of the live endpoint. */
export const liveUrl = outputs.liveUrl;
/** URL of the preview endpoint, when the non-live colour has servers. */
export const previewUrl = outputs.previewUrl;
/** The colour the live endpoint serves. */
export const liveColour = outputs.liveColour;
/** Public IPv4 addresses of each colour's servers. */
export const serverAddresses = outputs.serverAddresses;
/** Private host of the database. */
export const databaseHost = outputs.databaseHost;
/** Connection URI of the app's database user (secret). */
export const databaseUri = outputs.databaseUri;
