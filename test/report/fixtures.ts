import { findScenario } from "../../scenarios/index.ts";
import type { Violation } from "../../sim/oracle/invariants.ts";
import type { RedisChange } from "../../sim/report/redis-history.ts";
import { RedisHistory } from "../../sim/report/redis-history.ts";
import { runOnce } from "../../sim/run/run-once.ts";
import type { StepKind } from "../../sim/scheduler/step.ts";
import { TRACE_FORMAT, type Trace, type TraceStep } from "../../sim/trace/trace.ts";

export const P1 = "a11ae3a8-e5c0-4500-9163-880971d17cef";
export const P2 = "53f13f66-fefa-42a4-b6b9-fb8f6c3bd7e6";
export const SESSION = "c8ed462b-54c8-438d-9953-d8068d285963";

type Row = [t: number, lane: string, kind: StepKind, label: string, detail: string];

/**
 * A hand-written cancel-vs-complete: both players quit while their loading_complete is being handled, the
 * cancel finds the loading lock taken, and the completion allocates ds1 for players nobody can tell.
 */
const ROWS: Row[] = [
  [0, `player:${P1}`, "client", "join", ""],
  [1, "ds:ds1", "redis", `SET dedicated_server:ds1 {"address":"ds1.sim:7001","status":"idle"}`, `"OK"`],
  [1, `player:${P1}`, "frame-in", "frame c1 -> i1", `{"type":"enqueue","player_id":"${P1}","game_mode":"Normal_1v1"}`],
  [2, `player:${P2}`, "frame-in", "frame c4 -> i2", `{"type":"enqueue","player_id":"${P2}","game_mode":"Normal_1v1"}`],
  [5002, "instance:i1", "timer", "tick:Normal_1v1", ""],
  [5003, "instance:i1", "redis", "SET lock:match:Normal_1v1 ff9cc41396e99c1ccf2d7b240b654100 NX PX 10000", `"OK"`],
  [5004, "instance:i1", "redis", "EVAL legacy_match queue:Normal_1v1 2", `["${P1}","${P2}"]`],
  [5006, "instance:i1", "redis", `HSET loading:${SESSION} ${P1} loading ${P2} loading game_mode Normal_1v1 status loading`, "5"],
  [5010, "instance:i1", "frame-out", "message i1 -> c1", `{"type":"start_loading","loading_session_id":"${SESSION}"}`],
  [10761, `player:${P2}`, "client", "quit during loading", ""],
  [10763, `player:${P2}`, "frame-in", "frame c4 -> i2", `{"type":"loading_complete","loading_session_id":"${SESSION}"}`],
  [10763, "instance:i2", "redis", `SET lock:loading:${SESSION} 5f18bbcc27d3447602f794a984234af7 NX PX 10000`, `"OK"`],
  [10763, `player:${P2}`, "close", "close c4 by client", "closed"],
  [10765, "instance:i2", "redis", `SET lock:loading:${SESSION} 2fef4669c6766746bc4905957c1372c1 NX PX 10000`, "null"],
  [12762, `player:${P1}`, "close", "close c1 by client", "closed"],
  [12764, "instance:i1", "redis", `EVAL legacy_loading_complete loading:${SESSION} ${P1}`, `["Normal_1v1","${P1}","${P2}"]`],
  [12770, "ds:ds1", "http-request", "POST http://ds1.sim:7001/session/create", `{"players":["${P1}","${P2}"]}`],
  [12771, "ds:ds1", "redis", `SET dedicated_server:ds1 {"address":"ds1.sim:7001","status":"busy"}`, `"OK"`],
  [13000, "world", "fault", "crash i2", "i2 crashed"],
  [15002, "instance:i1", "timer", "tick:Normal_1v1", ""],
];

export const REFUSED_LOCK_STEP = 13;

export const ORPHAN: Violation = {
  invariant: "no-orphaned-session",
  message: "dedicated server ds1 (ds1.sim:7001) is busy but no player was ever told match_found for it",
  step: ROWS.length,
  at: 140_002,
  players: [],
  keys: ["dedicated_server:ds1"],
};

export function handWrittenTrace(violations: Violation[] = [ORPHAN]): Trace {
  const scenario = findScenario("cancel-vs-complete");
  if (!scenario) throw new Error("scenario cancel-vs-complete is missing");
  const steps: TraceStep[] = ROWS.map(([t, lane, kind, label, detail], i) => ({ i, id: i, t, lane, kind, label, detail }));
  return {
    format: TRACE_FORMAT,
    scenario: "cancel-vs-complete",
    server: "legacy",
    seed: 4,
    strategy: "pct",
    options: scenario.options,
    decisions: [],
    verdict: violations.length > 0 ? "fail" : "pass",
    violations,
    steps,
    hash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  };
}

/** Redis changes matching the hand-written steps that write. */
export function handWrittenRedis(trace: Trace): RedisChange[] {
  return trace.steps.map((step): RedisChange => {
    const set = /^SET (dedicated_server:\S+) (\S+)$/.exec(step.label);
    if (set?.[1] && set[2]) return [[set[1], { type: "string", value: set[2] }]];
    if (step.label.startsWith("HSET ")) return [[`loading:${SESSION}`, { type: "hash", value: { [P1]: "loading", [P2]: "loading" } }]];
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
    if (trace.verdict === "fail") return { trace, redis: history.changes };
  }
  throw new Error(`${name} did not fail on legacy within ${maxSeeds} seeds`);
}
