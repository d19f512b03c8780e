// Run on the deploy runner just before a data volume moves to a rebuilt droplet: shuts down,
// gracefully, every other droplet the volume is attached to, so that the app stops and the
// filesystem is unmounted cleanly before the volume is detached (DigitalOcean's detach does not
// check for a mount, and its documentation asks to unmount first).
//
//   node -r ts-node/register/transpile-only release-volume.ts --volume ID --keep DROPLET_ID
//        [--api https://api.digitalocean.com] [--timeout SECONDS]
//
// The API token comes from DIGITALOCEAN_TOKEN (or DIGITALOCEAN_ACCESS_TOKEN), as for the
// provider. A droplet that does not shut down in time is powered off: a journaled filesystem
// recovers from that, while detaching under a running app would lose its last writes.
// Exit 0 when the volume is free of other droplets, 1 on an API failure or a droplet that
// would not stop (the update then fails before the volume moves), 2 on bad arguments.

/** The arguments, as parsed. */
interface Options {
  readonly volume: string;
  readonly keep: string;
  readonly api: string;
  readonly timeoutSeconds: number;
  readonly token: string;
}

class UsageError extends Error {}

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? "";
    const value = argv[i + 1];
    if (!["--volume", "--keep", "--api", "--timeout"].includes(flag) || value === undefined)
      throw new UsageError(`unknown or incomplete argument ${JSON.stringify(flag)}`);
    values[flag.slice(2)] = value;
  }
  const token = env.DIGITALOCEAN_TOKEN ?? env.DIGITALOCEAN_ACCESS_TOKEN ?? "";
  const timeoutSeconds = Number(values.timeout ?? "180");
  if (!values.volume || !/^[A-Za-z0-9-]+$/.test(values.volume))
    throw new UsageError(
      `--volume received ${JSON.stringify(values.volume ?? "")}; allowed: a volume ID`,
    );
  if (!values.keep || !/^\d+$/.test(values.keep))
    throw new UsageError(
      `--keep received ${JSON.stringify(values.keep ?? "")}; allowed: a droplet ID`,
    );
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1)
    throw new UsageError(
      `--timeout received ${JSON.stringify(values.timeout)}; allowed: whole seconds`,
    );
  if (token === "") throw new UsageError("no API token: set DIGITALOCEAN_TOKEN");
  return {
    volume: values.volume,
    keep: values.keep,
    api: (values.api ?? "https://api.digitalocean.com").replace(/\/$/, ""),
    timeoutSeconds,
    token,
  };
}

async function call(
  options: Options,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${options.api}${path}`, {
    method,
    headers: { Authorization: `Bearer ${options.token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a droplet action and waits until it completes; false if it errors or times out. */
async function act(
  options: Options,
  droplet: string,
  type: string,
  deadline: number,
): Promise<boolean> {
  const started = await call(options, "POST", `/v2/droplets/${droplet}/actions`, { type });
  const id = (started.action as { id?: number } | undefined)?.id;
  if (id === undefined)
    throw new Error(`POST /v2/droplets/${droplet}/actions: no action in the answer`);
  while (Date.now() < deadline) {
    const { action } = (await call(options, "GET", `/v2/actions/${id}`)) as {
      action?: { status?: string };
    };
    if (action?.status === "completed") return true;
    if (action?.status === "errored") return false;
    await sleep(Number(process.env.PHOENIX_POLL_MS ?? 3000));
  }
  return false;
}

async function release(options: Options): Promise<void> {
  const { volume } = (await call(options, "GET", `/v2/volumes/${options.volume}`)) as {
    volume?: { droplet_ids?: number[] };
  };
  const holders = (volume?.droplet_ids ?? []).map(String).filter((d) => d !== options.keep);
  if (holders.length === 0) {
    console.log(`volume ${options.volume} is attached to no other droplet: nothing to stop`);
    return;
  }
  for (const droplet of holders) {
    const { droplet: state } = (await call(options, "GET", `/v2/droplets/${droplet}`)) as {
      droplet?: { status?: string };
    };
    if (state?.status === "off") {
      console.log(`droplet ${droplet} holding volume ${options.volume} is already off`);
      continue;
    }
    const deadline = Date.now() + options.timeoutSeconds * 1000;
    if (await act(options, droplet, "shutdown", deadline)) {
      console.log(
        `droplet ${droplet} shut down: its app stopped and volume ${options.volume} unmounted`,
      );
      continue;
    }
    console.log(
      `droplet ${droplet} did not shut down within ${options.timeoutSeconds}s: powering it off`,
    );
    if (!(await act(options, droplet, "power_off", Date.now() + options.timeoutSeconds * 1000)))
      throw new Error(
        `droplet ${droplet} would not power off; volume ${options.volume} was not released`,
      );
  }
}

async function main(): Promise<number> {
  try {
    await release(parseOptions(process.argv.slice(2), process.env));
    return 0;
  } catch (e) {
    const usage = e instanceof UsageError;
    console.error(`release-volume: ${(e as Error).message}`);
    return usage ? 2 : 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
