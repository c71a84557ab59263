import { createHash } from "node:crypto";
import { DEFAULT_CONFIG } from "../../src/config/config.ts";
import { HEARTBEAT_TIMER } from "../../src/connection/heartbeat.ts";
import { CONNECTION_LOST } from "../world/sim-redis-port.ts";
import type { Violation } from "../oracle/invariants.ts";
import { Causes } from "../trace/causes.ts";
import { CONTINUING_KINDS, type StepEvent } from "../trace/events.ts";
import { isRedisFailure, isRefusedLock, serverMessage } from "../trace/facts.ts";
import { eventShape, withoutIds } from "../trace/shape.ts";
import type { Trace, TraceStep } from "../trace/trace.ts";
import { causalSlice, handlerChain, keyId, SliceIndex, type CausalSlice } from "./causal-slice.ts";

/** The invariant a handler's throw breaks: the step it threw after is where its consequences start. */
const CRASH = "no-crash";

/** One root cause's name across runs: the same whatever the seed, ids, timings and schedule. */
export interface Signature {
  /** 12 hex digits: what `--baseline` files and `--json` compare. */
  id: string;
  invariant: string;
  /** The violation's message with ids, numbers, modes and behaviours taken out. */
  template: string;
  /**
   * What made the violating state (`made by ...`: the handlers whose writes and messages the check saw) and the
   * abnormal steps that led there (a refused lock, a lost command, a fault...), each with its handler.
   */
  features: string[];
  /** One line for people. */
  summary: string;
}

/** Parenthesised words in a message (a player's behaviour): who it happened to, not what happened. */
const ASIDE = /\s*\([a-z-]+\)/g;

/** Game mode names are the world's choice, not the bug's: a ghost in one mode's queue is a ghost in any. */
function withoutModes(text: string, modes: readonly string[]): string {
  let out = text;
  for (const mode of modes) out = out.split(mode).join("<mode>");
  return out;
}

