import { describe, expect, it } from "vitest";
import { linkLibrary } from "../../src/fixed/lua-library.ts";
import { SCRIPTS } from "../../src/fixed/scripts.ts";

const LIBRARY = [
  "-- header",
  "redis.replicate_commands()",
  "",
  "local function int(x)",
  "  return string.format('%.0f', x)",
  "end",
  "",
  "-- the clock",
  "local NOW",
  "do",
  "  NOW = 1",
  "end",
  "",
  "local function present(value)",
  "  return value ~= ''",
  "end",
  "",
  "-- reads a hash",
  "local function read_hash(key)",
  "  return present(key) and int(NOW)",
  "end",
  "",
  "local function unused(x)",
  "  return x",
  "end",
].join("\n");

describe("linking a script against the shared Lua library", () => {
  it("keeps what the script reaches, through other definitions too, in library order, with their comments", () => {
    const linked = linkLibrary(LIBRARY, "return read_hash(KEYS[1])");
    expect(linked).toContain("redis.replicate_commands()");
    expect(linked).toContain("-- reads a hash\nlocal function read_hash(key)");
    expect(linked).toContain("-- the clock\nlocal NOW\ndo\n  NOW = 1\nend");
    expect(linked.indexOf("local function int")).toBeLessThan(linked.indexOf("local function present"));
    expect(linked.indexOf("local function present")).toBeLessThan(linked.indexOf("local function read_hash"));
    expect(linked).not.toContain("unused");
  });

  it("keeps nothing named when the script uses nothing, and ignores names in comments and fields", () => {
    const linked = linkLibrary(LIBRARY, "-- present(x) would be nice\nlocal t = {}\nt.int = 1\nreturn t.int");
    expect(linked).toContain("redis.replicate_commands()");
    expect(linked).not.toMatch(/local function/);
    expect(linked).not.toContain("local NOW");
  });

  it("keeps the epoch check of the real library in every fixed script, before any other command", () => {
    for (const script of Object.values(SCRIPTS)) {
      const commands = [...script.source.matchAll(/redis\.p?call\('([A-Z]+)'/g)].map((match) => match[1]);
      expect(commands.slice(0, 4), script.name).toEqual(["INFO", "GET", "KEYS", "DEL"]);
    }
  });
});
