import type { LoadingEpisode, Player } from "../players/player.ts";
import type { RedisEvent, StepEvent } from "../trace/events.ts";
import type { ServerMessage } from "../../src/protocol/index.ts";
import { appliedByRedis, clientFrame, isScriptCacheMiss, serverMessage } from "../trace/facts.ts";
import type { CheckPoint } from "./checker.ts";
import { QueueLines } from "./queue-lines.ts";
import type { ServerView } from "./server-view.ts";
import { StepEvidence, type Happened } from "./step-evidence.ts";
import type { WorldFacts } from "./world-facts.ts";

export interface SessionSighting {
  /** When the oracle first saw the session live. */
  at: number;
  /**
   * When the oracle last looked without seeing it: it was created in (since, at]. A simulated run's step made it
   * at `at`; a real run's snapshots leave the whole gap.
   */
  since: number;
  /** Its members then. */
  members: string[];
  key: string;
}

/**
 * A server's command that reached Redis and read or wrote a key (a script, a command on a key), whatever its reply:
 * not one lost on its way, nor one that touches no key (PUBLISH, SUBSCRIBE, an EVALSHA answered NOSCRIPT).
 */
function touchedKeys(event: StepEvent): boolean {
  return event.kind === "redis" && event.outcome !== "lost-before" && (event.readsAll || event.reads.length > 0 || event.writes.length > 0);
}

/** One enqueue frame that reached a server, and what became of it. */
interface EnqueueFrame {
  player: string;
  /** The connection it came on, as frames name it. */
  connection: string;
  /** When it reached the server, and its place in the run (steps seen before it). */
  at: number;
  order: number;
  /** The player's games the world had ended when it arrived. */
  ended: ReadonlySet<string>;
  /** When, and at what place, its chain's first command naming the player was applied; null until then. */
  applied: { at: number; order: number } | null;
}

/** A command naming its player that Redis applied on the chain an enqueue frame set going. */
interface EnqueueCommand {
  at: number;
  /** The place of the step it was issued after (its cause): what its instance knew by then, it could send. */
  issued: number;
  /** The enqueue frame whose chain it is on. */
  origin: EnqueueFrame;
}

/** Where the DS named in a match_found's address lives: `ws://host:port/...` -> `host:port`. */
export function serverOf(address: string): string {
  return /^[a-z]+:\/\/([^/?]+)/.exec(address)?.[1] ?? address;
}

/**
 * The key names this id as one of its `:`-separated parts, as every layout names a player's or a session's keys
 * (`{mm}:player:<id>`, `loading:<id>`, `notifications:<id>`): not merely contains it, as `player-10` contains `player-1`.
 */
function namesId(key: string, id: string): boolean {
  return key === id || key.endsWith(`:${id}`) || key.includes(`:${id}:`);
}

