import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompiledScripts } from "../../sim/redis/lua/compiled/compiled-scripts.ts";
import { sharedLuaRuntime } from "../../sim/redis/lua/runtime.ts";
import { comparable, runScript, samePaths, shrinkProgram } from "./lua-differential.ts";
import { luaProgram, PRELUDE_LINES } from "./lua-program-generator.ts";

/**
 * Differential fuzzing of the script compiler: random Lua 5.1 programs (lua-program-generator.ts) run on a
 * fresh engine per path from the same keyspace, and the compiled path must answer what the interpreter answers
 * (reply or error text, and the keyspace after), up to the 5.1/5.3 differences lua-differential.ts lists.
 *
 * The fixed seed and run count keep this under ~20 s. To fuzz longer, with other seeds:
 *   LUA_FUZZ_RUNS=200000 LUA_FUZZ_SEED=$RANDOM npx vitest run test/sim-redis/compiled-lua-fuzz.test.ts
 */
const RUNS = Number(process.env.LUA_FUZZ_RUNS ?? 2_500);
const SEED = Number(process.env.LUA_FUZZ_SEED ?? 20_251_126);
const LONG = RUNS > 2_500 ? { timeout: 0 } : { timeout: 60_000 };

const compiler = new CompiledScripts(sharedLuaRuntime().globalShape());

describe("compiled Lua agrees with the interpreter on random programs", () => {
  it(
    `${RUNS} generated programs`,
    () => {
      fc.assert(
        fc.property(fc.noShrink(fc.integer({ min: 1, max: 0x7fffffff })), (seed) => {
          const body = luaProgram(seed, { redis: true, lua51: false });
          // A program that falls back to the interpreter would compare the interpreter with itself.
          expect(compiler.compile(`fuzz-${seed}`, body), `program ${seed} is not compiled`).not.toBeNull();
          if (samePaths(body)) return;
          const small = shrinkProgram(body, PRELUDE_LINES, (candidate) => !samePaths(candidate));
          throw new Error(
            `program ${seed} answers differently; smallest such program:\n${small}\n` +
              `compiled:    ${comparable(runScript("compiled", small))}\n` +
              `interpreted: ${comparable(runScript("interpreted", small))}`,
          );
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    LONG.timeout,
  );
});
