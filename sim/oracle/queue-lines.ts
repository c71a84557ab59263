import type { CheckPoint } from "./checker.ts";
import type { ServerView } from "./server-view.ts";

/** A player who went from a queue into a loading session in the last step. */
export interface Placement {
  player: string;
  queue: string;
}

/**
 * The players' places in line as the oracle watched them: a player enters the line at the step it first appears
 * in a queue, and keeps that place while the server holds it anywhere (a queue, a loading session, a queue again
 * after a failed session, another mode's queue after a takeover); held nowhere, it has left the line, and its
 * next enqueue is a new arrival. The server's own order (its `seq`) is never read: the line is what happened.
 */
export class QueueLines {
  /** Player -> the step at which it entered the line. */
  private readonly arrivals = new Map<string, number>();
  /** Player -> the queue key holding it, or null while a session holds it. */
  private places = new Map<string, string | null>();
  private lastView: ServerView | null = null;
  /** The view before the last step that changed it: where the players just placed were waiting. */
  before: ServerView | null = null;
  /** Who went from a queue into a session in the step last seen. */
  placed: Placement[] = [];
  /** The last step's view differed from the one before. */
  changed = false;

  arrival(player: string): number | undefined {
    return this.arrivals.get(player);
  }

  /** The queue holding a player now, or null when it is in a session or nowhere. */
  queueOf(player: string): string | null {
    return this.places.get(player) ?? null;
  }

  /** Players held in `queue` now. */
  *waitingIn(queue: string): Iterable<string> {
    for (const [player, place] of this.places) if (place === queue) yield player;
  }

  update(point: CheckPoint, view: ServerView): void {
    this.placed = [];
    this.changed = view !== this.lastView;
    if (!this.changed) return;
    this.before = this.lastView;
    this.lastView = view;
    const next = new Map<string, string | null>();
    for (const session of view.sessions.values()) for (const member of session.members) next.set(member, null);
    for (const [player, queues] of view.queued) if (!next.has(player)) next.set(player, queues[0] ?? null);
    for (const [player, place] of next) {
      const before = this.places.get(player);
      if (before === undefined) this.arrivals.set(player, point.step);
      else if (before !== null && place === null) this.placed.push({ player, queue: before });
    }
    for (const player of this.places.keys()) if (!next.has(player)) this.arrivals.delete(player);
    this.places = next;
  }
}
