import type { Variant } from "../../src/server/match-server.ts";
import { VARIANTS } from "../../src/server/match-server.ts";
import type { StrategyName } from "../scheduler/strategy.ts";
import { STRATEGIES } from "../scheduler/strategy.ts";
import { UsageError } from "./exit-codes.ts";

export function parseVariant(text: string): Variant {
  if (!(VARIANTS as readonly string[]).includes(text)) {
    throw new UsageError(`--server must be one of ${VARIANTS.join(", ")} (got "${text}")`);
  }
  return text as Variant;
}

export function parseStrategy(text: string): StrategyName {
  if (!(STRATEGIES as readonly string[]).includes(text)) {
    throw new UsageError(`--strategy must be one of ${STRATEGIES.join(", ")} (got "${text}")`);
  }
  return text as StrategyName;
}

export function parseCount(flag: string, text: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number (got "${text}")`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${flag} must be between ${min} and ${max} (got ${value})`);
  return value;
}

/** A probability from 0 to 1, written as a decimal. */
export function parseProbability(flag: string, text: string): number {
  const value = Number(text);
  if (!/^(0|1|0?\.\d+|1\.0*)$/.test(text) || !(value >= 0 && value <= 1)) {
    throw new UsageError(`${flag} must be a probability from 0 to 1, e.g. 0.5 (got "${text}")`);
  }
  return value;
}

/** `A..B`, both ends included. */
export function parseSeedRange(text: string): { from: number; to: number } {
  const match = /^(\d+)\.\.(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--seeds must look like A..B, e.g. 0..999 (got "${text}")`);
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (to < from) throw new UsageError(`--seeds ${text}: the end is before the start`);
  return { from, to };
}

/** `I/N`: this machine runs the I-th of N shares of the seed range (1-based). */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must look like I/N with 1 <= I <= N, e.g. 2/4 (got "${text}")`);
  }
  return { index, count };
}
