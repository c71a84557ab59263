import type { Player } from "../players/player.ts";
import type { CheckPoint } from "./checker.ts";
import type { ServerView } from "./server-view.ts";

export interface SessionSighting {
  /** When the oracle first saw the session live. */
  at: number;
  /** Its members then. */
  members: string[];
  key: string;
}

/** Where the DS named in a match_found's address lives: `ws://host:port/...` -> `host:port`. */
export function serverOf(address: string): string {
  return /^[a-z]+:\/\/([^/?]+)/.exec(address)?.[1] ?? address;
}

/** What the oracle saw happen in a run, which several checkers judge by. Updated before the checkers run. */
export class Observations {
  /** Every live session seen, by id. */
  readonly sessions = new Map<string, SessionSighting>();
  /** Dedicated server (host:port) -> the game sessions players were told match_found for on it. */
  readonly announced = new Map<string, Set<string>>();

  sawView(point: CheckPoint, view: ServerView): void {
    for (const session of view.sessions.values()) {
      if (!this.sessions.has(session.id)) this.sessions.set(session.id, { at: point.at, members: session.members, key: session.key });
    }
  }

  sawMatch(player: Player): void {
    const last = player.matches.at(-1);
    if (!last) return;
    const server = serverOf(last.address);
    const hosted = this.announced.get(server);
    if (hosted) hosted.add(last.session);
    else this.announced.set(server, new Set([last.session]));
  }
}