/** What the oracle saw happen in a run, which several checkers judge by. Updated before the checkers run. */
export class Observations {
  /** Every live session seen, by id. */
  readonly sessions = new Map<string, SessionSighting>();
  /** Dedicated server (host:port) -> the game sessions players were told match_found for on it. */
  readonly announced = new Map<string, Set<string>>();
  /** The causal record of every step, when the world reports its steps (simulated runs). */
  readonly steps = new StepEvidence();
  /** Places in line, step by step. */
  readonly lines = new QueueLines();
  /** The step whose frame brought each loading episode its outcome, and the one that delivered its ready. */
  private readonly outcomeSteps = new WeakMap<LoadingEpisode, number>();
  private readonly readySteps = new WeakMap<LoadingEpisode, number>();
  /** The step that delivered each episode's ready sent again on the connection that took it over (readyAgain). */
  private readonly readyAgainSteps = new WeakMap<LoadingEpisode, number>();
  /** Each ready frame's step (its chain's origin) -> the session it says the player is ready for, and its connection. */
  private readonly readySessions = new Map<number, { session: string; player: string; connection: string }>();
  /** Each ready frame's step -> when its chain first had a command applied that names its session, and in which step. */
  private readonly readyApplied = new Map<number, { at: number; order: number }>();
  /** Each enqueue frame's step (its chain's origin) -> what became of it. */
  private readonly enqueues = new Map<number, EnqueueFrame>();
  /** Player -> its enqueue frames, in the order they reached a server. */
  private readonly playerEnqueues = new Map<string, EnqueueFrame[]>();
  /** Each step's place in the run (`order`), by step id. */
  private readonly stepOrders: number[] = [];
  /** Player -> the commands naming it that Redis applied on the chains its enqueue frames set going. */
  private readonly enqueueCommands = new Map<string, EnqueueCommand[]>();
  /**
   * `connection session` -> the places of the command that first published match_found for that game to that
   * connection, and of the delivery that handed it to the connection's instance (which then tells the client).
   */
  private readonly gamesPublished = new Map<string, { published: number; delivered: number }>();
  /**
   * Session -> player -> the commands since the player's latest ready for it that named the session's key with the
   * player among their arguments (that ready's script, on whichever chain its handler ran: one queued behind
   * another handler runs on that one's): how many failed. An entry goes once one such command was applied.
   */
  private readonly readyAttempts = new Map<string, Map<string, { failed: number }>>();
  /** `player session` -> the connections (as frames name them) start_loading for that session reached. */
  private readonly toldToLoad = new Map<string, Set<string>>();
  /** Steps seen so far: orders what happened at one instant. */
  private order = 0;
  /** The connection each episode's outcome came on, to tell whether a close that followed ended that one. */
  private readonly outcomeConnections = new WeakMap<LoadingEpisode, string>();
  /** Episodes whose outcome the server sent as it closed that connection: the same work did both. */
  private readonly closedWithOutcome = new WeakSet<LoadingEpisode>();
  /** Idle dedicated servers (the world's own, when it says which) in the last view; -1 before any view. */
  private idleServers = -1;
  private lastView: ServerView | null = null;
  /** When the last view was seen (ms since the run began). */
  private lastLookAt = 0;
  /** How many of the world's foreign writes the causal record has been told of. */
  private foreignWritesSeen = 0;
  /** How many of the world's Redis rollbacks the oracle has seen strike. */
  private rollbacksSeen = 0;
  /** Redis holds what a rollback restored, and no server's command has touched a key since. */
  private restored = false;
  /** A rollback struck in the step just recorded: the next view rebases the places in line. */
  private rolledBack = false;
  /** `session member` -> when a view first showed its ready recorded (ms since the run began). */
  private readonly readyRecorded = new Map<string, number>();
  /** Players a foreign writer wrote a key of, or of a session they were in. */
  private readonly spoiledPlayers = new Set<string>();
  /** Instance id -> until when (Redis TIME) the last view showed its presence lasting. */
  private presence: ReadonlyMap<string, number> = new Map();
  /**
   * Instance id -> each time (ms since the run began) a view first showed its presence lapsed, or gone after it
   * lapsed: an instance that renews again (its renewals lost for a while, not reaped meanwhile) may lapse again.
   */
  private readonly lapsed = new Map<string, number[]>();
  /** Instance id -> the expiry whose lapse was noted last: each expiry lapses once. */
  private readonly lapsedExpiry = new Map<string, number>();

  constructor(
    private readonly players: ReadonlyMap<string, Player>,
    private readonly world: WorldFacts | undefined,
  ) {}

  /** The step recorded last: the one checkers are told about now. */
  current: Happened | null = null;

  /** A step ran: recorded with the view before it. */
  sawStep(point: CheckPoint, happened: Happened): void {
    this.current = happened;
    this.order++;
    this.stepOrders[happened.id] = this.order;
    const foreign = this.world?.foreignWrites();
    while (foreign !== undefined && this.foreignWritesSeen < foreign.length) this.sawForeignWrite((foreign[this.foreignWritesSeen++] as { keys: readonly string[] }).keys);
    this.steps.record(happened, point.at, this.idleServers === 0);
    const event = happened.event;
    const rollbacks = this.world?.redisRollbacks().length ?? 0;
    if (rollbacks > this.rollbacksSeen) {
      this.rollbacksSeen = rollbacks;
      this.restored = true;
      this.rolledBack = true;
    } else if (this.restored && touchedKeys(event)) {
      this.restored = false;
    }
    if (event.kind === "redis") {
      this.sawReadyAttempt(event);
      this.sawReadyApplied(happened.id, event, point.at);
      this.sawEnqueueApplied(happened.id, event, point.at);
    }
    if (event.kind !== "frame-out" && event.kind !== "frame-in" && event.kind !== "close") return;
    const player = this.players.get(event.player);
    if (!player) return;
    if (event.kind === "close") {
      const episode = player.lastEpisode;
      const answered = episode === undefined ? undefined : this.outcomeSteps.get(episode);
      const closer = this.steps.causeOf(happened.id);
      if (
        episode !== undefined &&
        answered !== undefined &&
        event.by === "server" &&
        this.outcomeConnections.get(episode) === event.connection &&
        closer !== undefined &&
        this.steps.causeOf(answered) === closer
      ) {
        this.closedWithOutcome.add(episode);
      }
      return;
    }
    if (event.kind === "frame-out") {
      if (event.text.includes("match_found")) this.sawGameSent(happened.id, event.connection, serverMessage(event));
      if (!event.dropped && event.text.includes("start_loading")) this.sawToldToLoad(player.id, event.connection, serverMessage(event));
      const episode = player.lastEpisode;
      if (episode && episode.outcome?.at === point.at && !this.outcomeSteps.has(episode)) {
        this.outcomeSteps.set(episode, happened.id);
        this.outcomeConnections.set(episode, event.connection);
      }
      return;
    }
    const frame = clientFrame(event);
    if (frame?.type === "enqueue" && !event.dropped && frame.player_id.toLowerCase() === player.id) this.sawEnqueueArrive(happened.id, player, event.connection, point.at);
    if (frame?.type !== "loading_complete") return;
    const session = frame.loading_session_id;
    if (!event.dropped) {
      const attempts = this.readyAttempts.get(session) ?? new Map<string, { failed: number }>();
      attempts.set(player.id, { failed: 0 });
      this.readyAttempts.set(session, attempts);
    }
    const ready = { session, player: player.id, connection: event.connection };
    const episode = player.episodes.findLast((each) => each.session === session && each.readyDeliveredAt === point.at && !this.readySteps.has(each));
    if (episode) {
      this.readySteps.set(episode, happened.id);
      this.readySessions.set(happened.id, ready);
      return;
    }
    const again = player.episodes.findLast((each) => each.session === session && each.readyAgain?.at === point.at && !this.readyAgainSteps.has(each));
    if (again) {
      this.readyAgainSteps.set(again, happened.id);
      this.readySessions.set(happened.id, ready);
    }
  }

