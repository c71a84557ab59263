import { Keys } from "../src/fixed/keys.ts";
import { SCRIPTS } from "../src/fixed/scripts.ts";
import { loadingKey, matchLockKey } from "../src/legacy/keys.ts";
import { LOADING_COMPLETE_SCRIPT, MATCH_SCRIPT, RELEASE_LOCK_SCRIPT } from "../src/legacy/scripts.ts";
import type { LuaScript } from "../src/ports/index.ts";

/**
 * One server script under load: `setup(i, now)` writes (untimed) the state call i acts on, so every timed
 * call does the work the server relies on it for (matching a pair, purging an instance, committing a
 * session), not an early "nothing to do" return.
 */
export interface ScriptWorkload {
  script: LuaScript;
  setup(i: number, now: number): Array<[string, ...string[]]>;
  call(i: number): { keys: string[]; argv: string[] };
  /** The reply of a call that did the work (checked on each side's first call). */
  worked(reply: unknown): boolean;
}

const status = (word: string) => (reply: unknown) => Array.isArray(reply) && reply[0] === word;

const MODE = "Normal_1v1";
const LEGACY_QUEUE = `queue:${MODE}`;

/** Written once per side before any workload: this instance is alive for the whole run. */
export function baseState(now: number): Array<[string, ...string[]]> {
  return [["ZADD", Keys.instances, String(now + 3_600_000), "i1"]];
}

function record(pid: string, state: string, session = ""): [string, ...string[]] {
  return ["HSET", Keys.player(pid), "state", state, "mode", MODE, "conn", `c-${pid}`, "instance", "i1", "session", session, "seq", "1"];
}

/** A session of two players in `status`, with its members' records agreeing. */
function session(sid: string, status: "loading" | "allocating", deadline: number, extra: string[] = []): Array<[string, ...string[]]> {
  const [a, b] = [`${sid}a`, `${sid}b`];
  const playerState = status === "loading" ? "loading" : "allocating";
  return [
    ["HSET", Keys.session(sid), "status", status, "mode", MODE, "deadline", String(deadline), "players", `${a},${b}`, "token", "7", ...extra],
    ["ZADD", Keys.deadlines, String(deadline), sid],
    record(a, playerState, sid),
    record(b, playerState, sid),
    ["SADD", Keys.conns("i1"), a, b],
  ];
}

/** Idle, pooled, and registered for an hour from `now`: claims skip a server whose registration lapsed. */
function idleServer(id: string, now: number): Array<[string, ...string[]]> {
  return [
    ["HSET", Keys.server(id), "address", `${id}.bench:7000`, "status", "idle", "session", ""],
    ["ZADD", Keys.idleServers, "1", id],
    ["ZADD", Keys.liveServers, String(now + 3_600_000), id],
  ];
}

const none = () => [];

