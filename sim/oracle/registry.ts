import { assert } from "../assert.ts";
import { loadFolder } from "../modules.ts";
import type { Checker } from "./checker.ts";

export function isChecker(value: unknown): value is Checker {
  const candidate = value as Partial<Checker> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.name === "string" &&
    typeof candidate.meaning === "string" &&
    typeof candidate.rank === "number" &&
    typeof candidate.create === "function"
  );
}

/** Every built-in invariant, one module per file under `checkers/`, in rank order. */
export const CHECKERS: readonly Checker[] = (await loadFolder(new URL("./checkers/", import.meta.url), isChecker, "a checker")).sort(
  (a, b) => a.rank - b.rank || a.name.localeCompare(b.name),
);

assert(new Set(CHECKERS.map((checker) => checker.name)).size === CHECKERS.length, "two built-in checkers share a name");
