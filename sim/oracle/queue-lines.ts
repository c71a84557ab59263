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
 * next enqueue is a new arrival. A server that moves players in several writes (pops them from the queue, then
 * writes their session) holds them nowhere in between: one that reappears in a session, not in a queue, was
 * taken from the queue it left. The server's own order (its `seq`) is never read: the line is what happened.
 */
export class QueueLines {
  /** Player -> the step at which it entered the line. */
  private readonly arrivals = new Map<string, number>();
  /** Player -> the queue key holding it, or null while a session holds it. */
  private places = new Map<string, string | null>();
  /** Players who left a queue for nowhere: the queue and their place, should a session hold them next. */
  private readonly departed = new Map<string, { queue: string; arrival: number }>();
  private lastView: ServerView | null = null;
  /** The view before the last step that changed it: where the players just placed were waiting. */
  before: ServerView | null = null;
  /** Who went from a queue into a session in the step last seen. */
  placed: Placement[] = [];
  /** Some player entered, left or changed its place in the last step. */
  moved = false;

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
    this.moved = false;
    if (view === this.lastView) return;
    this.before = this.lastView;
    this.lastView = view;
    const next = placesIn(view);
    for (const [player, place] of next) {
      const before = this.places.get(player);
      if (before !== place) this.moved = true;
      if (before === undefined) {
        const left = this.departed.get(player);
        this.departed.delete(player);
        if (left !== undefined && place === null) {
          this.arrivals.set(player, left.arrival);
          this.placed.push({ player, queue: left.queue });
        } else this.arrivals.set(player, point.step);
      } else if (before !== null && place === null) this.placed.push({ player, queue: before });
    }
    for (const [player, before] of this.places) {
      if (next.has(player)) continue;
      const arrival = this.arrivals.get(player);
      if (before !== null && arrival !== undefined) this.departed.set(player, { queue: before, arrival });
      this.arrivals.delete(player);
      this.moved = true;
    }
    this.places = next;
  }

  /**
   * Redis went back to an older snapshot: the world moved the players, not the server. The places are the view's
   * from now on and no move counts as a placement: a player still in line keeps its place, one new to it enters
   * now, one gone has left it, and moves half made before the rollback are forgotten.
   */
  rebase(point: CheckPoint, view: ServerView): void {
    this.placed = [];
    this.moved = true;
    this.before = this.lastView;
    this.lastView = view;
    const next = placesIn(view);
    for (const player of next.keys()) if (!this.places.has(player)) this.arrivals.set(player, point.step);
    for (const player of this.places.keys()) if (!next.has(player)) this.arrivals.delete(player);
    this.departed.clear();
    this.places = next;
  }
}

/** Where the view holds each player: the queue key, or null in a session (a session's hold wins). */
function placesIn(view: ServerView): Map<string, string | null> {
  const places = new Map<string, string | null>();
  for (const session of view.sessions.values()) for (const member of session.members) places.set(member, null);
  for (const [player, queues] of view.queued) if (!places.has(player)) places.set(player, queues[0] ?? null);
  return places;
}
