import * as pulumi from "@pulumi/pulumi";
import { createCloudMocks, Invoke, StackReferences } from "./mock-cloud";

/** The options that matter to Phoenix's invariants, as a resource was registered with them. */
export interface RecordedOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly replaceOnChanges: readonly string[];
  readonly ignoreChanges: readonly string[];
  /** `type::name` of every resource this one explicitly depends on. */
  readonly dependsOn: readonly string[];
  readonly aliases: readonly unknown[];
}

/** One resource the program registered: what a reviewer of `pulumi preview` would see. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** `type::name` of the parent; undefined for children of the stack itself. */
  readonly parent: string | undefined;
  /** The inputs as the resource received them (may hold Outputs). */
  readonly props: Record<string, unknown>;
  /** The inputs as the engine received them, resolved (secrets unwrapped). */
  inputs: Record<string, unknown>;
  /** The resource's URN, as the mock runtime names it. */
  urn: string;
  /** Names of the inputs whose value is a Pulumi secret. */
  secretProps: string[];
  /** For each input built from other resources' outputs, the URNs of those resources. */
  propertyDependencies: Record<string, string[]>;
  opts: RecordedOptions;
  /** The resource object itself, to await its outputs. */
  readonly resource: pulumi.Resource;
}

/** A message the program logged (`pulumi.log`), as `pulumi up` would print it. */
export interface Diagnostic {
  readonly severity: "debug" | "info" | "warning" | "error";
  readonly message: string;
}

/** What a run under the mock runtime produced. */
export interface MockStackRun<T> {
  /** What the program logged through `pulumi.log`, in order. */
  readonly diagnostics: readonly Diagnostic[];
  /** The program's return value (stack outputs, or a component); undefined if it threw. */
  readonly result: T;
  /** What the program threw, if it did. */
  readonly error: unknown;
  /** Every resource registered, in registration order (the Stack itself excluded). */
  readonly resources: readonly RecordedResource[];
  /** Every lookup (invoke) the program made, in order, with the mock cloud's answer. */
  readonly invokes: readonly Invoke[];
  /** The resource of that type and name; throws with the names present when there is none. */
  get(type: string, name: string): RecordedResource;
  /** Every resource of a type. */
  ofType(type: string): RecordedResource[];
}

/** How to run a program under the mock runtime. */
export interface MockStackOptions {
  readonly project?: string;
  readonly stack?: string;
  /** Full config keys (`phoenix:blueCount`) to values as Pulumi passes them: strings. */
  readonly config?: Readonly<Record<string, string>>;
  /** Config keys that hold secrets. */
  readonly secretKeys?: readonly string[];
  /** Whether to run as a preview (unknown values stay unknown). */
  readonly preview?: boolean;
  /** The outputs of the stack's previous deployment (none: a first deployment). */
  readonly previousOutputs?: Readonly<Record<string, unknown>>;
  /**
   * Other stacks' outputs, by full name (`<organization>/<project>/<stack>`), for the program's
   * references to them; a stack not named here has none.
   * @default undefined (every reference reads the previous outputs)
   */
  readonly otherStacks?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** What the DIY backend reports, and the organization of `<org>/<project>/<stack>` names. */
export const ORGANIZATION = "organization";

/** An Output's internal record of the resources its value comes from. */
interface OutputInternals {
  allResources(): Promise<Iterable<pulumi.Resource>>;
}

/** The resource options of a `RegisterResourceRequest`, as the engine receives them. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  hasProtect(): boolean;
  getProtect(): boolean;
  hasRetainondelete(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
}

/** The mock monitor, as far as the recorder wraps it. */
interface MonitorInternals {
  registerResource(req: RegisterRequest, callback: (...args: unknown[]) => void): unknown;
}

/** SDK functions that exist at run time but are marked internal, so have no typings. */
const runtimeInternals = pulumi.runtime as unknown as {
  waitForRPCs(): Promise<void>;
  getMonitor(): MonitorInternals | undefined;
};

/** The options the engine receives, by `type::name`: after every transformation has run. */
type SentOptions = Map<
  string,
  Pick<
    RecordedOptions,
    "protect" | "retainOnDelete" | "deleteBeforeReplace" | "ignoreChanges" | "replaceOnChanges"
  >
>;

/**
 * Wraps the mock monitor's `registerResource` so that the recorder sees each resource's options
 * as the engine would receive them. A stack transformation sees the options as they are when it
 * runs, before the transformations registered after it (a decommission's, a review stack's):
 * only the request shows what the engine records in the state.
 */
function captureSentOptions(): SentOptions {
  const sent: SentOptions = new Map();
  const monitor = runtimeInternals.getMonitor();
  if (monitor === undefined) throw new Error("internal error: no mock monitor");
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    sent.set(`${req.getType()}::${req.getName()}`, {
      protect: req.hasProtect() && req.getProtect(),
      retainOnDelete: req.hasRetainondelete() && req.getRetainondelete(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
    });
    return register(req, callback);
  };
  return sent;
}

const key = (r: pulumi.Resource): string => {
  const internal = r as unknown as { __pulumiType: string; __name: string };
  return `${internal.__pulumiType}::${internal.__name}`;
};

function asArray<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as T[])] : [value as T];
}

