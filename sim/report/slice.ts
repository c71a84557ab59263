import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import type { Violation } from "../oracle/invariants.ts";
import type { StepKind } from "../trace/events.ts";
import { eventData, eventPlayer, frameSession, serverMessage } from "../trace/facts.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { KITS, type VariantKit } from "../variants/index.ts";
import { dependsOn, TraceGraph } from "./trace-graph.ts";

/** Why a step belongs to a violation's slice: each reason names the step it was found from. */
export type Because =
  | { why: "violation" }
  /** What the violation is about: a write of a key it names, its players' frames about it, a departure of a player its cause involves. */
  | { why: "evidence" }
  /** Its code made step `of` (a handler's earlier step, the message a delivery carries, the frame a reply answers). */
  | { why: "made"; of: number }
  /** Made by step `of`, which is evidence: what the server did with a frame, a close or a write. */
  | { why: "handled"; of: number }
  /** It was the last write of `key` before step `of` read it. */
  | { why: "wrote"; of: number; key: string }
  /** It took the lock `key` that step `of` was refused. */
  | { why: "held"; of: number; key: string };

export interface Slice {
  /** The violating step, or null when an end-of-run check found the violation after the last step. */
  violating: number | null;
  /** Ascending step indices. */
  steps: number[];
  because: Map<number, Because>;
  /** The violation's players and every player a step of the slice is about, the violation's first. */
  players: string[];
  /** Named keys, plus the session keys the slice's frames were about. */
  keys: string[];
}

/** An id worth matching on its own inside data: a UUID-like id, not a word such as a mode name. */
const SPECIFIC_ID = /^[0-9a-z]+(-[0-9a-z]+){2,}$/i;

/** What a handler is made of: its commands, its HTTP exchanges and their answers. */
const HANDLER_STEPS: ReadonlySet<StepKind> = new Set(["redis", "http-request", "http-reply", "http-timeout", "deliver"]);
/** What a handler's work ends in for someone else: told a player, closed a socket. Followed no further. */
const HANDLER_ENDS: ReadonlySet<StepKind> = new Set(["frame-out", "close"]);

/** The id a key ends with: `loading:<sid>`, `{mm}:server:ds1`, `lock:loading:<sid>`. */
export function keyId(key: string): string {
  return key.slice(key.lastIndexOf(":") + 1);
}

/** The index of the violating step, clamped to the trace (an end-of-run check names the last step or past it). */
export function clampStep(trace: Pick<Trace, "steps">, step: number): number {
  return Math.max(0, Math.min(step, trace.steps.length - 1));
}

/** Whether an end-of-run check found the violation: after the last step, or at a later time than it. */
export function foundAfterRun(trace: Pick<Trace, "steps">, violation: Violation): boolean {
  const last = trace.steps[trace.steps.length - 1];
  return last === undefined || violation.step > last.i || violation.at > last.t;
}

/**
 * The steps a violation's cause needs, found by following causality backwards through the events' fields from
 * what the violation is about (its step; the writes of its keys; its players' frames about those keys and their
 * departures): the step whose code made each one, the last write of every key a command depended on, the
 * acquisition that held a refused lock, and what the server did with the frames, closes and writes it starts
 * from.
 *
 * Two passes keep it to the story. The first follows only causes, lock holders and handlers, and gathers the
 * players (the ones its steps are about or name) and sessions it meets: the focus. The second starts again from
 * the evidence, now with the departures of every player of the focus (a partner who quit is often the cause),
 * and also follows data, but only through keys of the focus: a script that matched eight players at once
 * depends on all eight records, and the other six are another story. Of a shared key (a queue every enqueue
 * writes) only the writes that put there a named player a command read back are followed; a timer's cause (its
 * previous firing) is not followed.
 */
