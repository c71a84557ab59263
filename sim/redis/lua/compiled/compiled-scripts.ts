import { RedisCommandError, type RedisReply } from "../../contract.ts";
import { JSON_NULL, CjsonError } from "../cjson.ts";
import { integerFromLua, NO_HOST, type ScriptHost } from "../script-host.ts";
import { BASE_FUNCTIONS } from "./base-library.ts";
import { LuaToJs, NotCompilable, type CompileEnvironment, type GlobalBinding } from "./compiler.ts";
import { forIterator } from "./iteration.ts";
import { decodeJsonText, encodeJsonValue } from "./json.ts";
import { LuaTable } from "./lua-table.ts";
import { mathFunctions } from "./math-library.ts";
import * as operators from "./operators.ts";
import { callLine, position, raiseNative, stringMethods } from "./operators.ts";
import { redisFunctions } from "./redis-library.ts";
import { STRING_FUNCTIONS } from "./string-library.ts";
import { TABLE_FUNCTIONS } from "./table-library.ts";
import { all, first, fromBinary, LuaError, Multi, NOTHING, resetAddresses, toBinary, tostring } from "./values.ts";

/** A script compiled to JS: called with KEYS and ARGV as tables, returns the script's value(s). */
export type CompiledChunk = (keys: LuaTable, argv: LuaTable) => unknown;

let host: ScriptHost = NO_HOST;

function cjsonCall(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (error instanceof CjsonError) return raiseNative(error.message);
    throw error;
  }
}

const CJSON: Record<string, unknown> = {
  encode: (...args: unknown[]) => {
    if (args.length !== 1) return raiseNative("bad argument #1 to 'encode' (expected 1 argument)");
    return cjsonCall(() => encodeJsonValue(args[0]));
  },
  decode: (...args: unknown[]) => {
    if (args.length !== 1 || typeof args[0] !== "string") return raiseNative("bad argument #1 to 'decode' (string expected)");
    return cjsonCall(() => decodeJsonText(args[0] as string));
  },
  null: JSON_NULL,
};

const LIBRARIES: Record<string, Record<string, unknown>> = {
  string: STRING_FUNCTIONS,
  table: TABLE_FUNCTIONS,
  math: mathFunctions(() => host.random()),
  redis: redisFunctions(() => host),
  cjson: CJSON,
};

for (const [name, fn] of Object.entries(STRING_FUNCTIONS)) stringMethods.setStr(name, fn);

/** Every native and library member, under the JS name generated code reads it by. */
const NATIVES: Record<string, unknown> = {};
for (const [name, fn] of Object.entries(BASE_FUNCTIONS)) NATIVES[`B_${name}`] = fn;
for (const [library, members] of Object.entries(LIBRARIES)) {
  for (const [name, value] of Object.entries(members)) NATIVES[`L_${library}_${name}`] = value;
}

function setPositional(table: LuaTable, values: unknown[], base: number): void {
  values.forEach((value, i) => table.set(base + i + 1, value));
}

/** The `arg` table of a Lua 5.1 vararg function that does not use `...` (LUA_COMPAT_VARARG). */
function varargTable(values: unknown[]): LuaTable {
  const table = new LuaTable(values.slice());
  table.setStr("n", values.length);
  return table;
}

const HELPERS = { ...operators, LuaTable, Multi, NOTHING, first, all, forIterator, setPositional, varargTable };

/** Natives that may return no value or several (or never return): the rest always return exactly one. */
const MULTI_VALUED = new Set([
  "B_assert", "B_error", "B_ipairs", "B_next", "B_pairs", "B_pcall", "B_select", "B_unpack",
  "L_string_byte", "L_string_find", "L_string_gsub", "L_string_match", "L_math_modf",
  "L_table_insert", "L_table_remove", "L_table_sort",
]);

/**
 * The compile-time view of the globals: implemented natives and library members by name; whatever the
 * interpreter has that is not implemented here makes a script interpreted; anything else does not exist.
 */
function environment(shape: ReadonlyMap<string, string[] | null>): CompileEnvironment {
  return {
    global(name: string): GlobalBinding {
      if (name in BASE_FUNCTIONS) return { kind: "value", js: `B_${name}`, native: true };
      const library = LIBRARIES[name];
      if (library !== undefined) {
        const members = new Map<string, string | null>();
        for (const member of shape.get(name) ?? []) members.set(member, null);
        for (const member of Object.keys(library)) members.set(member, `L_${name}_${member}`);
        return { kind: "library", members };
      }
      return shape.has(name) ? { kind: "unsupported" } : { kind: "missing" };
    },
    singleValued: (js) => js in NATIVES && typeof NATIVES[js] === "function" && !MULTI_VALUED.has(js),
  };
}

