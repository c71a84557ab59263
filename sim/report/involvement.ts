import type { Violation } from "../oracle/invariants.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { splitId } from "./text.ts";

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

/** The queue is touched by every tick: naming it alone would make every step look relevant. */
const SHARED_KEY_PREFIXES = ["queue:"];
const SPECIFIC_ID = /^[0-9a-z]+(-[0-9a-z]+){2,}$/i;
const CONNECTION = /\b(c\d+)\b/;

export function involvement(trace: Trace, violation: Violation): Involvement {
  const steps = trace.steps;
  const step = clampStep(trace, violation.step);
  const playerLanes = steps.filter((s) => s.lane.startsWith("player:")).map((s) => splitId(s.lane)[1]);
  const knownPlayers = [...new Set(playerLanes)];

  const players = new Set(violation.players);
  for (const id of knownPlayers) if (mentions(violation.message, id)) players.add(id);

  const keys = new Set(violation.keys);
  const keyMatcher = (): KeyMatcher => keyTokens(steps, [...keys]);
  if (violation.players.length === 0) inferFromKeys(steps, keyMatcher(), knownPlayers, players, keys);
  const byKey = keyMatcher();

  const playerPattern = wordsPattern([...players]);
  const connections = connectionsOf(steps, players);
  const instances = new Set<string>();
  for (const s of steps) {
    if (!s.lane.startsWith("player:") || !players.has(splitId(s.lane)[1])) continue;
    const target = /-> (i\d+)\b/.exec(s.label);
    if (target?.[1]) instances.add(target[1]);
  }
  const instancePattern = wordsPattern([...instances]);

  const involved: number[] = [];
  const onKeys = new Set<number>();
  for (const s of steps) {
    const text = `${s.label}\n${s.detail}`;
    let hit = s.i === step;
    if (byKey.matches(s)) {
      onKeys.add(s.i);
      hit = true;
    }
    if (!hit && playerPattern) {
      hit = (s.lane.startsWith("player:") && players.has(splitId(s.lane)[1])) || playerPattern.test(text);
    }
    if (!hit && s.kind === "frame-out") {
      const target = /-> (c\d+)\b/.exec(s.label);
      hit = target?.[1] !== undefined && connections.has(target[1]);
    }
    if (!hit && s.kind === "fault" && instancePattern) hit = instancePattern.test(s.label);
    if (hit) involved.push(s.i);
  }
  return { step, players: [...players], keys: [...keys], steps: involved, onKeys };
}

export function clampStep(trace: Trace, step: number): number {
  return Math.max(0, Math.min(step, trace.steps.length - 1));
}

interface KeyMatcher {
  matches(step: TraceStep): boolean;
}

/**
 * A key is recognised by its name, by the id inside it (a session id shows up in frames and lock keys) and,
 * for a dedicated server, by its lane and its address (HTTP steps name the address, not the key).
 */
function keyTokens(steps: readonly TraceStep[], keys: readonly string[]): KeyMatcher {
  const tokens = new Set<string>();
  const lanes = new Set<string>();
  for (const key of keys) {
    if (SHARED_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
    tokens.add(key);
    const [prefix, id] = splitId(key);
    if (SPECIFIC_ID.test(id)) tokens.add(id);
    if (prefix === "dedicated_server" && id) {
      lanes.add(`ds:${id}`);
      for (const s of steps) {
        if (s.kind !== "redis" || !s.label.startsWith(`SET ${key} `)) continue;
        const address = /"address":"([^"]+)"/.exec(s.label)?.[1];
        if (address) tokens.add(address);
      }
    }
  }
  const pattern = wordsPattern([...tokens]);
  return { matches: (s) => lanes.has(s.lane) || (pattern !== null && pattern.test(`${s.label}\n${s.detail}`)) };
}

/**
 * A violation about a key alone (a busy server nobody was told about) still has players behind it: the ones
 * the steps on that key name. Their loading sessions are where the story happened.
 */
function inferFromKeys(steps: readonly TraceStep[], byKey: KeyMatcher, known: readonly string[], players: Set<string>, keys: Set<string>): void {
  for (const s of steps) {
    if (!byKey.matches(s)) continue;
    for (const id of known) if (mentions(`${s.label}\n${s.detail}`, id)) players.add(id);
  }
  const pattern = wordsPattern([...players]);
  if (!pattern) return;
  for (const s of steps) {
    if (s.kind !== "redis" || !s.label.startsWith("HSET loading:") || !pattern.test(s.label)) continue;
    const key = s.label.split(" ")[1];
    if (key) keys.add(key);
  }
}

/** Connection ids (`c3`) each player used: frames to a client name the connection, not the player. */
function connectionsOf(steps: readonly TraceStep[], players: ReadonlySet<string>): Set<string> {
  const connections = new Set<string>();
  for (const s of steps) {
    if (!s.lane.startsWith("player:") || !players.has(splitId(s.lane)[1])) continue;
    const id = CONNECTION.exec(s.label)?.[1];
    if (id) connections.add(id);
  }
  return connections;
}

function mentions(text: string, id: string): boolean {
  return wordsPattern([id])?.test(text) ?? false;
}

/** Matches any of the words where they stand alone: `player-1` must not match inside `player-10`. */
function wordsPattern(words: readonly string[]): RegExp | null {
  if (words.length === 0) return null;
  const escaped = [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?<![\\w-])(?:${escaped.join("|")})(?![\\w-])`);
}
