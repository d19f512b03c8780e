/**
 * A release step refused: names the setting, the value received and what is allowed, like every
 * other Phoenix error.
 */
export class ReleaseRefusal extends Error {
  /**
   * @param setting the setting or field at fault, e.g. `phoenix:canaryWeight`
   * @param received the value received, as written in the message
   * @param allowed what is allowed, and how to get there
   */
  constructor(
    readonly setting: string,
    readonly received: string,
    readonly allowed: string,
  ) {
    super(`${setting}: received ${received}; allowed: ${allowed}`);
    this.name = "ReleaseRefusal";
  }
}

/** A value as it appears in a message: strings quoted, anything else as JSON. */
export function shown(value: unknown): string {
  return value === undefined ? "nothing (unset)" : JSON.stringify(value);
}