/**
 * Scripts as JS functions, the fast path of the simulated Redis's scripting: the same Lua 5.1 semantics and
 * Redis conversions as the fengari interpreter, which runs whatever this cannot compile.
 */
export class CompiledScripts {
  private readonly chunks = new Map<string, CompiledChunk | null>();
  private readonly env: CompileEnvironment;

  constructor(globals: ReadonlyMap<string, string[] | null>) {
    this.env = environment(globals);
  }

  /** The compiled chunk, or null when the script needs the interpreter. */
  compile(sha: string, body: string): CompiledChunk | null {
    if (this.chunks.has(sha)) return this.chunks.get(sha) ?? null;
    let chunk: CompiledChunk | null = null;
    try {
      const source = new LuaToJs(toBinary(body), this.env).compile();
      const names = Object.keys(NATIVES).join(", ");
      const helpers = Object.keys(HELPERS).join(", ");
      const factory = new Function("rt", "natives", `"use strict"; const {${helpers}} = rt; const {${names}} = natives; return ${source};`);
      chunk = factory(HELPERS, NATIVES) as CompiledChunk;
    } catch (error) {
      if (!(error instanceof NotCompilable)) throw error;
    }
    this.chunks.set(sha, chunk);
    return chunk;
  }

  run(sha: string, chunk: CompiledChunk, keys: readonly string[], argv: readonly string[], scriptHost: ScriptHost): RedisReply {
    host = scriptHost;
    position.line = 0;
    resetAddresses();
    try {
      return toRedis(first(chunk(new LuaTable(keys.map(toBinary)), new LuaTable(argv.map(toBinary)))));
    } catch (error) {
      if (error instanceof LuaError) throw new RedisCommandError(describeError(error, sha));
      if (error instanceof RangeError) throw new RedisCommandError(describeError(new LuaError(`user_script:${callLine()}: stack overflow`, callLine()), sha));
      throw error;
    } finally {
      host = NO_HOST;
    }
  }
}

/** Redis 7.0's error handler and reply: {err = 'ERR ' .. message}, plus where the script failed. */
function describeError(error: LuaError, sha: string): string {
  const value = error.value;
  let message = "ERR unknown error";
  if (value instanceof LuaTable) {
    const text = value.getStr("err");
    if (typeof text === "string" || typeof text === "number") message = fromBinary(tostring(text));
  } else message = `ERR ${fromBinary(tostring(value))}`;
  const line = error.line ?? (callLine() > 0 ? callLine() : null);
  return errorLine(line === null ? message : `${cString(message)} script: ${sha}, on @user_script:${line}.`);
}

/** Redis copies a script's error and status texts as C strings: they end at their first NUL. */
function cString(text: string): string {
  const nul = text.indexOf("\0");
  return nul < 0 ? text : text.slice(0, nul);
}

/** An error reply is one protocol line: Redis trims trailing CR and LF and turns the others into spaces. */
function errorLine(text: string): string {
  return statusLine(cString(text).replace(/[\r\n]+$/, ""));
}

/** A status reply likewise has each CR and LF turned into a space. */
function statusLine(text: string): string {
  return cString(text).replace(/[\r\n]/g, " ");
}

/** Lua -> Redis, as Redis 7.0 converts a script's return value. */
function toRedis(value: unknown): RedisReply {
  switch (typeof value) {
    case "string":
      return fromBinary(value);
    case "number":
      return integerFromLua(value);
    case "boolean":
      return value ? 1 : null;
  }
  if (!(value instanceof LuaTable)) return null;
  const error = value.getStr("err");
  if (typeof error === "string") throw new RedisCommandError(errorLine(fromBinary(error)));
  const status = value.getStr("ok");
  if (typeof status === "string") return statusLine(fromBinary(status));
  const out: RedisReply[] = [];
  for (let i = 1; ; i++) {
    const item = value.get(i);
    if (item === undefined) return out;
    try {
      out.push(toRedis(item));
    } catch (failure) {
      // An error element inside an array: ioredis would hand back an Error object there; we keep its text.
      if (!(failure instanceof RedisCommandError)) throw failure;
      out.push(failure.message);
    }
  }
}
