import { rosterOf } from "../players/roster.ts";
import type { WorldOptions } from "../scenario/options.ts";
import type { Trace } from "../trace/trace.ts";
import { abbreviateIds, seconds } from "./text.ts";

export interface KeptPlayer {
  id: string;
  mode: string;
  /** The behaviour it had, and the one it has in the shrunk world. */
  before: string;
  after: string;
}

/** What shrinking removed: the world's dimensions side by side, the players kept, the players gone by behaviour. */
export interface ShrinkDiff {
  rows: Array<[what: string, original: string, shrunk: string]>;
  kept: KeptPlayer[];
  removed: Array<[behaviour: string, count: number]>;
}

function events(options: WorldOptions): string {
  const { crashes, pauses, disconnects, corruptions, maxSkewMs } = options.events;
  const parts = [
    crashes ? `${crashes} crash${crashes > 1 ? "es" : ""}` : "",
    pauses ? `${pauses} pause${pauses > 1 ? "s" : ""}` : "",
    disconnects ? `${disconnects} network drop${disconnects > 1 ? "s" : ""}` : "",
    corruptions ? `${corruptions} foreign write${corruptions > 1 ? "s" : ""}` : "",
    maxSkewMs ? `clock skew up to ${maxSkewMs} ms` : "",
  ].filter((part) => part !== "");
  return parts.length > 0 ? parts.join(", ") : "none";
}

function rates(options: WorldOptions): string {
  const on = Object.entries(options.faults).filter(([, rate]) => rate > 0);
  return on.length > 0 ? on.map(([name, rate]) => `${name} ${rate}`).join(", ") : "none";
}

export function shrinkDiff(original: Trace, shrunk: Trace): ShrinkDiff {
  const [a, b] = [original.options, shrunk.options];
  const last = (trace: Trace) => seconds(trace.steps[trace.steps.length - 1]?.t ?? 0);
  const rows: ShrinkDiff["rows"] = [
    ["players", String(a.players.length), String(b.players.length)],
    ["instances", String(a.instances), String(b.instances)],
    ["dedicated servers", String(a.servers), String(b.servers)],
    ["fault events", events(a), events(b)],
    ["fault rates", rates(a), rates(b)],
    ["join window", `${a.joinWindowMs} ms`, `${b.joinWindowMs} ms`],
    ["active phase (at most)", `${a.activeMs} ms`, `${b.activeMs} ms`],
    ["settle phase (at most)", `${a.maxSettleMs} ms`, `${b.maxSettleMs} ms`],
    ["steps", String(original.steps.length), String(shrunk.steps.length)],
    ["decisions followed", String(original.decisions.length), String(shrunk.decisions.length)],
    ["last step at", last(original), last(shrunk)],
  ];
  const after = new Map(rosterOf(shrunk).map((entry) => [entry.position, entry]));
  const kept: KeptPlayer[] = [];
  const removed = new Map<string, number>();
  for (const entry of rosterOf(original)) {
    const now = after.get(entry.position);
    if (now === undefined) removed.set(entry.behaviour, (removed.get(entry.behaviour) ?? 0) + 1);
    else kept.push({ id: abbreviateIds(now.id), mode: now.mode, before: entry.behaviour, after: now.behaviour });
  }
  return { rows, kept, removed: [...removed].sort((x, y) => y[1] - x[1]) };
}
