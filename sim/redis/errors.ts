import { RedisCommandError } from "./contract.ts";

/** Redis's own error texts, so callers (and the conformance check) see exactly what a real server sends. */
export const ERR = {
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  syntax: "ERR syntax error",
  overflow: "ERR increment or decrement would overflow",
  hashNotInteger: "ERR hash value is not an integer",
  minMaxNotFloat: "ERR min or max is not a float",
  outOfRangePositive: "ERR value is out of range, must be positive",
  invalidCursor: "ERR invalid cursor",
  noScript: "NOSCRIPT No matching script. Please use EVAL.",
} as const;

export function fail(message: string): never {
  throw new RedisCommandError(message);
}

export function wrongArity(command: string): never {
  throw new RedisCommandError(`ERR wrong number of arguments for '${command}' command`);
}
