/** The two colours of a blue/green deployment. */
export const COLOURS = ["blue", "green"] as const;

/** One colour of a blue/green deployment. */
export type Colour = (typeof COLOURS)[number];

/** Whether a value names a colour. */
export function isColour(value: unknown): value is Colour {
  return value === "blue" || value === "green";
}

/** The colour that is not `colour`. */
export function otherColour(colour: Colour): Colour {
  return colour === "blue" ? "green" : "blue";
}
