import { err, ok, type Result } from "../protocol/result.ts";
import { DEFAULT_CONFIG, type GameMode, type MatchConfig } from "./config.ts";

type Numbers = Exclude<keyof MatchConfig, "gameModes" | "queueKeyPrefix">;

const NUMBER_KEYS = Object.keys(DEFAULT_CONFIG).filter((key) => key !== "gameModes" && key !== "queueKeyPrefix") as Numbers[];

/** Limits that count things; every other number is a duration. */
const COUNT_KEYS: ReadonlySet<string> = new Set<Numbers>(["maxFramesPerSecond", "maxHandlersPerConnection"]);

/**
 * Builds a config from untrusted input (a parsed TOML file, scenario overrides): unknown keys, wrong types
 * and out-of-range numbers are errors naming the key, so a typo never silently falls back to a default.
 */
export function configFrom(input: Record<string, unknown>): Result<MatchConfig, string> {
  const config: MatchConfig = { ...DEFAULT_CONFIG, gameModes: [...DEFAULT_CONFIG.gameModes] };
  for (const [key, value] of Object.entries(input)) {
    if (key === "gameModes") {
      const modes = gameModesFrom(value);
      if (!modes.ok) return modes;
      config.gameModes = modes.value;
    } else if (key === "queueKeyPrefix") {
      if (typeof value !== "string" || value === "") return err("queueKeyPrefix must be a non-empty string");
      config.queueKeyPrefix = value;
    } else if ((NUMBER_KEYS as string[]).includes(key)) {
      if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
        return err(`${key} must be a positive integer${COUNT_KEYS.has(key) ? "" : " (milliseconds)"}`);
      }
      config[key as Numbers] = value;
    } else {
      return err(`unknown configuration key: ${key}`);
    }
  }
  return ok(config);
}

function gameModesFrom(value: unknown): Result<GameMode[], string> {
  if (!Array.isArray(value) || value.length === 0) return err("gameModes must be a non-empty list");
  const modes: GameMode[] = [];
  for (const entry of value) {
    const { name, requiredPlayers } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      return err("each game mode needs a name of letters, digits, _ or -");
    }
    if (typeof requiredPlayers !== "number" || !Number.isInteger(requiredPlayers) || requiredPlayers < 1) {
      return err(`game mode ${name}: requiredPlayers must be a positive integer`);
    }
    if (modes.some((mode) => mode.name === name)) return err(`game mode ${name} is listed twice`);
    modes.push({ name, requiredPlayers });
  }
  return ok(modes);
}