  /**
   * An enqueue of `player` reached a server. The games of the player's that the world has ended by this step (an end
   * is recorded in the step it happens, so one at this same instant came before) are noted with it, whether or not
   * the client has heard of them yet.
   */
  private sawEnqueueArrive(id: number, player: Player, connection: string, at: number): void {
    const ended = new Set<string>();
    for (const game of this.world?.games() ?? []) {
      if (game.endedAt !== null && game.endedAt <= at && game.players.includes(player.id)) ended.add(game.session);
    }
    const frame: EnqueueFrame = { player: player.id, connection, at, order: this.order, ended, applied: null };
    this.enqueues.set(id, frame);
    const frames = this.playerEnqueues.get(player.id) ?? [];
    frames.push(frame);
    this.playerEnqueues.set(player.id, frames);
  }

  /**
   * An enqueue reached Redis with the first command of its chain that names its player: from then on the server
   * talks to that connection about the player (a takeover, when another one had it).
   */
  private sawEnqueueApplied(id: number, event: RedisEvent, at: number): void {
    const frame = this.enqueues.get(this.steps.originOf(id));
    if (frame === undefined || !appliedByRedis(event) || !event.keys.some((key) => namesId(key, frame.player))) return;
    frame.applied ??= { at, order: this.order };
    const cause = this.steps.causeOf(id);
    const issued = cause === undefined ? this.order : (this.stepOrders[cause] ?? this.order);
    const commands = this.enqueueCommands.get(frame.player) ?? [];
    commands.push({ at, issued, origin: frame });
    this.enqueueCommands.set(frame.player, commands);
  }

  private sawToldToLoad(player: string, connection: string, message: ServerMessage | null): void {
    if (message?.type !== "start_loading") return;
    const key = `${player} ${message.loading_session_id}`;
    const told = this.toldToLoad.get(key) ?? new Set<string>();
    told.add(connection);
    this.toldToLoad.set(key, told);
  }

  /** start_loading for `session` reached this connection of `player`'s (named as frames name it). */
  toldToLoadOn(player: string, session: string, connection: string): boolean {
    return this.toldToLoad.get(`${player} ${session}`)?.has(connection) ?? false;
  }

  /**
   * A match_found went out on a connection (reaching the client or not): the command that published it (its
   * delivery's cause) and the delivery that handed it to the connection's instance told that connection of the game.
   */
  private sawGameSent(id: number, connection: string, message: ServerMessage | null): void {
    if (message?.type !== "match_found") return;
    const delivery = this.steps.causeOf(id);
    const command = delivery === undefined ? undefined : this.steps.causeOf(delivery);
    if (delivery === undefined || command === undefined) return;
    const key = `${connection} ${message.session_id}`;
    const published = this.stepOrders[command];
    const delivered = this.stepOrders[delivery];
    if (published !== undefined && delivered !== undefined && !this.gamesPublished.has(key)) this.gamesPublished.set(key, { published, delivered });
  }