export function causalSlice(trace: Trace, violation: Violation, graph = new TraceGraph(trace)): Slice {
  const kit: VariantKit = KITS[trace.server];
  const config: MatchConfig = { ...DEFAULT_CONFIG, ...trace.options.config };
  const steps = trace.steps;
  const limit = clampStep(trace, violation.step);
  const violating = foundAfterRun(trace, violation) || steps.length === 0 ? null : limit;
  const shared = (key: string): boolean => kit.sharedKey(key, config);

  const knownPlayers = new Set(steps.map((s) => eventPlayer(s.event)).filter((id): id is string => id !== null));
  const named = new Set(violation.keys);
  const keysById = new Map<string, string[]>();
  for (const s of steps) if (s.event.kind === "redis") for (const key of s.event.writes) pushTo(keysById, keyId(key), key);
  for (const id of mentionedIds(violation.message, new Set(keysById.keys()))) {
    if (SPECIFIC_ID.test(id)) for (const key of keysById.get(id) ?? []) if (!kit.lockKey(key)) named.add(key);
  }
  const players = new Set([...violation.players, ...mentionedIds(violation.message, knownPlayers)]);
  const loading = loadingSessions(trace);
  const window = evidenceWindow(graph, limit, named, shared, loading);
  const seeds = evidence(trace, graph, violating, window, players, named, shared);

  const focus = new Set([...players, ...[...named].map(keyId)]);
  const focusPlayers = new Set(players);
  const never = (): boolean => false;
  const foreignTo = (focus: ReadonlySet<string>) => new Set([...loading].filter((id) => !focus.has(id)));
  const first = closure(trace, graph, seeds, { from: window.from, limit, followed: never, shared: never, traced: players, focus, foreign: foreignTo(focus), throughForeign: false });
  for (const index of first.keys()) {
    const event = (steps[index] as TraceStep).event;
    for (const player of [eventPlayer(event), ...mentionedIds(eventData(event), knownPlayers)]) if (player !== null) focusPlayers.add(player);
    if (event.kind === "frame-in" || event.kind === "frame-out") {
      const session = frameSession(event);
      if (session !== null) focus.add(session);
    }
  }
  for (const player of focusPlayers) focus.add(player);
  // The others' departures count while the named session lived: before it and after it, they were in another story.
  const others = new Set([...focusPlayers].filter((player) => !players.has(player)));
  const departures = evidence(trace, graph, null, { ...window, to: window.sessionEnd, lastBefore: false }, others, new Set(), shared).filter(
    (seed) => !(steps[seed.index]?.event.kind ?? "").startsWith("frame"),
  );
  const followed = (key: string): boolean => !shared(key) && (named.has(key) || (!kit.lockKey(key) && focus.has(keyId(key))));
  const because = closure(trace, graph, [...seeds, ...departures], { from: window.from, limit, followed, shared, traced: players, focus, foreign: foreignTo(focus), throughForeign: true });

  const ordered = [...because.keys()].sort((a, b) => a - b);
  const involved = new Set(players);
  for (const index of ordered) {
    const player = eventPlayer((steps[index] as TraceStep).event);
    if (player !== null) involved.add(player);
  }
  return { violating, steps: ordered, because, players: [...involved], keys: sessionKeys(trace, ordered, named, kit) };
}

interface Seed {
  index: number;
  because: Because;
  /** What the server did with it belongs to the story too. */
  handled: boolean;
}

/**
 * Steps [from, to] the evidence is looked for in: from the creation of the loading session the violation names
 * (what came before it is another episode of its players' lives), else from the first write of a key it names.
 */
interface Window {
  from: number;
  to: number;
  /** The ids of the named keys written before `to` (sessions, players, servers). */
  namedIds: Set<string>;
  /** A player's last departure before `from` counts too. */
  lastBefore: boolean;
  /** The last write of the named loading session (`to` when none is named): after it the session was over. */
  sessionEnd: number;
}

function evidenceWindow(graph: TraceGraph, limit: number, named: ReadonlySet<string>, shared: (key: string) => boolean, loading: ReadonlySet<string>): Window {
  let anyFrom = limit + 1;
  let sessionFrom = limit + 1;
  let sessionEnd = -1;
  const namedIds = new Set<string>();
  for (const key of named) {
    const first = graph.writesOf(key)[0];
    if (shared(key) || first === undefined || first > limit) continue;
    anyFrom = Math.min(anyFrom, first);
    if (loading.has(keyId(key))) {
      sessionFrom = Math.min(sessionFrom, first);
      sessionEnd = Math.max(sessionEnd, graph.lastWriteBefore(key, limit + 1) ?? first);
    }
    namedIds.add(keyId(key));
  }
  const from = sessionFrom <= limit ? sessionFrom : anyFrom <= limit ? anyFrom : 0;
  return { from, to: limit, namedIds, lastBefore: true, sessionEnd: sessionEnd < 0 ? limit : sessionEnd };
}

