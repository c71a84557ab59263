import { DEFAULT_CONFIG, type MatchConfig } from "../../src/config/config.ts";
import { Rng } from "../../sim/random/rng.ts";
import { boundsFor, Oracle } from "../../sim/oracle/oracle.ts";
import { emptyView, type ServerView } from "../../sim/oracle/server-view.ts";
import { redisClockOffsetAt, type CreatedGame, type ForeignWrite, type Interruption, type OperatorReport, type RedisClockJump, type RedisRollback, type WorldFacts } from "../../sim/oracle/world-facts.ts";
import type { Behaviour } from "../../sim/players/behaviour.ts";
import type { SimConnection } from "../../sim/world/sim-connection.ts";
import { Player, type ClientView } from "../../sim/players/player.ts";

export const config: MatchConfig = { ...DEFAULT_CONFIG };

/** A player whose state a test sets by hand, as if a run had brought it there. */
export function player(id: string, view: ClientView, options: { connected?: boolean; behaviour?: Behaviour } = {}): Player {
  const made = new Player(id, "Normal_1v1", options.behaviour ?? "normal", {
    now: () => 0,
    connect: () => null,
    act: () => {},
  }, new Rng(id));
  made.view = view;
  made.connection = { clientOpen: options.connected ?? true } as SimConnection;
  return made;
}

export function oracleFor(players: Player[]): Oracle {
  return new Oracle(players, config, boundsFor(config, 0));
}

export function view(build: (view: ServerView) => void): ServerView {
  const made = emptyView();
  build(made);
  return made;
}

export function queued(made: ServerView, playerId: string, key = "queue:Normal_1v1"): void {
  made.queued.set(playerId, [...(made.queued.get(playerId) ?? []), key]);
  made.queueModes.set(key, key.slice(key.lastIndexOf(":") + 1));
}

export function session(made: ServerView, id: string, members: string[], ready: string[] = []): void {
  made.sessions.set(id, { id, key: `loading:${id}`, status: "loading", members, ready });
}

export function server(made: ServerView, id: string, status: string): void {
  made.servers.push({ id, key: `dedicated_server:${id}`, address: `${id}.sim:7000`, status });
}

export interface WorldBuild {
  servers?: number;
  games?: Array<Partial<CreatedGame> & Pick<CreatedGame, "session" | "players">>;
  interruptions?: Interruption[];
  foreignWrites?: ForeignWrite[];
  redisRollbacks?: RedisRollback[];
  redisClockJumps?: RedisClockJump[];
  gameLengthMs?: number;
  /** Servers up and free by the world's account (default none: the tests that judge eventual-match say). */
  freeServers?: number;
  /** Servers whose process is down, with when it died (default none). */
  downServers?: Record<string, number>;
  /** What the stats command reported once the run was over (default nothing read). */
  operatorReports?: OperatorReport[];
  /** Instances (by the harness's id) that call themselves otherwise in Redis: a restart that kept its predecessor's id. */
  serverIds?: Record<string, string>;
}

/** A simulated world's facts as a test states them: its servers (ds1 at ds1.sim:7000...), games and interruptions. */
export function worldFacts(build: WorldBuild = {}): WorldFacts {
  const servers = new Map<string, string>(Array.from({ length: build.servers ?? 2 }, (_, i) => [`ds${i + 1}`, `ds${i + 1}.sim:7000`] as const));
  const games: CreatedGame[] = (build.games ?? []).map((game) => {
    // A game a test ends ends as its server says game over, and Redis takes its release at once, unless the
    // test says it died (overAt null) or when the release landed.
    const overAt = game.overAt === undefined ? (game.endedAt ?? null) : game.overAt;
    return {
      server: "ds1",
      address: "ds1.sim:7000",
      gameAddress: `ws://${game.address ?? "ds1.sim:7000"}/game?session_id=${game.session}`,
      createdAt: 0,
      endedAt: null,
      key: null,
      ...game,
      overAt,
      releasedAt: game.releasedAt === undefined ? overAt : game.releasedAt,
    };
  });
  return {
    servers,
    game: (session) => games.find((game) => game.session === session),
    games: () => games,
    interruptions: () => build.interruptions ?? [],
    foreignWrites: () => build.foreignWrites ?? [],
    redisRollbacks: () => build.redisRollbacks ?? [],
    operatorReports: () => build.operatorReports ?? [],
    redisClockJumps: () => build.redisClockJumps ?? [],
    redisTime: (at) => at + redisClockOffsetAt(build.redisClockJumps ?? [], at),
    gameLengthOn: () => build.gameLengthMs,
    freeServers: () => build.freeServers ?? 0,
    serverDownSince: (id) => build.downServers?.[id] ?? null,
    serverRegistrationTtlMs: 45_000,
    serverIdOf: (instance) => build.serverIds?.[instance] ?? instance,
  };
}
