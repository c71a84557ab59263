import fc from "fast-check";
import { DEFAULT_CONFIG } from "../../../src/config/config.ts";
import { loadingKey, matchLockKey, queueKey } from "../../../src/legacy/keys.ts";
import { LOADING_COMPLETE_SCRIPT, MATCH_SCRIPT, RELEASE_LOCK_SCRIPT } from "../../../src/legacy/scripts.ts";
import type { Command } from "../../redis/conformance/command.ts";
import type { LuaScript } from "../../../src/ports/index.ts";
import type { ScriptCase, ScriptCases } from "../../redis/conformance/script-cases/case.ts";
import { garbage, maybe, plausible } from "../../redis/conformance/script-cases/values.ts";

/** Pre-states in the legacy layout (DESIGN section 2): the queue set, loading hashes, the match lock. */
const QUEUE = queueKey(DEFAULT_CONFIG, "Normal_1v1");
const SESSION = loadingKey("L1");
const LOCK = matchLockKey("Normal_1v1");

const queue = maybe(
  QUEUE,
  fc.subarray(["p1", "p2", "p3", "p4", "p5", "é"], { minLength: 1 }).map((members) => [{ name: "SADD", args: [QUEUE, ...members] }]),
);

/** Players first, then game_mode, created_at, status: the order the matchmaker writes them. */
const loading = maybe(
  SESSION,
  fc
    .record({
      players: fc.subarray(["p1", "p2", "p3"], { minLength: 1 }),
      ready: fc.array(fc.constantFrom("loading", "ready", "ready"), { minLength: 3, maxLength: 3 }),
      status: fc.option(plausible(fc.constant("loading")), { freq: 5, nil: undefined }),
      gameMode: fc.option(fc.constant("Normal_1v1"), { freq: 8, nil: undefined }),
    })
    .map(({ players, ready, status, gameMode }) => {
      const fields = players.flatMap((pid, i) => [pid, ready[i] as string]);
      if (gameMode !== undefined) fields.push("game_mode", gameMode);
      fields.push("created_at", "1700000000");
      if (status !== undefined) fields.push("status", status);
      return [{ name: "HSET", args: [SESSION, ...fields] }];
    }),
);

const lock = maybe(LOCK, fc.constantFrom("t1", "t2").map((token) => [{ name: "SET", args: [LOCK, token, "PX", "10000"] }]));

const cases = (script: LuaScript, arbitrary: fc.Arbitrary<Omit<ScriptCase, "script">>): ScriptCases => ({
  script,
  cases: arbitrary.map((input) => ({ script, ...input })),
});

export const legacyCases: readonly ScriptCases[] = [
  cases(MATCH_SCRIPT, fc.tuple(queue, plausible(fc.constantFrom("2", "2", "1", "3", "6"), fc.constantFrom("0", "-1", "2.5", "x", "1e400"))).map(
    ([setup, required]) => ({ setup, keys: [QUEUE], argv: [required] }),
  )),
  cases(LOADING_COMPLETE_SCRIPT, fc.tuple(loading, plausible(fc.constantFrom("p1", "p2", "p3")), fc.option(fc.constant<Command[]>([{ name: "HSET", args: [SESSION, "p2", "ready"] }]))).map(
    ([setup, pid, more]) => ({ setup: [...setup, ...(more ?? [])], keys: [SESSION], argv: [pid] }),
  )),
  cases(RELEASE_LOCK_SCRIPT, fc.tuple(lock, plausible(fc.constantFrom("t1", "t2"), garbage)).map(([setup, token]) => ({ setup, keys: [LOCK], argv: [token] }))),
];