/**
 * Runs `program` under Pulumi's mock runtime inside a real root Stack, recording every resource
 * registered with its type, name, parent, inputs and options (which mocks alone do not show).
 */
export async function runInMockStack<T>(
  program: () => T | Promise<T>,
  options: MockStackOptions = {},
): Promise<MockStackRun<T>> {
  // Pulumi records a stack trace on every promise it makes (runtime/debuggable.js), and with
  // source maps installed (ts-node, jest) formatting them costs more than all the rest of a run:
  // aws-prod runs in 1.4 s with traces and 0.28 s without. A run records no trace, so none is
  // captured; PHOENIX_STACK_TRACES=1 keeps them, for debugging a program that throws.
  const traceLimit = Error.stackTraceLimit;
  if (process.env.PHOENIX_STACK_TRACES !== "1") Error.stackTraceLimit = 0;
  try {
    return await record(program, options);
  } finally {
    Error.stackTraceLimit = traceLimit;
  }
}

async function record<T>(
  program: () => T | Promise<T>,
  options: MockStackOptions,
): Promise<MockStackRun<T>> {
  const project = options.project ?? "phoenix";
  const stack = options.stack ?? "dev";
  const references: StackReferences = options.otherStacks
    ? { self: `${ORGANIZATION}/${project}/${stack}`, stacks: options.otherStacks }
    : { self: undefined, stacks: {} };
  const mocks = createCloudMocks(options.previousOutputs, references);
  await pulumi.runtime.setMocks(mocks, project, stack, options.preview ?? false, ORGANIZATION);
  pulumi.runtime.setAllConfig({ ...(options.config ?? {}) }, [...(options.secretKeys ?? [])]);
  const sent = captureSentOptions();

  const resources: RecordedResource[] = [];
  const diagnostics: Diagnostic[] = [];
  const restoreConsole = captureRuntimeLogs(diagnostics);
  let result: T | undefined;
  let error: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const opts = args.opts;
      const dependsOn = asArray(opts.dependsOn as pulumi.Resource | pulumi.Resource[] | undefined);
      resources.push({
        type: args.type,
        name: args.name,
        parent:
          opts.parent && !(opts.parent.constructor.name === "Stack") ? key(opts.parent) : undefined,
        props: args.props,
        inputs: {},
        urn: "",
        secretProps: [],
        propertyDependencies: {},
        opts: {
          protect: opts.protect === true,
          retainOnDelete: opts.retainOnDelete === true,
          deleteBeforeReplace: (opts as pulumi.CustomResourceOptions).deleteBeforeReplace === true,
          replaceOnChanges: opts.replaceOnChanges ?? [],
          ignoreChanges: opts.ignoreChanges ?? [],
          dependsOn: dependsOn.map((d) => (pulumi.Resource.isInstance(d) ? key(d) : "<output>")),
          aliases: opts.aliases ?? [],
        },
        resource: args.resource,
      });
      return undefined;
    });
    try {
      result = await program();
    } catch (e) {
      error = e;
    }
    return {};
  });
  // Wait until the mock monitor has answered every registration the program started.
  await Promise.all(
    resources.map(async (r) => {
      r.urn = await unwrap(r.resource.urn);
      // The options as the engine received them, after every transformation.
      const final = sent.get(`${r.type}::${r.name}`);
      if (final !== undefined) r.opts = { ...r.opts, ...final };
      const secret = await Promise.all(
        Object.entries(r.props).map(async ([k, v]) =>
          (await pulumi.isSecret(pulumi.output(v))) ? k : "",
        ),
      );
      r.secretProps = secret.filter((k) => k !== "");
      for (const [k, v] of Object.entries(r.props)) {
        const sources = [
          ...(await (pulumi.output(v) as unknown as OutputInternals).allResources()),
        ];
        if (sources.length > 0) {
          r.propertyDependencies[k] = await Promise.all(sources.map((d) => unwrap(d.urn)));
        }
      }
    }),
  );
  // Components register their outputs after the run; let those land before the next run
  // replaces the mock monitor, which would not know them.
  await runtimeInternals.waitForRPCs();
  restoreConsole();
  for (const call of mocks.calls) {
    const match = resources.find((r) => r.type === call.type && r.name === call.name);
    if (match) match.inputs = revealSecrets(call.inputs) as Record<string, unknown>;
  }
  return {
    diagnostics,
    result: result as T,
    error,
    resources,
    invokes: mocks.invokes,
    get(type, name) {
      const found = resources.find((r) => r.type === type && r.name === name);
      if (!found) {
        const names = resources.filter((r) => r.type === type).map((r) => r.name);
        throw new Error(`no ${type} named ${name}; registered: ${names.join(", ") || "none"}`);
      }
      return found;
    },
    ofType(type) {
      return resources.filter((r) => r.type === type);
    },
  };
}

