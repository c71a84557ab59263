import { readFileSync } from "node:fs";
import { meaningOf } from "../oracle/invariants.ts";
import { rosterOf } from "../players/roster.ts";
import { reproduceCommand } from "../run/reproduce-command.ts";
import { signaturesOf } from "../signature/signature.ts";
import { stepDetail, stepLabel } from "../trace/describe.ts";
import type { StepKind } from "../trace/events.ts";
import type { Trace } from "../trace/trace.ts";
import { nameCause } from "./cause.ts";
import { violationStory } from "./explain.ts";
import { fromSlice } from "./involvement.ts";
import type { RedisChange } from "./redis-history.ts";
import { shrinkDiff } from "./shrink-diff.ts";
import { causalSlice, clampStep, foundAfterRun } from "./slice.ts";
import { arrivalOf, MARK_KINDS, stepMark } from "./step-marks.ts";
import { abbreviateIds, splitId } from "./text.ts";
import { TraceGraph } from "./trace-graph.ts";

export interface TraceWithRedis {
  trace: Trace;
  /** Per step, the keys it changed (RedisHistory.changes of a replay of the trace). */
  redis: RedisChange[];
  /** Why Redis's contents could not be recovered, when they could not. */
  redisMissing?: string;
  /** Where the trace file is, for the replay command; omitted when it was never written. */
  path?: string;
}

export interface TimelineInput {
  original: TraceWithRedis;
  shrunk?: TraceWithRedis;
}

/** Legend order, and the colour each kind of step is drawn in. */
export const KIND_COLOURS: Record<StepKind, string> = {
  redis: "#e8590c",
  deliver: "#f59f00",
  "frame-in": "#1c7ed6",
  "frame-out": "#74c0fc",
  close: "#495057",
  "http-request": "#7048e8",
  "http-reply": "#b197fc",
  "http-timeout": "#862e9c",
  timer: "#ced4da",
  client: "#12b886",
  fault: "#c2255c",
};

/** Lane groups in the order the page stacks them, and what each is called there. */
const LANE_GROUPS: Array<[prefix: string, title: string]> = [
  ["instance", "instances"],
  ["redis", "redis"],
  ["ds", "dedicated servers"],
  ["world", "world"],
  ["player", "players"],
];

function groupOf(lane: string): number {
  const index = LANE_GROUPS.findIndex(([prefix]) => prefix === splitId(lane)[0]);
  return index < 0 ? LANE_GROUPS.length : index;
}

/** Instances, Redis, dedicated servers, the world, then players in order of appearance. */
export function laneOrder(trace: Trace): string[] {
  const seen = new Set<string>(["redis"]);
  for (const step of trace.steps) seen.add(step.lane);
  const firstSeen = [...seen];
  return firstSeen.sort((a, b) => {
    const group = groupOf(a) - groupOf(b);
    if (group !== 0) return group;
    if (splitId(a)[0] === "player") return firstSeen.indexOf(a) - firstSeen.indexOf(b);
    return a.localeCompare(b, "en", { numeric: true });
  });
}

/** What the page script reads: steps as compact tuples, lanes and kinds as indices, Redis changes sparse. */
export function viewData(name: string, title: string, input: TraceWithRedis): Record<string, unknown> {
  const { trace, redis } = input;
  const signatures = signaturesOf(trace);
  const graph = new TraceGraph(trace);
  const lanes = laneOrder(trace);
  const laneIndex = new Map(lanes.map((lane, index) => [lane, index]));
  const kinds = Object.keys(KIND_COLOURS) as StepKind[];
  const kindIndex = new Map(kinds.map((kind, index) => [kind, index]));
  const roster = new Map(rosterOf(trace).map((entry) => [`player:${entry.id}`, entry]));
  const changes: Array<[number, RedisChange]> = [];
  redis.forEach((change, step) => {
    if (change && change.length > 0) changes.push([step, change]);
  });
  const last = trace.steps[trace.steps.length - 1];
  return {
    name,
    title,
    scenario: trace.scenario,
    server: trace.server,
    seed: trace.seed,
    strategy: trace.strategy,
    verdict: trace.verdict,
    hash: trace.hash,
    players: trace.options.players.length,
    replay: input.path ? `npx sim replay ${input.path}` : null,
    // A shrunk world is not a seed of its scenario: only its replay reproduces it.
    run: name === "original" ? reproduceCommand(trace) : null,
    redisMissing: input.redisMissing ?? null,
    lanes: lanes.map((lane) => {
      const [kind, id] = splitId(lane);
      const entry = roster.get(lane);
      return { lane, group: groupOf(lane), name: kind === "redis" || kind === "world" ? kind : abbreviateIds(id), note: entry ? entry.behaviour : "", mode: entry?.mode ?? "" };
    }),
    groups: LANE_GROUPS.map(([, title]) => title),
    kinds,
    markKinds: MARK_KINDS,
    steps: trace.steps.map((s) => {
      const mark = stepMark(graph, s.i);
      return [
        s.t,
        laneIndex.get(s.lane) ?? 0,
        kindIndex.get(s.event.kind) ?? 0,
        stepLabel(s.event),
        stepDetail(s.event),
        mark === null ? 0 : MARK_KINDS.indexOf(mark.kind) + 1,
        mark?.text ?? "",
        arrivalOf(graph, s.i),
      ];
    }),
    redis: changes,
    violations: trace.violations.map((v, i) => {
      const slice = causalSlice(trace, v, graph);
      const involved = fromSlice(trace, v, slice);
      const story = violationStory(trace, v, graph, slice);
      const step = clampStep(trace, v.step);
      const signature = signatures[i];
      return {
        invariant: v.invariant,
        signature: signature?.id ?? "",
        signatureSummary: signature?.summary ?? "",
        meaning: meaningOf(v.invariant),
        message: v.message,
        step,
        at: v.at,
        stepAt: trace.steps[step]?.t ?? 0,
        afterRun: last !== undefined && foundAfterRun(trace, v),
        players: involved.players,
        keys: involved.keys,
        involved: involved.steps,
        story: story.lines.map((line) => [line.step, line.text]),
        headline: story.headline,
        end: story.end,
        cause: nameCause(trace, v, graph, slice).text,
      };
    }),
  };
}

/** Inside a <script> element only "</" and "<!--" can end or confuse it; escaping every "<" rules both out. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function asset(name: string): string {
  return readFileSync(new URL(`./timeline/${name}`, import.meta.url), "utf8");
}

/**
 * One self-contained HTML page (inline CSS, script and data; nothing fetched) showing a trace as lanes over
 * compressed time, the violation and the steps involved in it, Redis at any selected step, and a step table.
 * With `shrunk`, both traces are tabs of the same page, with a third saying what shrinking removed.
 * `#step=N` (and `#view=shrunk&step=N`) selects a step.
 */
export function renderTimeline(input: TimelineInput): string {
  const views = [viewData("original", "Original trace", input.original)];
  if (input.shrunk) views.push(viewData("shrunk", "Shrunk trace", input.shrunk));
  const diff = input.shrunk ? shrinkDiff(input.original.trace, input.shrunk.trace) : null;
  const data = { colours: KIND_COLOURS, views, diff };
  const { trace } = input.original;
  const title = `${trace.scenario} · ${trace.server} · seed ${trace.seed} — ${trace.verdict}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${asset("page.css")}
</style>
</head>
<body>
<noscript>This report draws its timeline with JavaScript; the raw trace is in the script element "trace-data".</noscript>
<script type="application/json" id="trace-data">${embedJson(data)}</script>
<script>
${asset("page.js")}
</script>
</body>
</html>
`;
}
