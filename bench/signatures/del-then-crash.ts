/**
 * Finds legacy runs where an instance dies after the command that deleted a loading session and before the same
 * handler re-queued its players, read from the trace's events alone (not from signatures), and prints each with
 * the signatures its run gave the violations about those players: to name the seeds, and to check what the
 * signature says of them.
 *
 *   npx tsx bench/signatures/del-then-crash.ts [FROM..TO] [SCENARIO...]
 */
import { runJob } from "../../sim/fuzz/run-job.ts";
import { TraceGraph } from "../../sim/report/trace-graph.ts";
import { signaturesOf } from "../../sim/signature/signature.ts";
import { SCENARIOS } from "../../scenarios/index.ts";
import { LOADING_PREFIX } from "../../src/legacy/keys.ts";

const [range = "0..199", ...only] = process.argv.slice(2);
const [from, to] = range.split("..").map(Number) as [number, number];
for (const { name: scenario } of SCENARIOS) {
  if (only.length > 0 && !only.includes(scenario)) continue;
  for (let seed = from; seed <= to; seed++) {
    const trace = (await runJob({ scenario, server: "legacy", seed, strategy: "preempt" })).trace;
    if (trace === null) continue;
    const graph = new TraceGraph(trace);
    const steps = trace.steps;
    for (const step of steps) {
      const event = step.event;
      if (event.kind !== "redis" || event.command !== "DEL" || event.outcome !== "ok" || !String(event.args[0]).startsWith(LOADING_PREFIX)) continue;
      const root = graph.root(step.i);
      const instance = event.client;
      const crash = steps.find((later) => later.i > step.i && later.event.kind === "fault" && later.event.fault === "crash" && later.event.target === instance);
      if (crash === undefined) continue;
      // The handler's own steps after the DEL, before the crash: a re-queue among them means it got there.
      const handler = steps.filter((later) => later.i > step.i && later.i < crash.i && graph.root(later.i) === root);
      if (handler.some((later) => later.event.kind === "redis" && later.event.command === "SADD")) continue;
      const requeuedLater = steps.some((later) => later.i > crash.i && graph.root(later.i) === root);
      if (requeuedLater) continue;
      const signatures = signaturesOf(trace);
      const lost = trace.violations
        .map((violation, i) => ({ violation, signature: signatures[i] }))
        .filter(({ violation }) => violation.invariant === "no-lost-player");
      const started = steps[root]?.event;
      console.log(
        `${scenario} seed ${seed}: ${started?.kind === "timer" ? started.timer : started?.kind} on ${instance} ran DEL at step ${step.i}, crash at step ${crash.i};`,
        lost.map(({ violation, signature }) => `${violation.kind ?? violation.invariant} -> ${signature?.id} ${signature?.summary.slice(0, 60)}`).join(" | ") || "no lost player",
      );
    }
  }
}