/** The key and value by which the engine's wire format marks a secret value. */
const SECRET_SIG = {
  key: "4dabf18193072939515e22adb298388d",
  value: "1b47061264138c4ac30d75fd1eb44270",
};

/**
 * Inputs with every secret wrapper (`{ <sig>: <secret sig>, value }`, as the mock monitor
 * receives them) replaced by the value it wraps: policies and the plan read the values, and
 * the secretness of each input is recorded beside them (`secretProps`).
 */
export function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG.key] === SECRET_SIG.value) return revealSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revealSecrets(v)]));
}

/**
 * Without an engine, `pulumi.log` writes `<severity>: [runtime] <message>` to the console:
 * collect those instead, so a run's messages can be shown (or tested) and stdout stays clean.
 *
 * @returns what puts the console back
 */
function captureRuntimeLogs(into: Diagnostic[]): () => void {
  const methods = ["log", "warn", "error"] as const;
  const originals = methods.map((m) => console[m]);
  for (const [i, method] of methods.entries()) {
    const original = originals[i] as (...args: unknown[]) => void;
    console[method] = (...args: unknown[]) => {
      const match = /^(debug|info|warning|error): \[runtime\] ([\s\S]*)$/.exec(String(args[0]));
      if (args.length === 1 && match)
        into.push({ severity: match[1] as Diagnostic["severity"], message: match[2] as string });
      else original(...args);
    };
  }
  return () => methods.forEach((m, i) => (console[m] = originals[i] as typeof console.log));
}

/** Resolves an Output (or plain value) to its value, for assertions outside `.apply`. */
export function unwrap<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));
}

/** Resolves an Output to `{ value, secret }`. */
export async function unwrapWithSecret<T>(
  value: pulumi.Output<T>,
): Promise<{ value: T; secret: boolean }> {
  return { value: await unwrap(value), secret: await pulumi.isSecret(value) };
}
