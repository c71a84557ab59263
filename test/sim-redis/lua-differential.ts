import seedrandom from "seedrandom";
import { normalizeError } from "../../sim/redis/conformance/compare.ts";
import { createSimulatedRedis, RedisCommandError } from "../../sim/redis/index.ts";

/** Running one script on a fresh engine of either scripting path, and comparing what the two paths did. */

export type LuaPath = "compiled" | "interpreted";

export interface Outcome {
  reply?: unknown;
  error?: string;
  data: [string, unknown][];
}

/** The keyspace every program starts from, and the KEYS and ARGV it gets. */
const PRE_STATE: [string, ...string[]][] = [
  ["SET", "n", "41"],
  ["SET", "s", "hello"],
  ["HSET", "h", "f", "v", "g", "w"],
  ["RPUSH", "l", "a", "b", "c"],
  ["SADD", "set", "x"],
  ["ZADD", "z", "1", "a", "2.5", "b"],
];
const KEYS = ["n", "h", "l"];
const ARGV = ["5", "x", "-2.5"];

export function runScript(path: LuaPath, body: string): Outcome {
  const engine = createSimulatedRedis({ now: () => 1_700_000_000_000, random: seedrandom("lua-fuzz"), lua: path });
  for (const [command, ...args] of PRE_STATE) engine.execute(command, args);
  const data = (): [string, unknown][] => engine.keys().sort().map((key) => [key, engine.inspect(key)]);
  try {
    return { reply: engine.execute("EVAL", [body, String(KEYS.length), ...KEYS, ...ARGV]), data: data() };
  } catch (error) {
    if (!(error instanceof RedisCommandError)) throw error;
    return { error: error.message, data: data() };
  }
}

// Where the interpreter (Lua 5.3 made to act like 5.1) legitimately answers otherwise; the compiled path
// follows Redis 7.0 (checked against redis-server 7.0.15 and lua5.1):
// - 5.1 names the operand of a runtime error first ("attempt to index local 'x' (a nil value)"), 5.3 last, and
//   the compiled path names fewer operands: only the verb and the type are compared;
const DETAIL = /(attempt to [a-z ]+?) (?:(?:local|global|upvalue|field|method|constant) '[^']*' )?\(a (\w+) value\)/g;
const DETAIL_53 = /(attempt to [a-z ]+?) a (\w+) value \((?:local|global|upvalue|field|method|constant) '[^']*'\)/g;
// - 5.3's integers have no -0 (0 * -1 is 0 there, -0 in 5.1);
const NEGATIVE_ZERO = /(?<![\d.])-(0(?:\.0+)?(?:e[+-]00)?)(?![\d.])/g;
// - a NaN's sign ("-nan" or "nan" from tostring) does not survive JS's arrays and library functions alike in
//   both paths (V8 canonicalizes NaNs), so it is not compared;
// - 5.3 names pairs and ipairs 'for iterator' in their argument errors;
const ITERATOR = /bad argument #(\d+) to '(?:for iterator|pairs|ipairs)'/g;
// - the interpreter's string.rep is a Lua stand-in, whose argument errors name its own line;
const REP = /(?:user_script|prelude):\d+: (bad argument #\d+ to 'rep')/g;
// - the interpreter sends a number argument from 2^53 up with JS's shortest digits (…940 for …944): digits past
//   the 15th are not compared;
const LONG_DIGITS = /(\d{15})\d+/g;
// - Redis makes an error reply one line, up to its first NUL (a C string), trailing CR and LF trimmed, the
//   others turned into spaces; the interpreter leaves them.
const oneLine = (text: string) => text.replace(/\0[^]*?(?= script: |$)/, "").replace(/[\r\n]+$/, "").replace(/[\r\n]/g, " ");

/** An outcome as text, with the differences above normalized. */
export function comparable(outcome: Outcome): string {
  const error = outcome.error === undefined ? undefined : normalizeError(oneLine(outcome.error));
  return `${JSON.stringify({ reply: outcome.reply, error })} ${JSON.stringify(outcome.data, sortedKeys)}`
    .replace(DETAIL, "$1 a $2 value")
    .replace(DETAIL_53, "$1 a $2 value")
    .replace(NEGATIVE_ZERO, "$1")
    .replace(/-nan\b/g, "nan")
    .replace(ITERATOR, "bad argument #$1 to 'pairs'")
    .replace(REP, "$1")
    .replace(LONG_DIGITS, (digits: string, head: string) => head + "#".repeat(digits.length - head.length));
}

/** Hash fields in name order: a field named -0 on one path and 0 on the other (see above) sorts alike. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export const samePaths = (body: string): boolean => comparable(runScript("compiled", body)) === comparable(runScript("interpreted", body));

/**
 * A smaller program that still tells the paths apart: lines after the first `keep` are dropped one at a time
 * while the difference stays (a dropped line that breaks the syntax makes both paths fail alike, so it is kept).
 * Lines that bound a loop (`tick()`, a counter's step) stay, so that every candidate terminates.
 */
export function shrinkProgram(body: string, keep: number, differs: (body: string) => boolean): string {
  let lines = body.split("\n");
  for (let i = lines.length - 1; i >= keep; i--) {
    if (/\btick\(\)|\b(c\d+) = \1 \+ 1\b/.test(lines[i] as string)) continue;
    const candidate = [...lines.slice(0, i), ...lines.slice(i + 1)];
    if (differs(candidate.join("\n"))) lines = candidate;
  }
  return lines.join("\n");
}
