import { SCENARIOS } from "../../../scenarios/index.ts";
import { FAULT_KINDS } from "../../faults/registry.ts";
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
  // A scenario's options and a swarm world draw from these kinds: a user picks faults for a scenario file by name.
  out.line("");
  out.line(paint.strong("fault kinds"));
  for (const line of table(FAULT_KINDS.map((kind) => [paint.name(kind.name), kind.summary]))) out.line(line);
  out.result({
    faults: FAULT_KINDS.map((kind) => ({ name: kind.name, summary: kind.summary })),
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
