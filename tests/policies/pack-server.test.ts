import { ChildProcess, spawn } from "child_process";
import * as grpc from "@grpc/grpc-js";
import * as path from "path";
import { RULES } from "../../policies/rules";

// The analyzer protocol the Pulumi CLI speaks to a policy pack, from the SDK's generated stubs.
/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
  AnalyzerClient: new (address: string, credentials: grpc.ChannelCredentials) => AnalyzerClient;
};
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb") as {
  AnalyzeRequest: new () => AnalyzeRequest;
  AnalyzerResourceOptions: new () => { setProtect(p: boolean): void };
};
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as {
  Empty: new () => object;
};
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: Record<string, unknown>): object };
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface AnalyzeRequest {
  setType(t: string): void;
  setName(n: string): void;
  setUrn(u: string): void;
  setProperties(p: object): void;
  setOptions(o: object): void;
}
interface Named {
  getName(): string;
}
interface Diagnostic {
  getPolicyname(): string;
  getMessage(): string;
}
type Callback<T> = (error: grpc.ServiceError | null, response: T) => void;
interface AnalyzerClient {
  getAnalyzerInfo(
    request: object,
    callback: Callback<{ getName(): string; getPoliciesList(): Named[] }>,
  ): void;
  analyze(
    request: AnalyzeRequest,
    callback: Callback<{ getDiagnosticsList(): Diagnostic[] }>,
  ): void;
  close(): void;
}

const ROOT = path.resolve(__dirname, "../..");

/** Starts the pack the way the Pulumi CLI does: its directory as cwd, the port on stdout. */
function startPack(): Promise<{ child: ChildProcess; client: AnalyzerClient }> {
  const child = spawn(
    process.execPath,
    [
      "-r",
      path.join(ROOT, "node_modules/ts-node/register/transpile-only"),
      path.join(ROOT, "policies"),
    ],
    {
      cwd: path.join(ROOT, "policies"),
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => reject(new Error(`policy pack exited ${code}: ${err}`)));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const port = /^(\d+)\n/.exec(out)?.[1];
      if (port) {
        resolve({
          child,
          client: new analyzerGrpc.AnalyzerClient(
            `127.0.0.1:${port}`,
            grpc.credentials.createInsecure(),
          ),
        });
      }
    });
  });
}

function call<T>(invoke: (callback: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    invoke((error, response) => (error ? reject(error) : resolve(response))),
  );
}

describe("the policy pack served as the Pulumi CLI runs it", () => {
  let pack: { child: ChildProcess; client: AnalyzerClient };
  beforeAll(async () => {
    pack = await startPack();
  });
  afterAll(() => {
    pack.client.close();
    pack.child.removeAllListeners("exit");
    pack.child.kill();
  });

  it("loads from policies/ and announces every policy", async () => {
    const info = await call<{ getName(): string; getPoliciesList(): Named[] }>((cb) =>
      pack.client.getAnalyzerInfo(new Empty(), cb),
    );
    expect(info.getName()).toBe("phoenix");
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual(RULES.map((r) => r.name));
  });

  it("reports a stock-image, untagged droplet through CrossGuard's own analyze call", async () => {
    const request = new analyzerPb.AnalyzeRequest();
    request.setType("digitalocean:index/droplet:Droplet");
    request.setName("web-0");
    request.setUrn("urn:pulumi:dev::phoenix::digitalocean:index/droplet:Droplet::web-0");
    request.setProperties(
      Struct.fromJavaScript({ image: "ubuntu-24-04-x64", tags: ["service:shop"] }),
    );
    const options = new analyzerPb.AnalyzerResourceOptions();
    options.setProtect(false);
    request.setOptions(options);
    const result = await call<{ getDiagnosticsList(): Diagnostic[] }>((cb) =>
      pack.client.analyze(request, cb),
    );
    expect(
      result.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getMessage().split("\n").pop()]),
    ).toEqual([
      [
        "servers-use-pinned-images",
        'digitalocean:index/droplet:Droplet web-0 boots from image "ubuntu-24-04-x64"; servers must boot from a pinned image: the numeric ID of a custom image or snapshot (a stock distribution slug is not a pinned release)',
      ],
      [
        "resources-tagged",
        "digitalocean:index/droplet:Droplet web-0 lacks the tags environment, colour, managed-by:phoenix",
      ],
    ]);
  });
});
