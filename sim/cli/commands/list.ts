import { SCENARIOS } from "../../../scenarios/index.ts";
import { ExitCode } from "../exit-codes.ts";
import { Output, paint, table } from "../output.ts";

export function listCommand(flags: { json?: boolean }): number {
  const out = new Output(flags.json === true);
  const rows = SCENARIOS.map((scenario) => [
    paint.name(scenario.name),
    scenario.defects.length ? `defect ${scenario.defects.join(", ")}` : "",
    scenario.summary,
  ]);
  for (const line of table(rows)) out.line(line);
  out.result({
    scenarios: SCENARIOS.map((scenario) => ({
      name: scenario.name,
      summary: scenario.summary,
      provokes: scenario.provokes,
      defects: scenario.defects,
      players: scenario.options.players.length,
      instances: scenario.options.instances,
      servers: scenario.options.servers,
    })),
  });
  return ExitCode.ok;
}
