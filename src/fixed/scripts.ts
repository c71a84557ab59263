import { readFileSync } from "node:fs";
import type { LuaScript, RedisArg, RedisPort, RedisReply } from "../ports/index.ts";
import { ENDED_SESSION_TTL_MS, KeyPrefix, Keys, LIVE_SESSION_TTL_GRACE_MS, SLOT_PATTERN } from "./keys.ts";
import { linkLibrary } from "./lua-library.ts";
import { FixedText } from "./messages.ts";

export const SCRIPT_NAMES = [
  "register_instance",
  "reap_instances",
  "enqueue",
  "match",
  "ready",
  "claim_server",
  "commit",
  "rollback",
  "leave",
  "resync",
  "expire_due",
  "register_server",
  "release_server",
  "reap_servers",
  "stats",
] as const;

export type ScriptName = (typeof SCRIPT_NAMES)[number];

/** A Lua string literal that Lua 5.1 reads back byte for byte. */
function luaString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (code < 32 || code > 126) out += [...Buffer.from(char, "utf8")].map((byte) => `\\${byte}`).join("");
    else out += char;
  }
  return `${out}"`;
}

/** The layout and texts from TypeScript, so keys.ts and messages.ts are the only places they are spelled. */
function prelude(): string {
  const constants: Array<[string, string]> = [
    ["K_PLAYER", luaString(KeyPrefix.player)],
    ["K_QUEUE", luaString(KeyPrefix.queue)],
    ["K_SESSION", luaString(KeyPrefix.session)],
    ["K_SERVER", luaString(KeyPrefix.server)],
    ["K_CONNS", luaString(KeyPrefix.conns)],
    ["K_INBOX", luaString(KeyPrefix.inbox)],
    ["K_DEADLINES", luaString(Keys.deadlines)],
    ["K_SERVERS_IDLE", luaString(Keys.idleServers)],
    ["K_SERVERS_LIVE", luaString(Keys.liveServers)],
    ["K_INSTANCES", luaString(Keys.instances)],
    ["K_FENCE", luaString(Keys.fence)],
    ["K_SEQ", luaString(Keys.seq)],
    ["K_EPOCH", luaString(Keys.epoch)],
    ["K_SLOT_PATTERN", luaString(SLOT_PATTERN)],
    ["ENDED_TTL_MS", String(ENDED_SESSION_TTL_MS)],
    ["LIVE_TTL_GRACE_MS", String(LIVE_SESSION_TTL_GRACE_MS)],
    ["TEXT_PEER_DISCONNECTED", luaString(FixedText.peerDisconnected)],
    ["TEXT_TIMED_OUT", luaString(FixedText.timedOut)],
    ["TEXT_LOADING_TIMED_OUT", luaString(FixedText.loadingTimedOut)],
    ["TEXT_ALLOCATION_FAILED", luaString(FixedText.allocationFailed)],
    ["TEXT_REPLACED", luaString(FixedText.replaced)],
    ["TEXT_STATE_LOST", luaString(FixedText.stateLost)],
    ["TEXT_SESSION_LOST", luaString(FixedText.sessionLost)],
  ];
  return constants.map(([name, value]) => `local ${name} = ${value}\n`).join("");
}

function readLua(name: string): string {
  return readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), "utf8");
}

/** The first command a script's text calls, as written (`redis.call('X'` or `redis.pcall('X'`). */
function firstCommand(source: string): string | undefined {
  return /redis\.p?call\('([A-Z]+)'/.exec(source)?.[1];
}

function loadScripts(): Record<ScriptName, LuaScript> {
  const library = readLua("lib");
  const scripts = {} as Record<ScriptName, LuaScript>;
  for (const name of SCRIPT_NAMES) {
    const body = readLua(name);
    const source = `${prelude()}${linkLibrary(library, body)}\n${body}`;
    // Whatever a script reads was written by this Redis process only if the epoch check (lib.lua) ran first.
    if (firstCommand(source) !== "INFO") throw new Error(`fixed:${name} reads Redis before its epoch check`);
    scripts[name] = { name: `fixed:${name}`, source };
  }
  return scripts;
}

/** Each script read once, when this module loads. */
export const SCRIPTS: Readonly<Record<ScriptName, LuaScript>> = loadScripts();

/**
 * Runs the scripts. Every key lives under the `{mm}` tag; KEYS[1] names the key the script is about, so a
 * Cluster client routes the call to that one slot.
 */
export class ScriptRunner {
  constructor(private readonly redis: RedisPort) {}

  run(name: ScriptName, key: string, args: readonly RedisArg[]): Promise<RedisReply> {
    return this.redis.runScript(SCRIPTS[name], [key], args);
  }

  /**
   * For scripts whose repeat is harmless (they check state first): a reply lost after the script applied is
   * answered by running it again. Rejects with the last error when every attempt failed.
   */
  async retry(name: ScriptName, key: string, args: readonly RedisArg[], attempts = 3): Promise<RedisReply> {
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        return await this.run(name, key, args);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }
}