  /**
   * When an enqueue of `player` first asked to play again after the game of `session` (undefined: none did yet).
   * No server can tell such a request from a new one, whatever the client meant by it (a copy of a request sent
   * before that game, held up on the way): its frame reached a server after the game ended; or its command
   * reached Redis after the game ended and, when the command was issued, the game had not been handed to its
   * connection yet (nothing there could tell the request came from before the game) or had been published to it
   * before the frame arrived (to the server, a request from a client it had told). A copy whose connection was
   * handed the game after the frame came and before its command was issued is one a server can tell (docs/fixed-
   * server.md, enqueue's `overtaken`), and asks nothing.
   */
  askedAgainAfter(player: string, session: string): number | undefined {
    const end = this.world?.games().find((game) => game.session === session)?.endedAt ?? null;
    const asks: number[] = [];
    for (const frame of this.playerEnqueues.get(player) ?? []) if (frame.ended.has(session)) asks.push(frame.at);
    for (const command of this.enqueueCommands.get(player) ?? []) {
      if (end === null || command.at < end) continue;
      const told = this.gamesPublished.get(`${command.origin.connection} ${session}`);
      const unknowing = told === undefined || told.delivered > command.issued;
      const knowing = told !== undefined && told.published < command.origin.order;
      if (unknowing || knowing) asks.push(command.at);
    }
    return asks.length === 0 ? undefined : Math.min(...asks);
  }

  /** A command naming a session whose readies are awaited, with a player among its arguments: that player's ready attempt. */
  private sawReadyAttempt(event: RedisEvent): void {
    if (this.readyAttempts.size === 0 || isScriptCacheMiss(event)) return;
    for (const [session, attempts] of this.readyAttempts) {
      if (!event.keys.some((key) => namesId(key, session))) continue;
      for (const [player, attempt] of attempts) {
        if (!event.args.includes(player)) continue;
        if (appliedByRedis(event)) attempts.delete(player);
        else attempt.failed++;
      }
      if (attempts.size === 0) this.readyAttempts.delete(session);
    }
  }

  /**
   * Every command that carried the player's latest ready for `session` to Redis failed (lost, refused), and there
   * was one: wherever its handler ran, the ready never reached Redis.
   */
  readyAttemptsFailed(player: string, session: string): boolean {
    return (this.readyAttempts.get(session)?.get(player)?.failed ?? 0) > 0;
  }

  /**
   * A ready reached Redis with the first command of its chain that names its session. Not merely the chain's first
   * applied command: a handler queued behind the ready on the same connection (a resync, a leave) continues its
   * chain, and its command is no sign that the ready arrived.
   */
  private sawReadyApplied(id: number, event: RedisEvent, at: number): void {
    const origin = this.steps.originOf(id);
    const ready = this.readySessions.get(origin);
    if (ready === undefined || this.readyApplied.has(origin) || !appliedByRedis(event)) return;
    if (event.keys.some((key) => namesId(key, ready.session))) this.readyApplied.set(origin, { at, order: this.order });
  }

  /**
   * The connection (as frames name it) whose enqueue reached Redis last for `player` (before the step at place
   * `before`, when given): the one the server talks to about the player since (a takeover moves a player to the
   * newest enqueue's connection). Undefined before any did.
   */
  ownerConnection(player: string, before = Number.POSITIVE_INFINITY): string | undefined {
    let owner: { connection: string; order: number } | undefined;
    for (const { applied, connection } of this.playerEnqueues.get(player) ?? []) {
      if (applied !== null && applied.order < before && applied.order > (owner?.order ?? -1)) owner = { connection, order: applied.order };
    }
    return owner?.connection;
  }

  /**
   * The ready frame of step `step` reached Redis after an enqueue on another connection of its player did, with
   * none on its own connection since: that connection had been taken over, and the server rightly ignores what
   * the client it no longer talks to says (ready-from-owner).
   */
  private readyStale(step: number): boolean {
    const ready = this.readySessions.get(step);
    const applied = this.readyApplied.get(step);
    if (ready === undefined || applied === undefined) return false;
    const owner = this.ownerConnection(ready.player, applied.order);
    return owner !== undefined && owner !== ready.connection;
  }

  private sawForeignWrite(keys: readonly string[]): void {
    this.steps.taint(keys);
    // Every layout names a player's own keys by its id; a session's record speaks for its members.
    for (const id of this.players.keys()) if (keys.some((key) => namesId(key, id))) this.spoiledPlayers.add(id);
    for (const session of this.sessions.values()) {
      if (keys.includes(session.key)) for (const member of session.members) this.spoiledPlayers.add(member);
    }
  }

