import type { RedisReply } from "../contract.ts";
import { ERR, fail } from "../errors.ts";
import { parseInteger } from "../numbers.ts";
import { sha1Hex, sharedLuaRuntime } from "./runtime.ts";
import { CompiledScripts, type CompiledChunk } from "./compiled/compiled-scripts.ts";
import type { ScriptHost } from "./script-host.ts";

/** How an engine runs scripts: compiled to JS where it can (the default), or always on the fengari interpreter. */
export type LuaMode = "compiled" | "interpreted";

let sharedCompiled: CompiledScripts | null = null;

/** Bodies already hashed, for every engine of the thread: callers pass the same source on every call. */
const shaOf = new Map<string, string>();

/** The thread's compiled scripts, which share the interpreter's view of the globals. */
function compiledScripts(): CompiledScripts {
  sharedCompiled ??= new CompiledScripts(sharedLuaRuntime().globalShape());
  return sharedCompiled;
}

/**
 * One engine's script cache behind EVAL, EVALSHA and SCRIPT. Every body is compiled by the interpreter (its
 * syntax errors are Lua's), and to JS where possible; both live per thread, shared by every engine. What this
 * engine has loaded (and SCRIPT FLUSH forgets) is its own.
 */
export class Scripting {
  /** sha1 of every cached body, with its compiled chunk (null: interpreted); SCRIPT FLUSH clears it. */
  private readonly loaded = new Map<string, CompiledChunk | null>();

  constructor(
    private readonly host: ScriptHost,
    private readonly mode: LuaMode = "compiled",
  ) {}

  load(body: string): string {
    let sha = shaOf.get(body);
    if (sha === undefined) {
      sha = sha1Hex(body);
      // Bodies are whatever clients send: only a bounded number is remembered.
      if (shaOf.size < 10_000) shaOf.set(body, sha);
    }
    if (!this.loaded.has(sha)) {
      sharedLuaRuntime().compile(sha, body);
      this.loaded.set(sha, this.mode === "compiled" ? compiledScripts().compile(sha, body) : null);
    }
    return sha;
  }

  exists(sha: string): boolean {
    return this.loaded.has(sha.toLowerCase());
  }

  flush(): void {
    this.loaded.clear();
  }

  /**
   * EVAL's and EVALSHA's arguments are taken whole (`body numkeys key... arg...`), read in place: a script call
   * is the commonest command, and splitting them off by destructuring copied them twice more.
   */
  eval(args: readonly string[]): RedisReply {
    return this.run(this.load(args[0] as string), args);
  }

  evalSha(args: readonly string[]): RedisReply {
    const id = (args[0] as string).toLowerCase();
    if (!this.loaded.has(id)) fail(ERR.noScript);
    return this.run(id, args);
  }

  /** Runs a loaded script on `numkeys key... arg...`, from args[1] on, with Redis's checks on numkeys. */
  private run(sha: string, args: readonly string[]): RedisReply {
    const numkeys = parseInteger(args[1] as string);
    if (numkeys > args.length - 2) fail("ERR Number of keys can't be greater than number of args");
    if (numkeys < 0) fail("ERR Number of keys can't be negative");
    const keys = args.slice(2, 2 + numkeys);
    const argv = args.slice(2 + numkeys);
    const chunk = this.loaded.get(sha);
    if (chunk) return compiledScripts().run(sha, chunk, keys, argv, this.host);
    return sharedLuaRuntime().run(sha, keys, argv, this.host);
  }
}
