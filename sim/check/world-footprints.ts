import type { Step, StepKind } from "../scheduler/step.ts";
import type { StepEvent } from "../trace/events.ts";
import { globalFootprint, resource, type Footprint } from "./footprint.ts";

/** What a world step did beyond its event: the steps it made and removed, the shared streams it drew from. */
export interface StepObservation {
  step: Step;
  event: StepEvent;
  created: readonly Step[];
  removed: readonly Step[];
  /** Names of the shared random streams it drew from. */
  drew: readonly string[];
  /** The parts of what the oracle's checks after every step read that it changed. */
  visible: readonly string[];
}

/**
 * Steps a player's action may be moved onto (sim/world/coincidence.ts): the pending steps of these kinds, listed
 * in the order their channels were added. Adding one is an ordered write (two additions commute only when
 * due at the same instant: the list then holds the same times whichever came first); removing one commutes with
 * every addition and removal; a player's action that seeks a coincidence reads them all.
 */
const ANCHOR_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(["client", "timer", "http-timeout"]);
const ANCHORS_ADDED = "anchors:added";
const ANCHORS_REMOVED = "anchors:removed";

/** The actors whose memory a step's code touches, by what its event says. */
function actorsOf(event: StepEvent): string[] {
  switch (event.kind) {
    case "redis":
      return [event.client];
    case "deliver":
      return [event.subscriber];
    // A frame out runs only the player's code (sim-connection.ts: the instance's code ran when it sent it); the
    // connection's open flags it reads are written by the player's own steps and by closes, which touch both.
    case "frame-out":
      return [event.player];
    case "frame-in":
    case "close":
      return [event.instance, event.player];
    case "http-request":
      return event.server === null ? [event.instance] : [event.instance, event.server];
    case "http-reply":
    case "http-timeout":
      return [event.instance];
    case "timer":
      return [event.owner];
    case "client":
      return [event.player];
    case "fault":
      return [];
  }
}

/** Pub/sub: who listens is written by SUBSCRIBE and read by every other command (any may publish, from a script). */
const PUBSUB = "pubsub";

/**
 * A world step's footprint. Faults, and steps whose handler took their instance down (they made a restart), touch
 * everything. Otherwise: the actors its code ran in; the Redis keys its command read and wrote; the channels it
 * appended to; the shared streams it drew from (a dedicated server's steps count as drawing from the stream
 * every dedicated server shares, which the world does not expose); the instance a player connected to; and the
 * anchors a coincidence picks from (`coincidence` above 0: the world seeks them).
 */
export function worldFootprint(observed: StepObservation, coincidence: number): Footprint {
  const { step, event, created, removed, drew, visible } = observed;
  if (event.kind === "fault" || created.some((made) => made.kind === "fault")) return globalFootprint(step.lane, step.source);
  const reads = new Set<string>();
  const writes = new Set<string>(actorsOf(event).map(resource.actor));
  const tagged = new Map<string, string>();
  let readsAllKeys = false;
  let writesKeys = false;
  if (event.kind === "redis") {
    for (const key of event.reads) reads.add(resource.key(key));
    for (const key of event.writes) writes.add(resource.key(key));
    readsAllKeys = event.readsAll;
    writesKeys = event.writes.length > 0;
    if (event.command.endsWith("SUBSCRIBE")) writes.add(PUBSUB);
    else reads.add(PUBSUB);
  }
  if (step.lane.startsWith("ds:")) writes.add(resource.stream("servers"));
  for (const name of drew) writes.add(resource.stream(name));
  const connected = drew.includes("world");
  for (const made of created) {
    writes.add(resource.queue(made.source));
    if (connected && made.owner !== null) writes.add(resource.actor(made.owner));
  }
  for (const gone of removed) writes.add(resource.queue(gone.source));
  const anchorTimes = new Set(created.filter((made) => ANCHOR_KINDS.has(made.kind)).map((made) => made.readyAt));
  if (anchorTimes.size > 0) tagged.set(ANCHORS_ADDED, anchorTimes.size === 1 ? `at ${[...anchorTimes][0]}` : `step ${step.id}`);
  if (ANCHOR_KINDS.has(step.kind) || removed.some((gone) => ANCHOR_KINDS.has(gone.kind))) tagged.set(ANCHORS_REMOVED, "");
  if (coincidence > 0 && created.some((made) => made.kind === "client")) {
    reads.add(ANCHORS_ADDED);
    reads.add(ANCHORS_REMOVED);
  }
  return {
    lane: step.lane,
    source: step.source,
    reads: [...reads].filter((name) => !writes.has(name)),
    writes: [...writes],
    tagged,
    readsAllKeys,
    writesKeys,
    global: false,
    createdOn: [...new Set(created.map((made) => made.lane))],
    visible,
  };
}
