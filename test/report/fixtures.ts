import { findScenario } from "../../scenarios/index.ts";
import type { Violation } from "../../sim/oracle/invariants.ts";
import type { RedisChange } from "../../sim/report/redis-history.ts";
import { RedisHistory } from "../../sim/report/redis-history.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { RedisEvent, StepEvent } from "../../sim/trace/events.ts";
import { TRACE_FORMAT, type Trace, type TraceStep } from "../../sim/trace/trace.ts";

export const P1 = "a11ae3a8-e5c0-4500-9163-880971d17cef";
export const P2 = "53f13f66-fefa-42a4-b6b9-fb8f6c3bd7e6";
export const SESSION = "c8ed462b-54c8-438d-9953-d8068d285963";

const json = (value: unknown): string => JSON.stringify(value);

function redis(client: string, command: string, args: Array<string | number>, reply: RedisEvent["reply"], touched: { reads?: string[]; writes?: string[] } = {}): RedisEvent {
  return { kind: "redis", client, command, script: null, keys: [], args, outcome: "ok", reply, error: null, reads: touched.reads ?? [], writes: touched.writes ?? [], readsAll: false };
}

function script(client: string, name: string, keys: string[], args: Array<string | number>, reply: RedisEvent["reply"], writes: string[]): RedisEvent {
  return { kind: "redis", client, command: "EVAL", script: name, keys, args, outcome: "ok", reply, error: null, reads: [], writes, readsAll: false };
}

const frameIn = (connection: string, instance: string, player: string, text: string): StepEvent => ({ kind: "frame-in", connection, instance, player, text, dropped: false });
const frameOut = (connection: string, instance: string, player: string, text: string): StepEvent => ({ kind: "frame-out", connection, instance, player, text, dropped: false });
const closeByClient = (connection: string, instance: string, player: string): StepEvent => ({ kind: "close", connection, instance, player, by: "client", result: "closed" });

const SERVER_KEY = "dedicated_server:ds1";
const LOADING = `loading:${SESSION}`;
const LOCK = `lock:loading:${SESSION}`;

/** A step: when, on which lane, what, and the row whose code made it (null for the world's own). */
type Row = [t: number, lane: string, event: StepEvent, cause: number | null];

/**
 * A hand-written cancel-vs-complete: P2 finishes loading and quits at once; i2 takes the loading lock for its
 * loading_complete, so the quit's handler is refused the lock and gives up; P1 leaves too, and the completion
 * allocates ds1 for players nobody can tell.
 */
const ROWS: Row[] = [
  [0, `player:${P1}`, { kind: "client", player: P1, action: "join" }, null],
  [1, "ds:ds1", redis("ds1", "SET", [SERVER_KEY, json({ address: "ds1.sim:7001", status: "idle" })], "OK", { writes: [SERVER_KEY] }), null],
  [1, `player:${P1}`, frameIn("c1", "i1", P1, json({ type: "enqueue", player_id: P1, game_mode: "Normal_1v1" })), 0],
  [2, `player:${P2}`, frameIn("c4", "i2", P2, json({ type: "enqueue", player_id: P2, game_mode: "Normal_1v1" })), null],
  [5002, "instance:i1", { kind: "timer", owner: "i1", timer: "tick:Normal_1v1" }, null],
  [5003, "instance:i1", redis("i1", "SET", ["lock:match:Normal_1v1", "ff9cc41396e99c1ccf2d7b240b654100", "NX", "PX", 10000], "OK", { writes: ["lock:match:Normal_1v1"] }), 4],
  [5004, "instance:i1", script("i1", "legacy_match", ["queue:Normal_1v1"], [2], [P1, P2], ["queue:Normal_1v1"]), 5],
  [5006, "instance:i1", redis("i1", "HSET", [LOADING, P1, "loading", P2, "loading", "game_mode", "Normal_1v1", "status", "loading"], 5, { writes: [LOADING] }), 6],
  [5010, "instance:i1", frameOut("c1", "i1", P1, json({ type: "start_loading", loading_session_id: SESSION })), 7],
  [10761, `player:${P2}`, { kind: "client", player: P2, action: "quit during loading" }, null],
  [10763, `player:${P2}`, frameIn("c4", "i2", P2, json({ type: "loading_complete", loading_session_id: SESSION })), null],
  [10763, "instance:i2", redis("i2", "SET", [LOCK, "5f18bbcc27d3447602f794a984234af7", "NX", "PX", 10000], "OK", { writes: [LOCK] }), 10],
  [10763, `player:${P2}`, closeByClient("c4", "i2", P2), 9],
  [10765, "instance:i2", redis("i2", "SET", [LOCK, "2fef4669c6766746bc4905957c1372c1", "NX", "PX", 10000], null, { writes: [LOCK] }), 12],
  [12762, `player:${P1}`, closeByClient("c1", "i1", P1), null],
  [12764, "instance:i2", script("i2", "legacy_loading_complete", [LOADING], [P2], ["Normal_1v1", P1, P2], [LOADING]), 11],
  [12770, "ds:ds1", { kind: "http-request", instance: "i2", server: "ds1", address: "ds1.sim:7001", url: "http://ds1.sim:7001/session/create", body: json({ players: [P1, P2] }), outcome: "handled" }, 15],
  [12771, "ds:ds1", redis("ds1", "SET", [SERVER_KEY, json({ address: "ds1.sim:7001", status: "busy" })], "OK", { writes: [SERVER_KEY] }), 16],
  [13000, "world", { kind: "fault", fault: "crash", target: "i2", note: "", effect: "i2 crashed" }, null],
  [15002, "instance:i1", { kind: "timer", owner: "i1", timer: "tick:Normal_1v1" }, null],
];

