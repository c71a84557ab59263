// Renders the HTML report of a trace (and optionally its shrunk trace) to a file:
//   npx tsx scripts/render-report.ts <trace.json> [<shrunk.trace.json>] <out.html>
import { writeFileSync } from "node:fs";
import { renderTimeline } from "../sim/report/html.ts";
import { withRedisHistory } from "../sim/report/with-redis.ts";
import { loadTrace } from "../sim/trace/load.ts";

const args = process.argv.slice(2);
const out = args.pop();
const [tracePath, shrunkPath] = args;
if (!out || !tracePath) {
  process.stderr.write("usage: npx tsx scripts/render-report.ts <trace.json> [<shrunk.trace.json>] <out.html>\n");
  process.exit(2);
}
const original = await withRedisHistory(loadTrace(tracePath), tracePath);
const shrunk = shrunkPath ? await withRedisHistory(loadTrace(shrunkPath), shrunkPath) : undefined;
writeFileSync(out, renderTimeline(shrunk ? { original, shrunk } : { original }));
process.stdout.write(`${out}\n`);
