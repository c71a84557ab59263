import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import type { MatchConfig } from "../config/config.ts";
import { configFrom } from "../config/validate.ts";
import { err, type Result } from "../protocol/result.ts";

/**
 * Reads a TOML file whose keys are MatchConfig's (`matchTickMs = 200`, `[[gameModes]]` tables with `name`
 * and `requiredPlayers`). No file means the defaults. The error is one line naming the file.
 */
export function loadConfigFile(path: string | undefined): Result<MatchConfig, string> {
  if (path === undefined) return configFrom({});
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return err(`cannot read config ${path}: ${readProblem(error as NodeJS.ErrnoException)}`);
  }
  let table: Record<string, unknown>;
  try {
    table = parse(text);
  } catch (error) {
    return err(`config ${path} is not valid TOML: ${firstLine(error)}`);
  }
  const config = configFrom(table);
  return config.ok ? config : err(`config ${path}: ${config.error}`);
}

function readProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    default:
      return error.code ?? firstLine(error);
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0] ?? "";
}
