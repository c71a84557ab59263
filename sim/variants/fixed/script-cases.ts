import fc from "fast-check";
import { Keys, PLAYER_STATES, SESSION_STATUSES, type PlayerState, type SessionStatus } from "../../../src/fixed/keys.ts";
import { SCRIPTS, SCRIPT_NAMES, type ScriptName } from "../../../src/fixed/scripts.ts";
import type { Command } from "../../redis/conformance/command.ts";
import type { ScriptCases } from "../../redis/conformance/script-cases/case.ts";
import { concat, future, hset, index, maybe, past, plausible, when } from "../../redis/conformance/script-cases/values.ts";

/**
 * Pre-states in the fixed server's layout, built around one session s1 so that the scripts get past their
 * guards: s1's members mostly hold records that agree with it, its server is mostly claimed for it, and the
 * inputs mostly name s1, its token, its server and its members. Around it: players p1..p4 (connection cK,
 * instance i1/i2), a second session s2 drawn independently, servers ds1..ds3, instance presence, the
 * counters, a few foreign writes that break the cross-references, then the epoch.
 */
const MODE = "Normal_1v1";
const mode = plausible(fc.constantFrom(MODE, MODE, MODE, "Ranked"), fc.constantFrom("", "x y"));
const token = fc.constantFrom("1", "2", "7");

interface Plan {
  status: string;
  members: string[];
  token: string;
  server: string;
  deadline: string;
}

/** s1 in every status, weighted toward the one the script acts on. */
function planAround(focus: SessionStatus): fc.Arbitrary<Plan> {
  const statuses = SESSION_STATUSES.flatMap((status) => Array<SessionStatus>(status === focus ? 6 : 1).fill(status));
  return fc.record({
    status: plausible(fc.constantFrom(...statuses)),
    members: fc.constantFrom(["p1", "p2"], ["p1", "p2"], ["p1", "p2", "p3"], ["p2"]),
    token,
    server: fc.constantFrom("ds1", "ds1", "ds2", ""),
    deadline: fc.oneof({ weight: 3, arbitrary: future }, { weight: 1, arbitrary: past }),
  });
}

const FOCUS: Partial<Record<ScriptName, SessionStatus>> = {
  claim_server: "allocating",
  commit: "allocating",
  rollback: "allocating",
  release_server: "matched",
};

/** What a member's record says while its session has this status. */
const MEMBER_STATE: Record<string, PlayerState> = { loading: "loading", allocating: "allocating", matched: "in_game" };

function player(k: number, session: Plan): fc.Arbitrary<Command[]> {
  const pid = `p${k}`;
  const member = session.members.includes(pid);
  const agreeing = MEMBER_STATE[session.status];
  const state =
    member && agreeing !== undefined
      ? fc.oneof({ weight: 6, arbitrary: fc.constant<string>(agreeing) }, { weight: 1, arbitrary: plausible(fc.constantFrom(...PLAYER_STATES)) })
      : plausible(fc.constantFrom(...PLAYER_STATES));
  // A member's fields are garbage more rarely: one bad field of five already makes the record corrupt.
  const odds = member ? 30 : 9;
  const record = fc
    .record({
      state,
      mode: plausible(fc.constant(MODE), fc.constantFrom("", "Ranked"), odds),
      conn: plausible(fc.constant(`c${k}`), fc.constantFrom("c9", ""), odds),
      instance: plausible(fc.constantFrom("i1", "i1", "i2"), undefined, odds),
      session: member ? plausible(fc.constant("s1"), fc.constantFrom("s2", ""), odds) : fc.constantFrom("s1", "s2", ""),
      seq: plausible(fc.constant(String(k)), undefined, odds),
      queued: fc.boolean(),
    })
    .map(({ state: s, mode: m, conn, instance, session: sid, seq, queued }) => {
      const live = s === "loading" || s === "allocating" || s === "in_game";
      const commands: Command[] = [hset(Keys.player(pid), { state: s, mode: m, conn, instance, session: live ? sid : "", seq })];
      if (s === "queued" || queued) commands.push({ name: "ZADD", args: [Keys.queue(m), String(k), pid] });
      commands.push({ name: "SADD", args: [Keys.conns(instance), pid] });
      return commands;
    });
  return member ? fc.oneof({ weight: 9, arbitrary: record }, { weight: 1, arbitrary: maybe(Keys.player(pid), record) }) : maybe(Keys.player(pid), record);
}

