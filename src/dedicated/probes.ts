import { must, optional, type ProbeCatalog } from "../probes/catalog.ts";

/**
 * Every branch of a dedicated server worth knowing a campaign reached: its logged events, and the status words of
 * the fixed layout's registration and release scripts (hit by its Redis connection). See src/probes/catalog.ts.
 */
export const DEDICATED_PROBES: ProbeCatalog = {
  "ds.dedicated_server_registered": must("a dedicated server registered (at start, or afresh once its registration was gone)"),
  "ds.dedicated_server_registration_lost": must("a heartbeat found the registration gone (reaped, or Redis lost its data)"),
  "ds.dedicated_server_heartbeat_failed": must("a heartbeat could not reach Redis"),
  "ds.dedicated_server_registry_failed": must("a legacy server could not mark itself busy"),
  "ds.game_session_created": must("a game created"),
  "ds.create_session_replayed": must(
    "a create call retried with its idempotency key: the game it already created; the match servers here post once per claim, so only a retrying proxy (or another client) sends one",
  ),
  "ds.create_session_refused.bad_request": must("a create call whose body is not the contract: a foreign caller's (the match servers always send one)"),
  "ds.create_session_refused.bad_key": must("a create call with an invalid Idempotency-Key: a foreign caller's (the match servers always send a valid one)"),
  "ds.create_session_refused.key_reused": must("an idempotency key reused for other players: a foreign caller's (session ids are unique)"),
  "ds.create_session_refused.not_registered": must(
    "a create call reaching a process whose registration has not landed (a restarted process's first registration still on its way): refused, so a claim made on its predecessor's record gets no game",
  ),
  "ds.game_over": must("a game ended (simulated worlds draw each game's length; real runs take --game-ms)"),
  "ds.dedicated_server_released": must("a game's server released after the game"),
  "ds.dedicated_server_release_failed": must("a release that could not reach Redis, retried"),
  "ds.dedicated_server_release_gave_up": optional(
    "a release's quick retries all failed in a row (Redis out of reach for the whole retry span), so it is left to the heartbeat, which asks again once it reaches Redis",
  ),
  "ds.register_server.idle": must("a fresh registration put the server in the idle pool"),
  "ds.register_server.idle.ended": must("a fresh registration found the server claimed by an allocation, whose call went to the previous process, and ended it"),
  "ds.register_server.renewed.idle": must("a heartbeat renewed an idle server"),
  "ds.register_server.renewed.claimed": must("a heartbeat renewed a claimed server"),
  "ds.register_server.renewed.busy": must("a heartbeat renewed a busy server"),
  "ds.register_server.fenced": must("a heartbeat found the registration gone"),
  "ds.release_server.released": must("a busy server released after its game"),
  "ds.release_server.pending": must("a release asked before the game's commit landed: asked again until the claim resolves"),
  "ds.release_server.stale": must("a release for a game the server no longer hosts"),
};
