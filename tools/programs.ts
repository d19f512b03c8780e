import * as path from "path";
import { deliveryProgram } from "../delivery/program";
import { edgeProgram } from "../edge/program";
import { phoenixProgram } from "../stacks/program";

/** The repository root. */
export const REPOSITORY_DIR = path.resolve(__dirname, "..");

/** A Pulumi program of this repository, as the offline plan runs it. */
export interface Program {
  /** What `npm run plan -- --program <name>` calls it. */
  readonly name: string;
  /** Its directory (where its `Pulumi.yaml` and stack files are), relative to the root. */
  readonly dir: string;
  /** Whether the Phoenix policy pack judges what it registers (only Phoenix stacks). */
  readonly phoenixPolicies: boolean;
  /** The program itself: what it returns are the stack outputs. */
  run(): unknown;
  /**
   * The other stacks a stack of this program reads through references, by full name
   * (`<organization>/<project>/<stack>`), from its config (every value a string).
   */
  references(config: Readonly<Record<string, string>>, organization: string): string[];
}

const list = (text: string | undefined): string[] => {
  try {
    const value: unknown = JSON.parse(text ?? "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
};

/** The Phoenix program: a stack being decommissioned reads the edge and the stack holding its data. */
export const PHOENIX: Program = {
  name: "phoenix",
  dir: ".",
  phoenixPolicies: true,
  run: () => phoenixProgram(),
  references(config, organization) {
    if (config["phoenix:decommission"] !== "true") return [];
    const edge = config["phoenix:decommissionEdgeStack"];
    const copy = config["phoenix:decommissionDataCopy"];
    return [
      ...(edge && edge !== "none" ? [edge] : []),
      ...(copy && !copy.startsWith("dump:") ? [`${organization}/phoenix/${copy}`] : []),
    ];
  },
};

/** The programs `npm run plan -- --program` knows. */
export const PROGRAMS: readonly Program[] = [
  PHOENIX,
  {
    name: "delivery",
    dir: "delivery",
    phoenixPolicies: false,
    run: () => deliveryProgram(),
    references: () => [],
  },
  {
    name: "edge",
    dir: "edge",
    phoenixPolicies: false,
    run: () => edgeProgram(),
    references(config, organization) {
      const project = config["phoenix-edge:project"] ?? "phoenix";
      return list(config["phoenix-edge:environments"]).map(
        (e) => `${organization}/${project}/${e}`,
      );
    },
  },
];