function sessionHash(sid: string, shape: Plan): fc.Arbitrary<Command[]> {
  const ready = fc.option(plausible(fc.constantFrom("1", "1", "0")), { nil: undefined });
  const hash = fc
    .record({
      status: fc.constant(shape.status),
      mode: plausible(fc.constant(MODE)),
      deadline: plausible(fc.constant(shape.deadline)),
      players: plausible(fc.constant(shape.members.join(",")), fc.constantFrom("", ",p1,,p2,", "p1,p4")),
      token: fc.constant(shape.token),
      server: shape.status === "loading" ? fc.constant("") : fc.constantFrom(shape.server, shape.server, ""),
      allocator: fc.constantFrom("a1", "a2"),
      game_session: fc.constantFrom("g1", "g2"),
      "ready:p1": ready,
      "ready:p2": ready,
      "ready:p3": ready,
    })
    .map((fields) => {
      const commands: Command[] = [hset(Keys.session(sid), fields)];
      if (fields.status === "loading" || fields.status === "allocating") {
        commands.push({ name: "ZADD", args: [Keys.deadlines, fields.deadline, sid] });
      }
      return commands;
    });
  return sid === "s1" ? fc.oneof({ weight: 9, arbitrary: hash }, { weight: 1, arbitrary: maybe(Keys.session(sid), hash) }) : maybe(Keys.session(sid), hash);
}

function server(k: number, session: Plan): fc.Arbitrary<Command[]> {
  const id = `ds${k}`;
  const ownStatus = session.server === id ? { allocating: "claimed", matched: "busy" }[session.status] : undefined;
  const status = plausible(ownStatus === undefined ? fc.constantFrom("idle", "idle", "claimed", "busy") : fc.constantFrom(ownStatus, ownStatus, "idle"));
  const hash = fc
    .record({
      address: plausible(fc.constant(`${id}.sim:${7000 + k}`), fc.constant("")),
      status,
      session: ownStatus === undefined ? fc.constantFrom("", "s1", "s2") : fc.constantFrom("s1", "s1", "s2"),
      registration: fc.option(fc.oneof({ weight: 3, arbitrary: future }, { weight: 1, arbitrary: past }), { freq: 6, nil: null }),
    })
    .map(({ registration, ...fields }) => {
      const commands: Command[] = [hset(Keys.server(id), fields)];
      if (fields.status === "idle") commands.push({ name: "ZADD", args: [Keys.idleServers, String(k), id] });
      if (registration !== null) commands.push({ name: "ZADD", args: [Keys.liveServers, registration, id] });
      return commands;
    });
  return maybe(Keys.server(id), hash);
}

const presence = fc
  .tuple(fc.option(future, { freq: 6, nil: null }), fc.option(when, { nil: null }), fc.option(past, { nil: null }))
  .map((scores) => scores.flatMap((score, i) => (score === null ? [] : [{ name: "ZADD", args: [Keys.instances, score, `i${i + 1}`] }])));

/**
 * The epoch every script checks first (lib.lua). Mostly the Redis's own run_id, set by a script on each side (the
 * run_ids differ, and the suite compares a stored run_id as each side's own), so the script goes on to its work;
 * sometimes missing (adopted), another process's (the slot wiped), or a foreign writer's value of the wrong type.
 */
const OWN_RUN_ID = "return redis.call('SET', KEYS[1], string.match(redis.call('INFO', 'server'), '\\nrun_id:(%x+)'))";
const epoch = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Command[]>([{ name: "EVAL", args: [OWN_RUN_ID, "1", Keys.epoch] }]) },
  { weight: 2, arbitrary: fc.constant<Command[]>([]) },
  { weight: 1, arbitrary: fc.constant<Command[]>([{ name: "SET", args: [Keys.epoch, "3f2a9c0d5e7b1a4c6d8e0f2a4b6c8d0e1f3a5b7c"] }]) },
  { weight: 1, arbitrary: fc.constant<Command[]>([{ name: "SADD", args: [Keys.epoch, "junk"] }]) },
);

