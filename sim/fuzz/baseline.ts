import { readFileSync } from "node:fs";
import { UsageError } from "../cli/exit-codes.ts";

/** The signatures a previous campaign found: what `--baseline` compares a campaign with. */
export type Baseline = ReadonlySet<string>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads a previous `sim fuzz --json` output (its last line is the campaign's JSON; the whole file may also be
 * just that object). Anything else is a UsageError of one line.
 */
export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `no such baseline file: ${path}` : `cannot read ${path}: ${code ?? String(error)}`);
  }
  const last = text.trim().split("\n").pop() ?? "";
  let value: unknown;
  try {
    value = JSON.parse(last);
  } catch {
    throw new UsageError(`${path} is not the JSON output of a sim fuzz campaign (its last line is not JSON)`);
  }
  const signatures = isObject(value) ? value.signatures : undefined;
  if (!Array.isArray(signatures) || !signatures.every((entry) => isObject(entry) && typeof entry.signature === "string")) {
    throw new UsageError(`${path} is not the JSON output of a sim fuzz campaign (no signatures list)`);
  }
  return new Set(signatures.map((entry) => (entry as { signature: string }).signature));
}