/** The lock i2's loading_complete handler took, and the refusal of the quit's handler it caused. */
export const LOCK_TAKEN_STEP = 11;
export const REFUSED_LOCK_STEP = 13;

export const ORPHAN: Violation = {
  invariant: "no-orphaned-session",
  message: "dedicated server ds1 (ds1.sim:7001) is busy but no player was ever told match_found for it",
  step: ROWS.length,
  at: 140_002,
  players: [],
  keys: [SERVER_KEY],
};

export function handWrittenTrace(violations: Violation[] = [ORPHAN]): Trace {
  const scenario = findScenario("cancel-vs-complete");
  if (!scenario) throw new Error("scenario cancel-vs-complete is missing");
  const steps: TraceStep[] = ROWS.map(([t, lane, event, cause], i) => ({ i, id: i, cause, t, lane, event }));
  return {
    format: TRACE_FORMAT,
    scenario: "cancel-vs-complete",
    server: "legacy",
    seed: 4,
    strategy: "pct",
    options: scenario.options,
    stopAtFirst: false,
    decisions: [],
    verdict: violations.length > 0 ? "fail" : "pass",
    violations,
    steps,
    revision: { code: "0123456789abcdef", git: null },
    coverage: {},
    hash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  };
}

/** Redis changes matching the hand-written steps that write. */
export function handWrittenRedis(trace: Trace): RedisChange[] {
  return trace.steps.map((step): RedisChange => {
    const event = step.event;
    if (event.kind !== "redis") return [];
    if (event.command === "SET" && event.args[0] === SERVER_KEY) return [[SERVER_KEY, { type: "string", value: String(event.args[1]) }]];
    if (event.command === "HSET") return [[LOADING, { type: "hash", value: { [P1]: "loading", [P2]: "loading" } }]];
    return [];
  });
}

/** The first failing run of a scenario on the legacy server, with what each step changed in Redis. */
export async function firstFailure(name: string, maxSeeds = 300): Promise<{ trace: Trace; redis: RedisChange[] }> {
  const scenario = findScenario(name);
  if (!scenario) throw new Error(`scenario ${name} is missing`);
  for (let seed = 0; seed < maxSeeds; seed++) {
    const history = new RedisHistory();
    const trace = await runOnce({ scenario: name, server: "legacy", seed, strategy: "pct", options: scenario.options, observe: history.observe });
    // The scenario's own defect, not another flaw of legacy's (its set-shaped queue breaks queue-order too).
    if (trace.violations.some((violation) => scenario.breaks.includes(violation.invariant))) return { trace, redis: history.changes };
  }
  throw new Error(`${name} did not fail on legacy within ${maxSeeds} seeds`);
}
