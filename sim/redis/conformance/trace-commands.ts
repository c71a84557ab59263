import type { Variant } from "../../../src/server/match-server.ts";
import { runOnce } from "../../run/run-once.ts";
import type { Scenario } from "../../scenario/options.ts";
import type { LuaMode } from "../lua/scripting.ts";
import type { Command } from "./command.ts";

export interface RecordedRun {
  commands: Command[];
  /** Every command the run executed; `commands` keeps the first `limit`. */
  total: number;
  verdict: string;
}

/** The Redis commands every client of one simulated run executed, in execution order. */
export async function recordCommands(scenario: Scenario, server: Variant, seed: number, limit: number, lua?: LuaMode): Promise<RecordedRun> {
  const commands: Command[] = [];
  let total = 0;
  const trace = await runOnce({
    scenario: scenario.name,
    server,
    seed,
    strategy: "pct",
    options: scenario.options,
    lua,
    onCommand: (name, args) => {
      total++;
      if (commands.length < limit) commands.push({ name, args: args.map(String) });
    },
  });
  return { commands, total, verdict: trace.verdict };
}