/** The message with everything that differs from run to run taken out. */
export function messageTemplate(message: string, modes: readonly string[] = []): string {
  return withoutModes(withoutIds(message), modes)
    .replace(ASIDE, "")
    .replace(/(?:#(?:, |,)?)+#/g, "#")
    .replace(/\s+/g, " ")
    .trim();
}

/** A step that did not go as its sender meant, or that struck from outside: a reason for what went wrong. */
function abnormal(event: StepEvent): boolean {
  switch (event.kind) {
    case "redis":
      return isRefusedLock(event) || isRedisFailure(event);
    case "fault":
      // A dropped connection is a departure, as a quit is: the server has to live with it. A snapshot changes
      // nothing; the rollback it sets going, which restores it, is the fault.
      return event.fault !== "restart" && event.fault !== "network-drop" && event.fault !== "redis-snapshot";
    case "http-request":
      return event.outcome !== "handled";
    case "http-reply":
      return event.late || event.status < 200 || event.status >= 300;
    case "http-timeout":
      return true;
    default:
      return false;
  }
}

/**
 * A lock a periodic job found taken: the job skips a round and comes again, as designed (two instances' match
 * ticks meet at every round). Not a cause.
 */
function routine(step: TraceStep, causes: Causes): boolean {
  if (!isRefusedLock(step.event)) return false;
  return causes.root(step).event.kind === "timer";
}

/** What a step did, coarsely: the command or script and how it fared, the message type, the fault. */
function what(event: StepEvent): string {
  if (isRefusedLock(event)) return "lock refused";
  if (event.kind === "redis") return `${event.script ?? event.command} ${event.outcome}`;
  if (event.kind === "frame-out") {
    const message = serverMessage(event);
    return `sent ${message === null ? "garbage" : message.type === "error" ? `error "${withoutIds(message.message)}"` : message.type}${event.dropped ? " (dropped)" : ""}`;
  }
  if (event.kind === "fault") return `fault ${event.fault}`;
  return eventShape(event);
}

/**
 * What started a handler, as a kind of handler: a departure is one whoever noticed it (the player's close, a
 * reset by a dead instance, the heartbeat giving up on a silent socket), as the server runs one close path for all.
 */
function starterShape(start: TraceStep): string {
  const event = start.event;
  if (event.kind === "close") return "close";
  if (event.kind === "timer" && event.timer === HEARTBEAT_TIMER) return "close";
  return eventShape(event);
}

/** The handler a step belongs to, as what started it: `frame-in loading_complete`, `timer sweep`, `close`. */
function handlerOf(step: TraceStep, causes: Causes, modes: readonly string[]): string {
  let start: TraceStep | null = step;
  if (CONTINUING_KINDS.has(step.event.kind)) start = causes.root(step);
  else if (step.event.kind === "frame-out" || step.event.kind === "deliver") start = causes.of(step) && causes.root(causes.of(step) as TraceStep);
  // A command nothing set going is the instance's start's, and so is one a restart set going.
  if (start === step && CONTINUING_KINDS.has(step.event.kind)) return "start";
  if (start === null || start === step) return step.event.kind === "fault" ? "world" : withoutModes(eventShape(step.event), modes);
  if (start.event.kind === "fault" && start.event.fault === "restart") return "start";
  return withoutModes(starterShape(start), modes);
}

/** What a violation is traced back to: the step that did not go as meant, told as its handler and what it did. */
interface Culprit {
  step: TraceStep;
  text: string;
}

/**
 * The signatures of every violation of a trace, in their order. A violation with no culprit of its own is an
 * earlier one's consequence, and takes its signature, when the earlier one's culprit (or a step of an earlier
 * handler that threw) lies on its path, or when the earlier one broke the same invariant for one of its
 * players and made what its slice depends on (a player placed twice is seen again when its second place turns
 * into a game). One bug seen by several checks is one bug. The trace is indexed once for all.
 */
export function signaturesOf(trace: Trace): Signature[] {
  const index = new SliceIndex(trace);
  const modes = modesOf(trace);
  const earlier: Array<{ anchors: ReadonlySet<TraceStep>; at: number; maker: TraceStep | null; violation: Violation; signature: Signature }> = [];
  return trace.violations.map((violation) => {
    const slice = causalSlice(trace, violation, index);
    const makers = makersOf(violation, slice, index);
    const path = pathOf(violation, makers, index);
    const culprit = culpritOf(violation, makers, path, slice, index, modes);
    if (culprit === null) {
      const inSlice = new Set(slice.steps);
      const cause = earlier.find(
        // What a check saw at the very step a handler threw after, or a culprit struck at, was made before it.
        (each) => (each.at < violation.step && path.some((step) => each.anchors.has(step))) || (each.maker !== null && inSlice.has(each.maker) && sameBreach(each.violation, violation)),
      );
      if (cause) return cause.signature;
    }
    const signature = signatureFrom(violation, modes, culprit);
    // A handler that threw left undone what its steps had begun: a state they made is the throw's doing.
    const threw = culprit === null && violation.invariant === CRASH ? index.step(violation.step) : null;
    const anchors = new Set(culprit !== null ? [culprit.step] : threw !== null ? handlerChain(threw, index.causes) : []);
    earlier.push({ anchors, at: culprit?.step.i ?? threw?.i ?? Number.POSITIVE_INFINITY, maker: makers[0] ?? null, violation, signature });
    return signature;
  });
}

/** Two violations of one invariant about a player in common. */
function sameBreach(earlier: Violation, later: Violation): boolean {
  return earlier.invariant === later.invariant && earlier.players.some((player) => later.players.includes(player));
}

/** The signature of one violation of a trace, as `signaturesOf` gives it. */
export function signatureOf(trace: Trace, violation: Violation): Signature {
  const at = trace.violations.indexOf(violation);
  if (at >= 0) return signaturesOf(trace)[at] as Signature;
  const index = new SliceIndex(trace);
  const slice = causalSlice(trace, violation, index);
  const modes = modesOf(trace);
  const makers = makersOf(violation, slice, index);
  return signatureFrom(violation, modes, culpritOf(violation, makers, pathOf(violation, makers, index), slice, index, modes));
}

function modesOf(trace: Trace): string[] {
  return ({ ...DEFAULT_CONFIG, ...trace.options.config }.gameModes ?? []).map((mode) => mode.name);
}

/** Whether a handler's throw, told by `message`, passed on the error the step's command failed with. */
function thrownOn(event: StepEvent, message: string): boolean {
  if (event.kind !== "redis" || !isRedisFailure(event)) return false;
  return message.includes(event.outcome === "error" ? (event.error ?? "") : CONNECTION_LOST);
}

/**
 * A step, its handler back to its start, and what set that start going back through the players' actions and
 * departures (a crash resets a connection, its player reconnects and enqueues again, and that enqueue is the
 * crash's doing), and through a message's delivery to the handler that published it.
 */
function startedBy(step: TraceStep, causes: Causes): TraceStep[] {
  const chain = handlerChain(step, causes);
  for (let last = chain.at(-1); last !== undefined && (last.event.kind === "client" || last.event.kind === "close"); ) {
    const before = causes.of(last);
    if (before === null || chain.includes(before)) break;
    chain.push(before);
    last = before;
  }
  // A message is the publishing handler's doing: its chain goes on back from the publish.
  const delivered = chain.find((each) => each.event.kind === "deliver");
  const published = delivered === undefined ? null : causes.of(delivered);
  return published === null ? chain : [...chain, ...handlerChain(published, causes)];
}

/**
 * The writes that put the violation's players where the step's handler found them: a match script pops a
 * player from a queue, and the enqueue that put it there is how it came to be matched.
 */
function placedBy(step: TraceStep, violation: Violation, index: SliceIndex): TraceStep[] {
  const found: TraceStep[] = [];
  for (const command of handlerChain(step, index.causes)) {
    const event = command.event;
    if (event.kind !== "redis" || event.reply === null) continue;
    const reply = JSON.stringify(event.reply);
    for (const player of violation.players) {
      if (!reply.includes(player)) continue;
      // A script's footprint lists a key it pops from as written only. A key the violation names is what the
      // check judged (the queue whose order broke): how players came to be in it is the check's input.
      for (const key of new Set([...event.keys, ...event.reads, ...event.writes])) {
        if (violation.keys.includes(key)) continue;
        const put = index.lastWriteOfNaming(key, player, command.i - 1);
        if (put !== null) found.push(put);
      }
    }
  }
  return found;
}

/**
 * The culprit of a violation, when one is found, in this order:
 * - a fault or a failed command on the way to a step that made the violating state (the handler that wrote it,
 *   what set that handler going, and the writes that put the players where it found them): the state is that
 *   failure's making;
 * - the violating state made by the close of a connection its player had already replaced with a newer one:
 *   the old connection's goodbye undid what the new one holds;
 * - a crash of the instance that made the violating state while that handler was under way: what it would
 *   have done next never happened;
 * - a handler one of the violation's players set going that gave up (a refused lock, a failed command) on
 *   what the violation is about: what the player asked for was dropped.
 * Faults and failures elsewhere in the slice are not culprits: a lost reply to an enqueue does not decide which
 * players a match takes. Neither is a lock a periodic job found taken.
 */
function culpritOf(violation: Violation, makers: readonly TraceStep[], path: readonly TraceStep[], slice: CausalSlice, index: SliceIndex, modes: readonly string[]): Culprit | null {
  const causes = index.causes;
  const describe = (step: TraceStep): Culprit => ({ step, text: `${handlerOf(step, causes, modes)} > ${withoutModes(what(step.event), modes)}` });
  // A handler that threw names its own bug, unless what it threw is a failure's error passed on.
  const counts = (step: TraceStep): boolean => violation.invariant !== CRASH || thrownOn(step.event, violation.message);
  const inPath = path.filter((step) => abnormal(step.event) && !routine(step, causes) && counts(step)).sort((a, b) => a.i - b.i)[0];
  if (inPath !== undefined) return describe(inPath);
  if (violation.invariant === CRASH) return null;
  for (const maker of makers) {
    // Whatever the old connection's close did (a dequeue, a cancel and its re-queue), it undid the new one's.
    if (index.closedReplaced(maker)) return { step: maker, text: "close of a replaced connection" };
    const crash = index.crashCut(maker, violation.step);
    if (crash !== null) return { step: crash, text: `crash after ${handlerOf(maker, causes, modes)} > ${withoutModes(what(maker.event), modes)}` };
  }
  const dropped = droppedFor(violation, path, slice, index);
  return dropped === null ? null : describe(dropped);
}

/**
 * The way to the violating state: each maker's handler back to its start and what set that going, and the same
 * for the writes that put the violation's players where that handler found them.
 */
function pathOf(violation: Violation, makers: readonly TraceStep[], index: SliceIndex): TraceStep[] {
  return makers.flatMap((maker) => [...startedBy(maker, index.causes), ...placedBy(maker, violation, index).flatMap((put) => startedBy(put, index.causes))]);
}

/**
 * The steps that made the state the check saw: the last command (or wipe of every key) among the last writes of
 * the violation's keys and of its players' records, and the last message one of them was sent when it came later
 * (a player told it was re-queued by a handler that never got to re-queue it); for a violation about no key and no
 * player (a handler that threw), the step it was seen after.
 */
function makersOf(violation: Violation, slice: CausalSlice, index: SliceIndex): TraceStep[] {
  const write = slice.focus.filter((step) => step.event.kind === "redis" || step.event.kind === "fault").at(-1);
  const told = slice.focus.filter((step) => step.event.kind === "frame-out").at(-1);
  const makers = [write, told].filter((step): step is TraceStep => step !== undefined && (step === write || write === undefined || step.i > write.i));
  if (makers.length > 0) return makers;
  const seen = slice.focus.at(-1) ?? index.step(violation.step);
  return seen === null ? [] : [seen];
}

/**
 * The first handler a player set going (a frame, a close) that gave up on what the violation is about: it was
 * refused a lock and went no further, or a command of its failed. About the violation: its lock or keys name a
 * key the violation names or the way to its state went through, whoever's handler it was (a partner's dropped
 * cancel leaves the session held, and the sweep that ends it later re-queues the partner who left); for a
 * violation naming no key, failing that, it was one of the violation's players' own, and none of that player's
 * own handlers wrote anything since (what the player asked for last was dropped).
 */
function droppedFor(violation: Violation, path: readonly TraceStep[], slice: CausalSlice, index: SliceIndex): TraceStep | null {
  const until = Math.min(violation.step, index.lastStep);
  const gaveUp = (step: TraceStep): boolean => (isRefusedLock(step.event) ? index.childless(step) : isRedisFailure(step.event));
  // A key every handler writes (a queue) names no one's story: a failed enqueue elsewhere is not this bug. Of
  // the way's keys, locks are left out: a lock's id is its resource's, and a match lock's is a queue's mode.
  const keys = violation.keys.filter((key) => index.followed(key));
  for (const step of path) {
    if (step.event.kind === "redis") for (const key of [...step.event.reads, ...step.event.writes]) if (index.followed(key) && !index.lockKey(key)) keys.push(key);
  }
  const ids = new Set(keys.map(keyId));
  const candidates = new Set([...ids].flatMap((id) => index.commandsOn(id, until)));
  const onKeys = [...candidates].sort((a, b) => a.i - b.i).find((step) => index.playerStarted(step) && gaveUp(step));
  if (onKeys !== undefined || violation.keys.length > 0) return onKeys ?? null;
  return (
    slice.steps.find(
      (step) => step.event.kind === "redis" && gaveUp(step) && violation.players.some((player) => index.startedBy(step, player) && !index.wroteSince(player, step.i, until)),
    ) ?? null
  );
}

function signatureFrom(violation: Violation, modes: readonly string[], culprit: Culprit | null): Signature {
  const template = violation.kind ?? messageTemplate(violation.message, modes);
  // A culprit is the bug, whatever the check that caught it: a run that loses one reply breaks several
  // invariants, all of them that one bug. Without one, the bug is the way the invariant broke: which handler
  // happened to write the state last is timing (two racing handlers write in either order), not the bug.
  if (culprit !== null) {
    const id = createHash("sha1").update(JSON.stringify(["after", culprit.text])).digest("hex").slice(0, 12);
    return { id, invariant: violation.invariant, template, features: [`after ${culprit.text}`], summary: `after ${culprit.text}: ${violation.invariant} (${template})` };
  }
  const id = createHash("sha1").update(JSON.stringify([violation.invariant, template])).digest("hex").slice(0, 12);
  return { id, invariant: violation.invariant, template, features: [], summary: `${violation.invariant}: ${template}` };
}
