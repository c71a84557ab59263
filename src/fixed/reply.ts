import { err, ok, type Result } from "../protocol/index.ts";
import type { RedisReply } from "../ports/index.ts";

/** A script reply as words: every script answers a flat array of strings and integers, a status word first. */
export type Words = readonly string[];

export function wordsOf(reply: RedisReply): Result<Words, string> {
  if (!Array.isArray(reply) || reply.length === 0) return err(`expected a non-empty array, got ${describe(reply)}`);
  const words: string[] = [];
  for (const item of reply) {
    if (typeof item === "string") words.push(item);
    else if (typeof item === "number" && Number.isInteger(item)) words.push(String(item));
    else return err(`unexpected element ${describe(item)}`);
  }
  return ok(words);
}

export function countAt(words: Words, index: number): number | null {
  const text = words[index];
  if (text === undefined || !/^\d+$/.test(text)) return null;
  return Number(text);
}

export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}

export function shapeError(script: string, words: Words): Result<never, string> {
  return err(`${script}: unexpected reply ${describe(words)}`);
}