const counter = (key: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant<Command[]>([]) },
    { weight: 3, arbitrary: fc.constantFrom("0", "5", "41").map((n) => [{ name: "SET", args: [key, n] }]) },
    { weight: 1, arbitrary: fc.constantFrom("x", "9223372036854775807").map((n) => [{ name: "SET", args: [key, n] }]) },
  );

/** Writes no server makes: ids listed where nothing backs them, fields removed, keys deleted. */
const foreignWrite: fc.Arbitrary<Command> = fc.oneof(
  fc.tuple(fc.constantFrom("p1", "p5", "ghost"), fc.constantFrom("0", "-1", "1.5", "9007199254740993", "inf")).map(([member, score]) => ({
    name: "ZADD",
    args: [Keys.queue(MODE), score, member],
  })),
  fc.tuple(when, fc.constantFrom("s1", "s3")).map(([score, member]) => ({ name: "ZADD", args: [Keys.deadlines, score, member] })),
  fc.constantFrom("ds1", "ds9").map((member) => ({ name: "ZADD", args: [Keys.idleServers, "0", member] })),
  fc.constantFrom(Keys.player("p1"), Keys.session("s1"), Keys.server("ds1"), Keys.conns("i1")).map((key) => ({ name: "DEL", args: [key] })),
  fc.tuple(fc.constantFrom("p1", "p2"), fc.constantFrom("state", "conn", "mode", "instance", "session", "seq")).map(([pid, field]) => ({
    name: "HDEL",
    args: [Keys.player(pid), field],
  })),
  fc.tuple(fc.constantFrom("s1", "s2"), fc.constantFrom("players", "status", "mode", "token", "deadline")).map(([sid, field]) => ({
    name: "HDEL",
    args: [Keys.session(sid), field],
  })),
  fc.tuple(fc.constantFrom("i1", "i2", "i3"), fc.constantFrom("p1", "p4", "ghost")).map(([inst, pid]) => ({ name: "SADD", args: [Keys.conns(inst), pid] })),
);

const otherSession: fc.Arbitrary<Plan> = fc.record({
  status: plausible(fc.constantFrom(...SESSION_STATUSES)),
  members: fc.constantFrom(["p3", "p4"], ["p1", "p3"], ["p4"]),
  token,
  server: fc.constantFrom("", "ds2", "ds3"),
  deadline: when,
});

function fixedState(session: Plan): fc.Arbitrary<Command[]> {
  return fc
    .tuple(
      presence,
      fc.tuple(player(1, session), player(2, session), player(3, session), player(4, session)).map(concat),
      sessionHash("s1", session),
      otherSession.chain((other) => sessionHash("s2", other)),
      fc.tuple(server(1, session), server(2, session), server(3, session)).map(concat),
      counter(Keys.fence),
      counter(Keys.seq),
      fc.array(foreignWrite, { maxLength: 3 }),
      epoch,
    )
    .map((parts) => parts.flat());
}

const instance = plausible(fc.constantFrom("i1", "i2", "i3"));
const number = (...values: string[]) => plausible(fc.constantFrom(...values));

/** Mostly one of s1's members with its own connection; sometimes anyone, or another connection. */
function playerAndConn(session: Plan): fc.Arbitrary<[string, string]> {
  const member = fc.constantFrom(...session.members).map((pid) => Number(pid.slice(1)));
  return fc
    .oneof({ weight: 3, arbitrary: member }, { weight: 1, arbitrary: index(4) })
    .chain((k) => fc.tuple(plausible(fc.constant(`p${k}`), fc.constant("p9"), 19), plausible(fc.constant(`c${k}`), fc.constantFrom("c9", ""), 19)));
}

