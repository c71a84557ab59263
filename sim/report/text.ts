const UUID = /\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** Lock tokens and other random hex ids: only their being different matters to a reader. */
const HEX_TOKEN = /\b([0-9a-f]{6})[0-9a-f]{20,}\b/gi;

/** Shortens UUIDs to their first 8 characters and long hex tokens to 6, so a line stays readable. */
export function abbreviateIds(text: string): string {
  return text.replace(UUID, "$1").replace(HEX_TOKEN, "$1…");
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Virtual ms as seconds with ms precision: "10.763 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** `player:<uuid>` -> `player <first 8>`, `instance:i1` -> `i1`, `ds:ds1` -> `ds1`. */
export function laneName(lane: string): string {
  const [kind, id = ""] = splitId(lane);
  if (kind === "player") return `player ${abbreviateIds(id)}`;
  if (kind === "instance" || kind === "ds") return id;
  return lane;
}

/** `kind:id` (a lane, or a key such as `loading:<session>`) split at its first colon. */
export function splitId(name: string): [kind: string, id: string] {
  const colon = name.indexOf(":");
  return colon < 0 ? [name, ""] : [name.slice(0, colon), name.slice(colon + 1)];
}
