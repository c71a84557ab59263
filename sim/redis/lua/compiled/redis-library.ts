import { createHash } from "node:crypto";
import { RedisCommandError } from "../../contract.ts";
import { formatDouble } from "../../numbers.ts";
import { Status, type EngineReply } from "../../reply.ts";
import type { ScriptHost } from "../script-host.ts";
import { LuaTable } from "./lua-table.ts";
import { callLine } from "./operators.ts";
import { fromBinary, LuaError, numberToString, toBinary, type LuaFunction } from "./values.ts";

/** The `redis` table of compiled scripts: the same conversions as the interpreted path (runtime.ts). */

const ARG_TYPE_ERROR = "ERR Lua redis lib command arguments must be strings or integers";
const NO_ARGS_ERROR = "ERR Please specify at least one argument for this redis lib call";

/** Redis -> Lua, as redis.call hands replies to scripts. */
export function toLuaValue(reply: EngineReply): unknown {
  if (typeof reply === "string") return toBinary(reply);
  if (typeof reply === "number") return reply;
  if (reply === null) return false;
  if (reply instanceof Status) {
    const table = new LuaTable();
    table.setStr("ok", toBinary(reply.text));
    return table;
  }
  return new LuaTable(reply.map(toLuaValue));
}

/**
 * A redis.call / redis.pcall error as Redis 7.0 builds it. An error the command itself answered also carries
 * ignore_error_stats_update = true (Redis counted it already); the library's own argument errors do not.
 */
function errorTable(message: string, fromCommand: boolean): LuaTable {
  const table = new LuaTable();
  table.setStr("err", toBinary(message));
  if (fromCommand) table.setStr("ignore_error_stats_update", true);
  return table;
}

/**
 * A number argument as Redis 7.0 passes it to the command: "%.17g". formatDouble prints an integer below 1e17
 * with String(), which is not every digit from 2^53 on (54043195528445952 would become 54043195528445950).
 */
function numberArgument(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER && Math.abs(value) < 1e17) return BigInt(value).toString();
  return formatDouble(value);
}

function command(host: () => ScriptHost, raise: boolean): LuaFunction {
  return (...args: unknown[]) => {
    let failure: string | null = args.length === 0 ? NO_ARGS_ERROR : null;
    let fromCommand = false;
    let name = "";
    const rest: string[] = [];
    for (let i = 0; i < args.length && failure === null; i++) {
      const arg = args[i];
      const text = typeof arg === "string" ? fromBinary(arg) : typeof arg === "number" ? numberArgument(arg) : null;
      if (text === null) failure = ARG_TYPE_ERROR;
      else if (i === 0) name = text;
      else rest.push(text);
    }
    if (failure === null) {
      try {
        return toLuaValue(host().call(name, rest));
      } catch (error) {
        if (!(error instanceof RedisCommandError)) throw error;
        failure = error.message;
        fromCommand = true;
      }
    }
    if (raise) throw new LuaError(errorTable(failure, fromCommand), callLine() > 0 ? callLine() : null);
    return errorTable(failure, fromCommand);
  };
}

function sanitize(text: string): string {
  const full = text.startsWith("-") ? text : `-${text}`;
  const space = full.indexOf(" ");
  const [code, message] = space >= 0 ? [full.slice(1, space), full.slice(space + 1)] : ["ERR", full.slice(1)];
  return `${code} ${message.replace(/^[\r\n]+/, "").replace(/[\r\n]+$/, "")}`;
}

function reply(field: "err" | "ok", args: unknown[], wrap: (text: string) => string): LuaTable {
  const table = new LuaTable();
  const text = args[0];
  if (args.length !== 1 || typeof text !== "string") table.setStr("err", "ERR wrong number or type of arguments");
  else table.setStr(field, wrap(text));
  return table;
}

export function redisFunctions(host: () => ScriptHost): Record<string, unknown> {
  const noop = () => undefined;
  return {
    call: command(host, true),
    pcall: command(host, false),
    error_reply: (...args: unknown[]) => reply("err", args, sanitize),
    status_reply: (...args: unknown[]) => reply("ok", args, (text) => text),
    sha1hex: (...args: unknown[]) => {
      // Redis raises an error table here (luaPushError), which a pcall hands over as its message.
      if (args.length !== 1) throw new LuaError(errorTable("ERR wrong number of arguments", false), callLine() > 0 ? callLine() : null);
      const value = args[0];
      const text = typeof value === "string" ? value : typeof value === "number" ? numberToString(value) : "";
      return createHash("sha1").update(Buffer.from(text, "latin1")).digest("hex");
    },
    log: noop,
    replicate_commands: () => true,
    set_repl: noop,
    setresp: noop,
    breakpoint: () => false,
    debug: noop,
    LOG_DEBUG: 0,
    LOG_VERBOSE: 1,
    LOG_NOTICE: 2,
    LOG_WARNING: 3,
    REPL_NONE: 0,
    REPL_AOF: 1,
    REPL_SLAVE: 2,
    REPL_REPLICA: 2,
    REPL_ALL: 3,
  };
}
