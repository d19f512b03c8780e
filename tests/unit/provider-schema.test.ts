import * as fs from "fs";
import * as path from "path";
import PROVIDER_SCHEMA from "../../components/digitalocean/provider-schema.json";
import { DIGITALOCEAN_FACTS, replaceOn } from "../../components/digitalocean/facts";
import { DO_TYPES } from "../../components/digitalocean/types";

const SDK = path.resolve(__dirname, "../../node_modules/@pulumi/digitalocean");

/** The input properties of a resource's `<Type>Args` interface in the installed SDK. */
function sdkInputs(token: string): string[] {
  // digitalocean:index/droplet:Droplet -> droplet.d.ts, DropletArgs
  const [, module, type] = /^digitalocean:index\/([a-zA-Z0-9]+):([A-Za-z0-9]+)$/.exec(token) ?? [];
  const text = fs.readFileSync(path.join(SDK, `${module}.d.ts`), "utf8");
  const body = new RegExp(`export interface ${type}Args \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1];
  if (body === undefined) throw new Error(`no ${type}Args in ${module}.d.ts`);
  return [...body.matchAll(/^ {4}([A-Za-z0-9]+)\??:/gm)].map((m) => m[1] as string).sort();
}

type Table = Record<string, { inputs: string[]; replaceOnChanges: string[] }>;
const schema = PROVIDER_SCHEMA.types as Table;
const supplements = PROVIDER_SCHEMA.supplements.types as Partial<Table>;

describe("the DigitalOcean replace tables (provider-schema.json)", () => {
  it("cover every DigitalOcean type Phoenix registers", () => {
    expect(Object.keys(schema).sort()).toEqual(Object.values(DO_TYPES).sort());
  });

  it.each(Object.values(DO_TYPES))(
    "%s: list exactly the inputs of the installed SDK, so a new input cannot go unclassified",
    (token) => {
      const listed = [...(schema[token]?.inputs ?? []), ...(supplements[token]?.inputs ?? [])];
      expect(listed.sort()).toEqual(sdkInputs(token));
    },
  );

  it.each(Object.values(DO_TYPES))("%s: replace only on inputs the SDK has", (token) => {
    const inputs = sdkInputs(token);
    expect(replaceOn(token).filter((i) => !inputs.includes(i))).toEqual([]);
    expect(DIGITALOCEAN_FACTS.types[token]?.replaceOn).toEqual(replaceOn(token));
  });

  it("record what forces a new droplet, load balancer, attachment and VPC (the faults of #7)", () => {
    expect(replaceOn(DO_TYPES.droplet)).toEqual([
      "dropletAgent",
      "gpuPartitionMode",
      "image",
      "monitoring",
      "publicNetworking",
      "region",
      "sshKeys",
      "userData",
      "vpcUuid",
    ]);
    // A size change is an in-place resize (power off, resize, power on): not a replacement.
    expect(replaceOn(DO_TYPES.droplet)).not.toContain("size");
    expect(replaceOn(DO_TYPES.volumeAttachment)).toEqual(["dropletId", "volumeId"]);
    expect(replaceOn(DO_TYPES.vpc)).toEqual(["ipRange", "region"]);
    expect(replaceOn(DO_TYPES.loadBalancer)).not.toContain("dropletIds");
  });
});
