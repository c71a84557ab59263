import fc from "fast-check";
import type { Command } from "../command.ts";

/**
 * Building blocks for server-script inputs: small id alphabets (so records, sessions and servers refer to
 * one another), mostly plausible values with some garbage, and times relative to the moment of the run.
 */

/** `@now+5000`: resolved to the wall clock when the case runs, since scripts read Redis TIME. */
const TIME_TOKEN = /^@now([+-]\d+)$/;

export function at(offsetMs: number): string {
  return `@now${offsetMs >= 0 ? "+" : ""}${offsetMs}`;
}

export function resolveTimes(args: readonly string[], now: number): string[] {
  return args.map((arg) => {
    const match = TIME_TOKEN.exec(arg);
    return match ? String(now + Number(match[1])) : arg;
  });
}

/** Offsets stay clear of "now": both sides read their own clocks a few ms apart. */
export const future = fc.constantFrom(5_000, 60_000, 3_600_000).map(at);
export const past = fc.constantFrom(-5_000, -60_000, -3_600_000).map(at);
export const when = fc.oneof(future, past);

export const garbage = fc.constantFrom("", "x", "-1", "1.5", "nan", "inf", "é☃", "{", "0", "9007199254740993", "p1,p2");

/** Mostly `value` (`odds` to 1), sometimes `junk`. */
export function plausible(value: fc.Arbitrary<string>, junk: fc.Arbitrary<string> = garbage, odds = 9): fc.Arbitrary<string> {
  return fc.oneof({ weight: odds, arbitrary: value }, { weight: 1, arbitrary: junk });
}

export const index = (n: number) => fc.integer({ min: 1, max: n });

/** The key holding a value of another type than the layout says: what a foreign writer leaves behind. */
export function wrongType(key: string): fc.Arbitrary<Command[]> {
  return fc.constantFrom<Command[]>(
    [{ name: "SET", args: [key, "junk"] }],
    [{ name: "SADD", args: [key, "junk"] }],
    [{ name: "RPUSH", args: [key, "junk"] }],
  );
}

export function hset(key: string, fields: Record<string, string | undefined>): Command {
  const args = [key];
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) args.push(field, value);
  return { name: "HSET", args };
}

/** Nothing (weight 2), `present` (weight 7) or a value of the wrong type (weight 1). */
export function maybe(key: string, present: fc.Arbitrary<Command[]>): fc.Arbitrary<Command[]> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Command[]>([]) },
    { weight: 7, arbitrary: present },
    { weight: 1, arbitrary: wrongType(key) },
  );
}

export const concat = (parts: Command[][]): Command[] => parts.flat();
