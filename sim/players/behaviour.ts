import { weightedIndex } from "../random/weighted.ts";

export const BEHAVIOURS = [
  "normal",
  "slow-loader",
  "never-loads",
  "quits-before-match",
  "quits-during-loading",
  "quits-after-match",
  "reconnects",
  "changes-mode",
  "plays-again",
  "enqueues-twice",
  "malformed-frames",
  "unknown-mode",
  "floods",
] as const;

export type Behaviour = (typeof BEHAVIOURS)[number];

export function isBehaviour(name: string): name is Behaviour {
  return (BEHAVIOURS as readonly string[]).includes(name);
}

/** Players who want a match and do everything asked of them: the ones eventual-match speaks for. */
export function isWilling(behaviour: Behaviour): boolean {
  return (
    behaviour === "normal" ||
    behaviour === "slow-loader" ||
    behaviour === "reconnects" ||
    behaviour === "changes-mode" ||
    behaviour === "plays-again" ||
    behaviour === "enqueues-twice" ||
    behaviour === "quits-after-match" ||
    behaviour === "quits-during-loading" ||
    behaviour === "quits-before-match"
  );
}

/** How long a behaviour takes to load, in ms, or null when it never sends loading_complete. */
export function loadingTime(behaviour: Behaviour, draw: (min: number, max: number) => number): number | null {
  // A flooding client is no game client: what it sends after its enqueue is its burst, never a loading_complete.
  if (behaviour === "never-loads" || behaviour === "floods") return null;
  // Up to just past the default 60 s loading deadline: coincidence seeking then lands some readies on the
  // deadline's instant itself (a sweep of the creating instance fires there), where `now <= deadline` decides.
  if (behaviour === "slow-loader") return draw(40_000, 61_000);
  return draw(200, 4_000);
}

/** A mix like `normal=0.7,quits-during-loading=0.1`: weights, normalised when drawn. */
export type BehaviourMix = Partial<Record<Behaviour, number>>;

export function parseMix(text: string): BehaviourMix | string {
  const mix: BehaviourMix = {};
  for (const part of text.split(",")) {
    const [name, weight] = part.split("=");
    if (!name || !isBehaviour(name)) return `unknown behaviour "${name ?? ""}" (known: ${BEHAVIOURS.join(", ")})`;
    const value = Number(weight);
    if (!Number.isFinite(value) || value < 0) return `weight of ${name} must be a non-negative number`;
    mix[name] = value;
  }
  return mix;
}

export function drawBehaviour(mix: BehaviourMix, uniform: number): Behaviour {
  const entries = Object.entries(mix).filter(([, weight]) => (weight ?? 0) > 0) as Array<[Behaviour, number]>;
  if (entries.length === 0) return "normal";
  return (entries[weightedIndex(entries.map(([, weight]) => weight), uniform)] as [Behaviour, number])[0];
}
