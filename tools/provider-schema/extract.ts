// Regenerates components/<cloud>/provider-schema.json from a provider's published schema.json:
// the inputs and the `willReplaceOnChanges` inputs of the types Phoenix registers, keeping the
// file's `supplements` (inputs of a newer SDK that the schema copy lacks).
// Run: npx ts-node --transpile-only tools/provider-schema/extract.ts <schema.json> <table.json>
import * as fs from "fs";

interface Schema {
  resources: Record<
    string,
    { inputProperties?: Record<string, { willReplaceOnChanges?: boolean }> }
  >;
}

function main(schemaPath: string, tablePath: string): void {
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8")) as Schema;
  const table = JSON.parse(fs.readFileSync(tablePath, "utf8")) as {
    types: Record<string, unknown>;
  };
  for (const type of Object.keys(table.types)) {
    const inputs = schema.resources[type]?.inputProperties;
    if (inputs === undefined) throw new Error(`${type} is not in ${schemaPath}`);
    table.types[type] = {
      inputs: Object.keys(inputs).sort(),
      replaceOnChanges: Object.entries(inputs)
        .filter(([, spec]) => spec.willReplaceOnChanges)
        .map(([name]) => name)
        .sort(),
    };
  }
  fs.writeFileSync(tablePath, `${JSON.stringify(table, null, 2)}\n`);
}

main(process.argv[2] ?? "", process.argv[3] ?? "");