export const WORKLOADS: readonly ScriptWorkload[] = [
  {
    script: MATCH_SCRIPT,
    worked: (reply) => Array.isArray(reply) && reply.length === 2,
    setup: (i) => [["SADD", LEGACY_QUEUE, `lq${i}a`, `lq${i}b`]],
    call: () => ({ keys: [LEGACY_QUEUE], argv: ["2"] }),
  },
  {
    script: LOADING_COMPLETE_SCRIPT,
    worked: (reply) => Array.isArray(reply) && reply.length === 3,
    setup: (i) => [["HSET", loadingKey(`L${i}`), `l${i}a`, "ready", `l${i}b`, "loading", "game_mode", MODE, "created_at", "1700000000", "status", "loading"]],
    call: (i) => ({ keys: [loadingKey(`L${i}`)], argv: [`l${i}b`] }),
  },
  {
    script: RELEASE_LOCK_SCRIPT,
    worked: (reply) => reply === 1,
    setup: (i) => [["SET", matchLockKey(MODE), `token${i}`, "PX", "10000"]],
    call: (i) => ({ keys: [matchLockKey(MODE)], argv: [`token${i}`] }),
  },
  {
    script: SCRIPTS.register_instance,
    worked: status("ok"),
    setup: none,
    call: () => ({ keys: [Keys.instances], argv: ["i1", "15000", "0"] }),
  },
  {
    script: SCRIPTS.reap_instances,
    worked: (reply) => Array.isArray(reply) && reply[0] === "reaped" && reply.length === 2,
    setup: (i, now) => {
      const dead = `dead${i}`;
      const players = [`d${i}a`, `d${i}b`];
      return [
        ["ZADD", Keys.instances, String(now - 60_000), dead],
        ...players.map((pid): [string, ...string[]] => ["HSET", Keys.player(pid), "state", "queued", "mode", MODE, "conn", `c-${pid}`, "instance", dead, "session", "", "seq", "1"]),
        ["ZADD", Keys.queue(MODE), "1", `d${i}a`, "2", `d${i}b`],
        ["SADD", Keys.conns(dead), ...players],
      ];
    },
    call: () => ({ keys: [Keys.instances], argv: ["100", "i1"] }),
  },
  {
    script: SCRIPTS.enqueue,
    worked: status("queued"),
    setup: none,
    // A queue of its own: the players it queues stay there and must not feed the match workload.
    call: (i) => ({ keys: [Keys.player(`e${i}`)], argv: [`e${i}`, "Enqueue_bench", `c-e${i}`, "i1"] }),
  },
  {
    script: SCRIPTS.match,
    worked: (reply) => Array.isArray(reply) && reply[0] === "matched" && reply.length === 4,
    setup: (i) => [record(`m${i}a`, "queued"), record(`m${i}b`, "queued"), ["ZADD", Keys.queue(MODE), "1", `m${i}a`, "2", `m${i}b`]],
    call: (i) => ({ keys: [Keys.queue(MODE)], argv: [MODE, "2", "60000", "100", `ms${i}`] }),
  },
  {
    script: SCRIPTS.ready,
    worked: status("allocate"),
    setup: (i, now) => session(`r${i}`, "loading", now + 60_000, [`ready:r${i}a`, "1"]),
    call: (i) => ({ keys: [Keys.session(`r${i}`)], argv: [`r${i}b`, `r${i}`, `c-r${i}b`, "15000"] }),
  },
  {
    script: SCRIPTS.claim_server,
    worked: status("claimed"),
    setup: (i, now) => [...session(`c${i}`, "allocating", now + 15_000), ...idleServer(`cds${i}`, now)],
    call: (i) => ({ keys: [Keys.session(`c${i}`)], argv: [`c${i}`, "7", "attempt"] }),
  },
  {
    script: SCRIPTS.commit,
    worked: status("matched"),
    setup: (i, now) => [
      ...session(`k${i}`, "allocating", now + 15_000, ["server", `kds${i}`, "allocator", "attempt"]),
      ["HSET", Keys.server(`kds${i}`), "address", "kds.bench:7000", "status", "claimed", "session", `k${i}`],
    ],
    call: (i) => ({ keys: [Keys.session(`k${i}`)], argv: [`k${i}`, "7", `kds${i}`, `game${i}`, "kds.bench:7000"] }),
  },
  {
    script: SCRIPTS.rollback,
    worked: status("rolled_back"),
    setup: (i, now) => session(`b${i}`, "allocating", now + 15_000),
    call: (i) => ({ keys: [Keys.session(`b${i}`)], argv: [`b${i}`, "7", "allocation failed"] }),
  },
  {
    script: SCRIPTS.leave,
    worked: status("left"),
    setup: (i) => [record(`v${i}`, "queued"), ["ZADD", Keys.queue(MODE), "1", `v${i}`], ["SADD", Keys.conns("i1"), `v${i}`]],
    call: (i) => ({ keys: [Keys.player(`v${i}`)], argv: [`v${i}`, `c-v${i}`] }),
  },
  {
    script: SCRIPTS.expire_due,
    worked: (reply) => Array.isArray(reply) && reply[0] === "expired" && reply[1] === 1,
    setup: (i, now) => session(`x${i}`, "loading", now - 1_000, [`ready:x${i}a`, "1"]),
    call: () => ({ keys: [Keys.deadlines], argv: ["100"] }),
  },
  {
    script: SCRIPTS.register_server,
    worked: status("idle"),
    setup: none,
    call: (i) => ({ keys: [Keys.server(`rs${i}`)], argv: [`rs${i}`, `rs${i}.bench:7000`, "15000", "1"] }),
  },
  {
    script: SCRIPTS.release_server,
    worked: status("released"),
    setup: (i) => [
      ["HSET", Keys.server(`fds${i}`), "address", "fds.bench:7000", "status", "busy", "session", `f${i}`],
      ["HSET", Keys.session(`f${i}`), "status", "matched", "mode", MODE, "players", "x,y", "game_session", `game${i}`],
    ],
    call: (i) => ({ keys: [Keys.server(`fds${i}`)], argv: [`fds${i}`, `game${i}`] }),
  },
];