/**
 * Where the slice starts: the violating step; every write of a named key (of a named queue, the writes that name
 * the players); the players' frames about the named sessions (all their frames when none is named) and their
 * departures in the window, with the last one before it (a quit as the player was matched).
 */
function evidence(
  trace: Trace,
  graph: TraceGraph,
  violating: number | null,
  window: Window,
  players: ReadonlySet<string>,
  named: ReadonlySet<string>,
  shared: (key: string) => boolean,
): Seed[] {
  const steps = trace.steps;
  const seeds: Seed[] = [];
  const seed = (index: number, handled: boolean): void => {
    seeds.push({ index, because: { why: "evidence" }, handled });
  };
  if (violating !== null) seeds.push({ index: violating, because: { why: "violation" }, handled: false });
  for (const key of named) {
    for (const index of graph.writesOf(key)) {
      if (index > window.to) break;
      if (index < window.from) continue;
      // A queue is everyone's: its writes that matter are the ones that put the named players there.
      if (!shared(key) || mentionedIds(eventData((steps[index] as TraceStep).event), players).length > 0) seed(index, true);
    }
  }
  const lastBefore = new Map<string, number>();
  for (let index = 0; index <= window.to; index++) {
    const event = (steps[index] as TraceStep).event;
    const player = eventPlayer(event);
    if (player === null || !players.has(player)) continue;
    const departure = event.kind === "close" || event.kind === "fault";
    if (index < window.from) {
      // A departure the player came back from (it sent a frame since) is behind it.
      if (departure) lastBefore.set(player, index);
      else if (event.kind === "frame-in") lastBefore.delete(player);
    } else if (departure) {
      seed(index, true);
    } else if (event.kind === "frame-in" || event.kind === "frame-out") {
      const session = frameSession(event);
      if (window.namedIds.size === 0 || (session !== null && window.namedIds.has(session))) seed(index, event.kind === "frame-in");
    }
  }
  if (window.lastBefore) for (const index of lastBefore.values()) seed(index, true);
  return seeds;
}

/** How far a closure goes. */
interface Reach {
  /** Steps [from, limit]: data written before `from` is another episode. */
  from: number;
  limit: number;
  /** Keys whose last writes are followed. */
  followed: (key: string) => boolean;
  /** Keys everyone writes: followed only to the write that put there an id of `traced` a command read back. */
  shared: (key: string) => boolean;
  traced: ReadonlySet<string>;
  /** The players and sessions the story is about; the loading sessions it is not about are `foreign`. */
  focus: ReadonlySet<string>;
  foreign: ReadonlySet<string>;
  /** Whether causes pass through steps about foreign sessions (once the focus is known) rather than stop at them. */
  throughForeign: boolean;
}

/**
 * Everything the seeds lead to backwards (causes, lock holders, the last writes since `from` of the keys
 * `followed` allows, and of a `shared` key the last write that put there a `traced` player the command read
 * back, without its causes) and, from seeds marked so, forwards through what their handlers did: a delivery or
 * frame only when it mentions an id of the focus (one script can tell many players, most of them about
 * something else), and nothing from where the handler goes on to a foreign session. `throughForeign`, a cause
 * chain passes through steps about a foreign session instead of taking them in, and a lock refused there has no
 * holder here (a sweep that raced another session's lock on its way is not this story).
 */
