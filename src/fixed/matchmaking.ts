import type { GameMode } from "../config/config.ts";
import { rejectReply, type FixedContext } from "./context.ts";
import { Keys } from "./keys.ts";
import { parseMatch } from "./session.ts";

/** Session ids handed to one `match` call (Lua has no uuid); unused ones are simply dropped. */
const SESSIONS_PER_CALL = 8;
/** Queue entries one call looks at, so a huge queue cannot stall Redis. */
const SCAN_LIMIT = 1000;
/** Calls per tick while the ids run out first; the next tick takes the rest. */
const MAX_ROUNDS = 4;

/** One matchmaking tick for a mode. The script is atomic and state-checked: ticks may overlap safely. */
export async function runTick(ctx: FixedContext, mode: GameMode): Promise<void> {
  const { ports, scripts, config } = ctx;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ids = Array.from({ length: SESSIONS_PER_CALL }, () => ports.random.uuid());
    const reply = await scripts.run("match", Keys.queue(mode.name), [
      mode.name,
      mode.requiredPlayers,
      config.loadingTimeoutMs,
      SCAN_LIMIT,
      ...ids,
    ]);
    const outcome = parseMatch(reply);
    if (!outcome.ok) {
      rejectReply(ctx, outcome.error, { mode: mode.name });
      return;
    }
    const { sessions, dropped, more } = outcome.value;
    if (dropped > 0) rejectReply(ctx, `${dropped} queue entries were not queued players`, { mode: mode.name });
    if (sessions.length > 0) ports.logger.log("info", "sessions_opened", { mode: mode.name, sessions });
    if (!more) return;
  }
}