  /**
   * Redis went back to an older snapshot (a rollback) and no server has run a command on its keys since: the view
   * shows the keyspace as it was seconds ago, beside players and games that have moved on, and no server could
   * have noticed yet. True from the rollback's step up to, not including, the step of the first command that read
   * or wrote a key: that command was the server's chance, and what it left is judged.
   */
  redisRestored(): boolean {
    return this.restored;
  }

  /** A foreign writer wrote a key naming this player, or a session's it was in, so far in the run. */
  spoiled(player: string): boolean {
    return this.spoiledPlayers.has(player);
  }

  sawView(point: CheckPoint, view: ServerView): void {
    if (view.instancesLiveUntil !== undefined && this.world !== undefined) this.seePresence(point.at, view.instancesLiveUntil, this.world.redisTime(point.at));
    for (const session of view.sessions.values()) {
      if (!this.sessions.has(session.id)) this.sessions.set(session.id, { at: point.at, since: this.lastLookAt, members: session.members, key: session.key });
    }
    this.lastLookAt = point.at;
    if (this.rolledBack) this.lines.rebase(point, view);
    else this.lines.update(point, view);
    this.rolledBack = false;
    if (view !== this.lastView) {
      this.lastView = view;
      this.idleServers = view.servers.filter((server) => server.status === "idle" && this.isWorldServer(server.id)).length;
      for (const session of view.sessions.values()) {
        for (const member of session.ready) {
          const pair = `${session.id} ${member}`;
          if (!this.readyRecorded.has(pair)) this.readyRecorded.set(pair, point.at);
        }
      }
    }
  }

  /**
   * Notes the instances whose presence lapsed by `redisNow`: still listed with an expiry past, or gone from the list
   * (reaped) after one. The server presumes such an instance dead, whatever the instance itself is doing.
   */
  private seePresence(at: number, live: ReadonlyMap<string, number>, redisNow: number): void {
    for (const [id, until] of this.presence) {
      if (until >= redisNow || this.lapsedExpiry.get(id) === until || (live.get(id) ?? until) > until) continue;
      this.lapsedExpiry.set(id, until);
      this.lapsed.set(id, [...(this.lapsed.get(id) ?? []), at]);
    }
    this.presence = live;
  }

  /** Each time the server could first know this instance's presence lapsed (ms since the run began), in order. */
  presenceLapses(instance: string): readonly number[] {
    return this.lapsed.get(instance) ?? [];
  }

  /** When a view first showed the member's ready recorded in the session; undefined while none has. */
  readyRecordedAt(session: string, member: string): number | undefined {
    return this.readyRecorded.get(`${session} ${member}`);
  }

  /** A server record of the world's own dedicated servers (every record, when the world does not say). */
  isWorldServer(id: string): boolean {
    return this.world === undefined || this.world.servers.has(id);
  }

  sawMatch(player: Player): void {
    const last = player.matches.at(-1);
    if (!last) return;
    const server = serverOf(last.address);
    const hosted = this.announced.get(server);
    if (hosted) hosted.add(last.session);
    else this.announced.set(server, new Set([last.session]));
  }

  /** The step that delivered an episode's outcome, when the world reported it. */
  outcomeStep(episode: LoadingEpisode): number | undefined {
    return this.outcomeSteps.get(episode);
  }

  /**
   * The server closed the connection an episode's outcome came on in the same work that sent the outcome (an
   * enqueue it could not vouch for, answered "Internal server error" and closed): the outcome was that
   * connection's last word, not necessarily the session's.
   */
  closedWith(episode: LoadingEpisode): boolean {
    return this.closedWithOutcome.has(episode);
  }

  /**
   * When an episode's ready reached Redis: the first command the server applied for its loading_complete frame
   * that names the session, the instant its script compared `now` with the deadline. Undefined when the world did
   * not report its steps, or the server never applied one (its instance died first, every attempt was lost, or the
   * handler waited behind another).
   */
  readyAppliedAt(episode: LoadingEpisode): number | undefined {
    const step = this.readyStep(episode);
    return step === undefined ? undefined : this.readyApplied.get(step)?.at;
  }

  /**
   * The step whose frame delivered the episode's ready that speaks for the player: its first, unless that one
   * reached Redis after another connection took the player over, and then the one sent again there (none yet:
   * undefined).
   */
  readyStep(episode: LoadingEpisode): number | undefined {
    return this.readyReplaced(episode) ? this.readyAgainSteps.get(episode) : this.readySteps.get(episode);
  }

  /** The episode's first ready reached Redis after another connection had taken the player over (readyStep). */
  readyReplaced(episode: LoadingEpisode): boolean {
    const first = this.readySteps.get(episode);
    return first !== undefined && this.readyStale(first);
  }
}
