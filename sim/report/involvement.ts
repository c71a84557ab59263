import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import type { Violation } from "../oracle/invariants.ts";
import { eventData, eventKeys, eventPlayer, frameSession, idsPattern } from "../trace/facts.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { KITS, type VariantKit } from "../variants/index.ts";
import { slotOf } from "../world/instance-ids.ts";

/** Which parts of a trace a violation is about: the report highlights them and the explanation tells them. */
export interface Involvement {
  /** The violating step as an index into `steps` (an end-of-run check may name one past the last step). */
  step: number;
  /** Full player ids: the violation's own, else the ones its message and keys point at. */
  players: string[];
  /** The violation's keys, plus the loading sessions of players that had to be inferred. */
  keys: string[];
  /** Ascending indices of the steps that touch those players or keys. */
  steps: number[];
  /** The subset of `steps` that touch a key itself (not merely one of the players). */
  onKeys: Set<number>;
}

/** An id worth matching on its own inside data: a UUID-like id, not a word such as a mode name. */
const SPECIFIC_ID = /^[0-9a-z]+(-[0-9a-z]+){2,}$/i;

/** The id a key ends with: `loading:<sid>`, `{mm}:server:ds1`, `lock:loading:<sid>`. */
function keyId(key: string): string {
  return key.slice(key.lastIndexOf(":") + 1);
}

export function involvement(trace: Trace, violation: Violation): Involvement {
  const steps = trace.steps;
  const step = clampStep(trace, violation.step);
  const kit = KITS[trace.server];
  const config: MatchConfig = { ...DEFAULT_CONFIG, ...trace.options.config };
  const knownPlayers = [...new Set(steps.map((s) => eventPlayer(s.event)).filter((id): id is string => id !== null))];

  const players = new Set(violation.players);
  for (const id of knownPlayers) if (idsPattern([id])?.test(violation.message)) players.add(id);

  const keys = new Set(violation.keys);
  if (violation.players.length === 0) inferFromKeys(steps, keyMatcher(steps, [...keys], kit, config), knownPlayers, players, keys, kit);
  const onKey = keyMatcher(steps, [...keys], kit, config);

  const mentioned = idsPattern([...players]);
  const slots = new Set<string>();
  for (const s of steps) {
    if (s.event.kind === "frame-in" && players.has(s.event.player)) slots.add(slotOf(s.event.instance));
  }

  const involved: number[] = [];
  const onKeys = new Set<number>();
  for (const s of steps) {
    let hit = s.i === step;
    if (onKey(s)) {
      onKeys.add(s.i);
      hit = true;
    }
    if (!hit && mentioned) {
      const player = eventPlayer(s.event);
      hit = (player !== null && players.has(player)) || mentioned.test(eventData(s.event));
    }
    if (!hit && s.event.kind === "fault") hit = slots.has(s.event.target);
    if (hit) involved.push(s.i);
  }
  return { step, players: [...players], keys: [...keys], steps: involved, onKeys };
}

export function clampStep(trace: Trace, step: number): number {
  return Math.max(0, Math.min(step, trace.steps.length - 1));
}

/**
 * Which steps touch the keys: the Redis commands that read or wrote them, the steps whose data names a key's
 * specific id (a session id shows up in frames and lock keys), and for a dedicated server's key, its lane and the
 * requests to its address. Keys every step touches (a queue) are not followed.
 */
function keyMatcher(steps: readonly TraceStep[], keys: readonly string[], kit: VariantKit, config: MatchConfig): (step: TraceStep) => boolean {
  const followed = new Set(keys.filter((key) => !kit.sharedKey(key, config)));
  const tokens = new Set<string>();
  const lanes = new Set<string>();
  const servers = new Set(steps.map((s) => (s.event.kind === "http-request" ? s.event.server : null)).filter((id): id is string => id !== null));
  for (const key of followed) {
    const id = keyId(key);
    if (SPECIFIC_ID.test(id)) tokens.add(id);
    if (servers.has(id)) {
      lanes.add(`ds:${id}`);
      for (const s of steps) if (s.event.kind === "http-request" && s.event.server === id) tokens.add(s.event.address);
    }
  }
  const pattern = idsPattern([...tokens]);
  return (s) =>
    lanes.has(s.lane) || eventKeys(s.event).some((key) => followed.has(key)) || (pattern !== null && pattern.test(eventData(s.event)));
}

/**
 * A violation about a key alone (a busy server nobody was told about) still has players behind it: the ones
 * the steps on that key name. The loading sessions they were sent to are where the story happened.
 */
function inferFromKeys(
  steps: readonly TraceStep[],
  onKey: (step: TraceStep) => boolean,
  known: readonly string[],
  players: Set<string>,
  keys: Set<string>,
  kit: VariantKit,
): void {
  for (const s of steps) {
    if (!onKey(s)) continue;
    const data = eventData(s.event);
    for (const id of known) if (idsPattern([id])?.test(data)) players.add(id);
  }
  const sessions = new Set<string>();
  for (const s of steps) {
    if (s.event.kind !== "frame-out" || !players.has(s.event.player)) continue;
    const session = frameSession(s.event);
    if (session !== null) sessions.add(session);
  }
  const written = idsPattern([...sessions]);
  if (!written) return;
  for (const s of steps) {
    if (s.event.kind !== "redis") continue;
    for (const key of s.event.writes) if (!kit.lockKey(key) && written.test(keyId(key))) keys.add(key);
  }
}