function sessionInputs(session: Plan) {
  return {
    sid: plausible(fc.constantFrom("s1", "s1", "s1", "s1", "s2"), fc.constant("s3")),
    token: plausible(fc.constant(session.token), token),
    server: plausible(fc.constantFrom(session.server || "ds1", session.server || "ds1", "ds2")),
  };
}

/** ARGV per script (the comments at the top of each script), and the key the server passes as KEYS[1]. */
const INPUTS: Record<ScriptName, (session: Plan) => fc.Arbitrary<{ key: string; argv: string[] }>> = {
  register_instance: () =>
    fc.tuple(instance, number("15000", "1000"), plausible(fc.constantFrom("1", "0"))).map((argv) => ({ key: Keys.instances, argv })),
  reap_instances: () => fc.tuple(number("10", "1", "100"), instance).map((argv) => ({ key: Keys.instances, argv })),
  enqueue: (session) =>
    fc.tuple(playerAndConn(session), mode, instance).map(([[pid, conn], m, inst]) => ({ key: Keys.player(pid), argv: [pid, m, conn, inst] })),
  match: () =>
    fc
      .tuple(mode, number("2", "2", "1", "3"), number("60000", "5000"), number("100", "2"), fc.subarray(["s1", "s2", "s3", "s4"]))
      .map(([m, ...rest]) => ({ key: Keys.queue(m), argv: [m, ...rest.flat()] })),
  ready: (session) =>
    fc
      .tuple(playerAndConn(session), sessionInputs(session).sid, number("15000"))
      .map(([[pid, conn], sid, timeout]) => ({ key: Keys.session(sid), argv: [pid, sid, conn, timeout] })),
  claim_server: (session) => {
    const inputs = sessionInputs(session);
    return fc.tuple(inputs.sid, inputs.token, fc.constantFrom("a1", "a2")).map((argv) => ({ key: Keys.session(argv[0]), argv }));
  },
  commit: (session) => {
    const inputs = sessionInputs(session);
    return fc
      .tuple(inputs.sid, inputs.token, inputs.server, fc.constantFrom("g1", "g2"), fc.constant("ds1.sim:7001"))
      .map((argv) => ({ key: Keys.session(argv[0]), argv }));
  },
  rollback: (session) => {
    const inputs = sessionInputs(session);
    return fc
      .tuple(inputs.sid, inputs.token, fc.constantFrom("allocation failed", "é"), fc.constantFrom("0", "1"))
      .map((argv) => ({ key: Keys.session(argv[0]), argv }));
  },
  leave: (session) => playerAndConn(session).map(([pid, conn]) => ({ key: Keys.player(pid), argv: [pid, conn] })),
  resync: (session) => playerAndConn(session).map(([pid, conn]) => ({ key: Keys.player(pid), argv: [pid, conn] })),
  expire_due: () => number("100", "1", "0").map((limit) => ({ key: Keys.deadlines, argv: [limit] })),
  register_server: () =>
    fc
      .tuple(plausible(fc.constantFrom("ds1", "ds2", "ds4")), plausible(fc.constant("ds4.sim:7004")), number("15000", "1"), fc.constantFrom("1", "0"))
      .map((argv) => ({ key: Keys.server(argv[0]), argv })),
  release_server: (session) =>
    fc
      .tuple(sessionInputs(session).server, plausible(fc.constantFrom("g1", "g2")))
      .map((argv) => ({ key: Keys.server(argv[0]), argv })),
  reap_servers: () => number("100", "1").map((limit) => ({ key: Keys.liveServers, argv: [limit] })),
  stats: () => instance.map((inst) => ({ key: Keys.instances, argv: [inst] })),
};

export const fixedCases: readonly ScriptCases[] = SCRIPT_NAMES.map((name) => ({
  script: SCRIPTS[name],
  cases: planAround(FOCUS[name] ?? "loading").chain((session) =>
    fc.tuple(fixedState(session), INPUTS[name](session)).map(([setup, { key, argv }]) => ({ script: SCRIPTS[name], setup, keys: [key], argv })),
  ),
}));
