import { sleep } from "./vm";

/** The test app's answer on its health path. */
export interface Health {
  readonly host: string;
  readonly starts: number;
  readonly secretLength: number;
}

/** One health request; undefined unless it answers 2xx within 2 s. */
export async function health(url: string): Promise<Health | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok ? ((await response.json()) as Health) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls until the app answers healthy, up to `timeoutMs`; throws with `what` otherwise. */
export async function waitForHealthy(
  url: string,
  timeoutMs: number,
  what: string,
): Promise<{ at: number; health: Health }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await health(url);
    if (answer) return { at: Date.now(), health: answer };
    if (Date.now() > deadline)
      throw new Error(
        `${what}: the app never answered healthy on ${url} within ${timeoutMs / 1000}s`,
      );
    await sleep(1000);
  }
}