function closure(trace: Trace, graph: TraceGraph, seeds: readonly Seed[], reach: Reach): Map<number, Because> {
  const { from, limit, followed, shared, traced, focus, foreign, throughForeign } = reach;
  const steps = trace.steps;
  const because = new Map<number, Because>();
  const handled = new Set<number>();
  const work: number[] = [];
  const add = (index: number | null, reason: Because, follow = false, leaf = false): void => {
    if (index === null || index > limit || because.has(index)) return;
    because.set(index, reason);
    if (follow) handled.add(index);
    if (!leaf) work.push(index);
  };
  const aboutForeign = (index: number): boolean => mentioned(eventData((steps[index] as TraceStep).event)).some((id) => foreign.has(id));
  for (const seed of seeds) add(seed.index, seed.because, seed.handled);
  while (work.length > 0) {
    const index = work.pop() as number;
    const event = steps[index]?.event;
    if (event === undefined) continue;
    if (event.kind !== "timer") {
      // A handler that walked other sessions on its way here (a sweep) is followed through those steps, not to them.
      let cause = graph.cause(index);
      while (throughForeign && cause !== null && aboutForeign(cause)) cause = graph.cause(cause);
      add(cause, { why: "made", of: index });
    }
    if (event.kind === "redis") {
      // A keyspace walk depends on every write; the keys it went on to use are followed from those steps.
      for (const key of event.readsAll ? [] : dependsOn(event)) {
        if (followed(key)) {
          // What came before the window is another episode: what a player's record held before its session.
          const writer = graph.lastWriteBefore(key, index);
          if (writer !== null && writer >= from) add(writer, { why: "wrote", of: index, key });
        } else if (shared(key)) {
          // Of a key everyone writes, what matters is who put there the named players this command got back;
          // how that writer came to write is the story of an earlier episode, not followed.
          for (const id of mentionedIds(JSON.stringify(event.reply), traced)) {
            add(graph.lastWriteBefore(key, index, (writer) => mentioned(eventData(writer.event)).includes(id)), { why: "wrote", of: index, key }, false, true);
          }
        }
      }
      const holder = graph.holder(index);
      if (holder !== null && !(throughForeign && aboutForeign(index))) add(holder, { why: "held", of: index, key: String(event.args[0]) });
    }
    if (!handled.has(index)) continue;
    for (const child of graph.children(index)) {
      const next = steps[child]?.event;
      // A handler that goes on to another session (a sweep walks them all) is another story from there on.
      if (next === undefined || aboutForeign(child)) continue;
      if ((next.kind === "deliver" || next.kind === "frame-out") && !mentioned(eventData(next)).some((id) => focus.has(id))) continue;
      if (HANDLER_STEPS.has(next.kind)) add(child, { why: "handled", of: index }, true);
      else if (HANDLER_ENDS.has(next.kind)) add(child, { why: "handled", of: index });
    }
  }
  return because;
}

/** Named keys, and the non-lock keys the slice wrote whose id is a session one of its frames was about. */
function sessionKeys(trace: Trace, slice: readonly number[], named: ReadonlySet<string>, kit: VariantKit): string[] {
  const keys = new Set(named);
  const sessions = new Set<string>();
  for (const index of slice) {
    const event = trace.steps[index]?.event;
    if (event?.kind === "frame-in" || event?.kind === "frame-out") {
      const session = frameSession(event);
      if (session !== null) sessions.add(session);
    }
  }
  for (const index of slice) {
    const event = trace.steps[index]?.event;
    if (event?.kind !== "redis") continue;
    for (const key of event.writes) if (!kit.lockKey(key) && sessions.has(keyId(key))) keys.add(key);
  }
  return [...keys];
}

/** The words of a text that can be ids, whole: `player-1` is not found in `player-10`. */
function mentioned(text: string): string[] {
  return text.match(/[\w-]+/g) ?? [];
}

/** The ids among `known` that a text mentions. */
function mentionedIds(text: string, known: ReadonlySet<string>): string[] {
  return [...new Set(mentioned(text))].filter((token) => known.has(token));
}

/** Every loading session a player was sent to. */
function loadingSessions(trace: Trace): Set<string> {
  const sessions = new Set<string>();
  for (const step of trace.steps) {
    if (step.event.kind !== "frame-out") continue;
    const message = serverMessage(step.event);
    if (message?.type === "start_loading") sessions.add(message.loading_session_id);
  }
  return sessions;
}

function pushTo<T>(map: Map<string, T[]>, id: string, value: T): void {
  const list = map.get(id);
  if (!list) map.set(id, [value]);
  else if (!list.includes(value)) list.push(value);
}
