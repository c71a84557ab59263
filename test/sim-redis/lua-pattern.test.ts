import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LuaState, LUA_TNIL, LUA_TNUMBER, lauxlib, lua, lualib } from "../../sim/redis/lua/fengari.ts";
import {
  type Capture,
  expandReplacement,
  find,
  gmatch,
  gsub,
  match,
  PatternError,
} from "../../sim/redis/lua/compiled/lua-pattern.ts";

/** Expected values are what Lua 5.1.5 (Debian's lua5.1, the lstrlib.c Redis embeds) answers. */

const all = (s: string, pattern: string): Capture[][] => {
  const next = gmatch(s, pattern);
  const out: Capture[][] = [];
  for (let captures = next(); captures !== null; captures = next()) out.push(captures);
  return out;
};

const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PatternError);
    return (error as Error).message;
  }
  throw new Error("no error");
};

describe("single chars and classes", () => {
  it("matches literal bytes, `.` and escaped specials", () => {
    expect(find("hello", "l")).toEqual([3, 3]);
    expect(match("a.b", "a.b")).toEqual(["a.b"]);
    expect(match("axb", "a%.b")).toBeNull();
    expect(match("a.b", "a%.b")).toEqual(["a.b"]);
    expect(match("50% off", "%d+%%")).toEqual(["50%"]);
    expect(match("f(x)", "%(x%)")).toEqual(["(x)"]);
    expect(match("\xff\x00\x80", ".%z.")).toEqual(["\xff\x00\x80"]);
  });

  it("has C-locale classes over bytes, upper case complementing", () => {
    const members = (cl: string) => {
      let out = "";
      for (let c = 0; c < 256; c++) if (match(String.fromCharCode(c), cl) !== null) out += String.fromCharCode(c);
      return out;
    };
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i)).join("");
    const upper = range(65, 90);
    const lower = range(97, 122);
    const digits = range(48, 57);
    expect(members("%a")).toBe(upper + lower);
    expect(members("%c")).toBe(range(0, 31) + "\x7f");
    expect(members("%d")).toBe(digits);
    expect(members("%l")).toBe(lower);
    expect(members("%p")).toBe(range(33, 47) + range(58, 64) + range(91, 96) + range(123, 126));
    expect(members("%s")).toBe("\t\n\v\f\r ");
    expect(members("%u")).toBe(upper);
    expect(members("%w")).toBe(digits + upper + lower);
    expect(members("%x")).toBe(digits + "ABCDEF" + "abcdef");
    expect(members("%z")).toBe("\0");
    expect(members("%A").length).toBe(256 - 52);
    expect(members("%Z")).toBe(range(1, 255));
    expect(match("\xe9", "%a")).toBeNull();
    expect(match("\xe9", "%A")).toEqual(["\xe9"]);
  });

  it("has no %g in 5.1: `%` before a non-class letter is that letter", () => {
    expect(match("g", "%g")).toEqual(["g"]);
    expect(match("x", "%g")).toBeNull();
    expect(match("G", "%G")).toEqual(["G"]);
    expect(match("y", "%y")).toEqual(["y"]);
  });

  it("has sets with ranges, complements, classes and literal `]` and `-`", () => {
    expect(match("hello-world", "[a-z]+")).toEqual(["hello"]);
    expect(match("x1y2", "[%d]")).toEqual(["1"]);
    expect(match("ab,cd", "[^,]+")).toEqual(["ab"]);
    expect(match("a]b", "[]]")).toEqual(["]"]);
    expect(match("a]b", "[^]]+")).toEqual(["a"]);
    expect(match("a]b", "[%]]")).toEqual(["]"]);
    expect(match("-", "[a-]")).toEqual(["-"]);
    expect(match("b", "[a-]")).toBeNull();
    expect(match("z-", "[%a-]+")).toEqual(["z-"]);
    expect(match("^", "[x^]")).toEqual(["^"]);
    expect(match("\xc3\xa9t\xc3\xa9", "[\x80-\xff]+")).toEqual(["\xc3\xa9"]);
    expect(match("A1_", "[^%w]")).toEqual(["_"]);
  });
});

describe("quantifiers and anchors", () => {
  it("`*` and `+` are greedy, `-` lazy, `?` optional", () => {
    expect(match("<a><b>", "<(.*)>")).toEqual(["a><b"]);
    expect(match("<a><b>", "<(.-)>")).toEqual(["a"]);
    expect(match("aaab", "a*")).toEqual(["aaa"]);
    expect(match("b", "a+")).toBeNull();
    expect(match("b", "a*")).toEqual([""]);
    expect(match("color colour", "colou?r", 2)).toEqual(["colour"]);
    expect(match("-12", "^[+-]?%d+$")).toEqual(["-12"]);
    expect(match("aaa", "a-b")).toBeNull();
  });

  it("`^` anchors only at the start and `$` only at the end; elsewhere they are literals", () => {
    expect(find("xab", "^ab")).toBeNull();
    expect(find("a^b", "a^b")).toEqual([1, 3]);
    expect(find("a$b", "$b")).toEqual([2, 3]);
    expect(find("ab$", "b$")).toBeNull();
    expect(find("abb", "b$")).toEqual([3, 3]);
    expect(match("abc", "^(a)(.*)$")).toEqual(["a", "bc"]);
  });
});

describe("captures", () => {
  it("returns captures, nested ones in order of their `(`, and position captures as numbers", () => {
    expect(match("key = value", "(%w+)%s*=%s*(%w+)")).toEqual(["key", "value"]);
    expect(match("abc", "((a)(b))")).toEqual(["ab", "a", "b"]);
    expect(find("hello", "()ll()")).toEqual([3, 4, 3, 5]);
    expect(find("hello", "ll")).toEqual([3, 4]);
    expect(match("hello", "()")).toEqual([1]);
  });

  it("matches back-references; one to a position capture never matches", () => {
    expect(match(`say "hi" or 'yo'`, `(["'])(.-)%1`)).toEqual(['"', "hi"]);
    expect(match("abab", "^(ab)%1$")).toEqual(["ab"]);
    expect(find("aa", "()a%1")).toBeNull();
  });

  it("allows 32 captures and no more", () => {
    expect(match("x", "()".repeat(32))).toHaveLength(32);
    expect(errorOf(() => match("x", "()".repeat(33)))).toBe("too many captures");
  });
});

describe("%b and %f", () => {
  it("%b matches a balanced run", () => {
    expect(match("x(a(b)c)y", "%b()")).toEqual(["(a(b)c)"]);
    expect(match("x(a(b c)y", "%b()")).toEqual(["(b c)"]);
    expect(match("[[x]", "%b[]")).toEqual(["[x]"]);
    expect(match("(", "%b()")).toBeNull();
    expect(gsub("f(a) g(b(c))", "%b()", "")).toEqual(["f g", 2]);
  });

  it("%f is a frontier; before the start and at the end it sees NUL", () => {
    expect(gsub("THE (quick) fox", "%f[%a]%a+", "W")).toEqual(["W (W) W", 3]);
    expect(match(" x", "%f[%w]%w")).toEqual(["x"]);
    expect(find("ab", "%f[%z]")).toEqual([3, 2]);
    expect(find("ab", "%f[%Z]")).toEqual([1, 0]);
    expect(all("hello big world", "%f[%w]%w+").map((c) => c[0])).toEqual(["hello", "big", "world"]);
  });
});

describe("find and match arguments", () => {
  it("searches plainly when asked or when the pattern has no specials", () => {
    expect(find("a.b", ".", 1, true)).toEqual([2, 2]);
    expect(find("a(b", "(", 1, true)).toEqual([2, 2]);
    expect(find("a]b)", "]b)")).toEqual([2, 4]);
    expect(find("abc", "")).toEqual([1, 0]);
  });

  it("counts a negative init from the end and clamps, past the end too (5.2+ return nil there)", () => {
    expect(find("abcabc", "b", 3)).toEqual([5, 5]);
    expect(find("abc", "b", -1)).toBeNull();
    expect(find("abc", "b", -2)).toEqual([2, 2]);
    expect(find("abc", "", 100)).toEqual([4, 3]);
    expect(find("abc", "", -100)).toEqual([1, 0]);
    expect(match("abc", "()", 10)).toEqual([4]);
    expect(find("abc", "$", 10)).toEqual([4, 3]);
  });

  it("truncates a fractional init and reads NaN and infinities as the smallest integer", () => {
    expect(find("abcabc", "b", 2.7)).toEqual([2, 2]);
    expect(find("abcabc", "b", -2.7)).toEqual([5, 5]);
    expect(find("abcabc", "b", Number.NaN)).toEqual([2, 2]);
    expect(find("abcabc", "b", Number.POSITIVE_INFINITY)).toEqual([2, 2]);
    expect(find("abcabc", "b", 1e300)).toEqual([2, 2]);
  });

  it("ends a pattern at its first NUL byte, as 5.1 reads it as a C string", () => {
    expect(match("ab", "a\0x")).toEqual(["a"]);
    expect(find("a\0.b", "\0.")).toEqual([2, 3]);
    expect(find("xa\0.b", "a\0.")).toEqual([2, 4]);
    expect(find("ab", "a%z*b")).toEqual([1, 2]);
  });
});

describe("gmatch", () => {
  it("iterates the comma-list idiom", () => {
    expect(all("a,b,,c", "[^,]+")).toEqual([["a"], ["b"], ["c"]]);
    expect(all("", "[^,]+")).toEqual([]);
    expect(all("k1=v1, k2=v2", "(%w+)=(%w+)")).toEqual([["k1", "v1"], ["k2", "v2"]]);
  });

  it("yields an empty match right after a non-empty one, as 5.1 does (5.2+ skip it)", () => {
    expect(all("abc", "%a*")).toEqual([["abc"], [""]]);
    expect(all("ab", "")).toEqual([[""], [""], [""]]);
    expect(all("a1", "()%a*")).toEqual([[1], [2], [3]]);
  });

  it("treats a leading `^` as a literal and keeps answering null once done", () => {
    expect(all("a^b^", "^.")).toEqual([["^b"]]);
    const next = gmatch("x", "x");
    expect(next()).toEqual(["x"]);
    expect(next()).toBeNull();
    expect(next()).toBeNull();
  });

  it("raises pattern errors when iterating, not when created", () => {
    const next = gmatch("a", "%");
    expect(errorOf(next)).toBe("malformed pattern (ends with '%')");
  });
});

describe("gsub", () => {
  it("replaces with a template: %0, %1..%9, %% and `%x` as x", () => {
    expect(gsub("abc", "%w", "%0%0")).toEqual(["aabbcc", 3]);
    expect(gsub("abc", "(b)", "[%1]")).toEqual(["a[b]c", 1]);
    expect(gsub("abc", "b", "%1")).toEqual(["abc", 1]);
    expect(gsub("abc", "b", "%x%%")).toEqual(["ax%c", 1]);
    expect(gsub("abc", "b", "%")).toEqual(["a\0c", 1]);
    expect(gsub("hello", "()ll", "<%1>")).toEqual(["he<3>o", 1]);
    expect(errorOf(() => gsub("abc", "(b)", "%2"))).toBe("invalid capture index");
    expect(errorOf(() => gsub("abc", "b", "%2"))).toBe("invalid capture index");
  });

  it("asks a template only for the captures it names, so an unfinished one is an error only then", () => {
    expect(gsub("a", "(a", "x")).toEqual(["x", 1]);
    expect(errorOf(() => gsub("a", "(a", "%1"))).toBe("unfinished capture");
    expect(errorOf(() => gsub("a", "(a", () => "x"))).toBe("unfinished capture");
  });

  it("calls a function with the captures (the whole match when none); null keeps the match", () => {
    const seen: Capture[][] = [];
    const replace = (whole: string, captures: Capture[]) => {
      seen.push(captures);
      return whole === "b" ? null : whole.toUpperCase();
    };
    expect(gsub("abc", "%w", replace)).toEqual(["AbC", 3]);
    expect(seen).toEqual([["a"], ["b"], ["c"]]);
    expect(gsub("k=v", "(%w)=()", (_whole, captures) => captures.join(","))).toEqual(["k,3v", 1]);
  });

  it("counts empty matches as 5.1 does, honours max and a leading anchor", () => {
    expect(gsub("hello world", "%w*", "x")).toEqual(["xx xx", 4]);
    expect(gsub("abc", "", "-")).toEqual(["-a-b-c-", 4]);
    expect(gsub("abc", "^", "-")).toEqual(["-abc", 1]);
    expect(gsub("abc", "^b", "-")).toEqual(["abc", 0]);
    expect(gsub("aaa", "a", "b", 2)).toEqual(["bba", 2]);
    expect(gsub("aaaa", "a", "b", 2.9)).toEqual(["bbaa", 2]);
    expect(gsub("aaaa", "a", "b", -1)).toEqual(["aaaa", 0]);
    expect(gsub("aaaa", "a", "b", 2 ** 32 + 1)).toEqual(["baaa", 1]);
    expect(gsub(" a  b ", "%s+", " ")).toEqual([" a b ", 3]);
  });

  it("lets a replacement function run other matches meanwhile", () => {
    const result = gsub("a=1,b=2", "(%w)=(%w)", (_whole, [key, value]) => {
      const [inner] = gsub(String(key), "%w", (letter) => match(letter + String(value), "%w(%d)")![0] as string);
      return inner;
    });
    expect(result).toEqual(["1,2", 2]);
  });
});

describe("expandReplacement", () => {
  it("expands as gsub's template does, captures listed as gsub passes them", () => {
    expect(expandReplacement("<%0|%1|%2>", "k=v", ["k", "v"])).toBe("<k=v|k|v>");
    expect(expandReplacement("%1!", "whole", ["whole"])).toBe("whole!");
    expect(expandReplacement("%1!", "whole", [])).toBe("whole!");
    expect(expandReplacement("at %1", "", [7])).toBe("at 7");
    expect(expandReplacement("100%% %q", "", [])).toBe("100% q");
    expect(expandReplacement("end%", "", [])).toBe("end\0");
    expect(expandReplacement("plain", "w", ["w"])).toBe("plain");
    expect(errorOf(() => expandReplacement("%3", "w", ["a", "b"]))).toBe("invalid capture index");
    expect(errorOf(() => expandReplacement("%2", "w", []))).toBe("invalid capture index");
  });
});

describe("errors, raised only when the matcher reaches them", () => {
  it("has 5.1's messages", () => {
    expect(errorOf(() => find("a", "a%"))).toBe("malformed pattern (ends with '%')");
    expect(errorOf(() => find("a", "[a"))).toBe("malformed pattern (missing ']')");
    expect(errorOf(() => find("a", "[]"))).toBe("malformed pattern (missing ']')");
    expect(errorOf(() => find("a", "[^"))).toBe("malformed pattern (missing ']')");
    expect(errorOf(() => find("a", "[%"))).toBe("malformed pattern (missing ']')");
    expect(errorOf(() => find("aa", "(a)%2"))).toBe("invalid capture index");
    expect(errorOf(() => find("aa", "a%0"))).toBe("invalid capture index");
    expect(errorOf(() => find("aa", "(a%1)"))).toBe("invalid capture index");
    expect(errorOf(() => match("a", "a)"))).toBe("invalid pattern capture");
    // `)` is no special for find, which so looks for the text itself.
    expect(find("a)", "a)")).toEqual([1, 2]);
    expect(errorOf(() => find("a", "(a"))).toBe("unfinished capture");
    expect(errorOf(() => match("a", "%fa"))).toBe("missing '[' after '%f' in pattern");
    expect(errorOf(() => match("a", "%f"))).toBe("missing '[' after '%f' in pattern");
    expect(errorOf(() => match("a", "%b("))).toBe("unbalanced pattern");
    expect(errorOf(() => match("a", "%b"))).toBe("unbalanced pattern");
  });

  it("is silent about a fault the matcher never reaches", () => {
    expect(find("b", "a%")).toBeNull();
    expect(find("b", "a[")).toBeNull();
    expect(find("b", "(a")).toBeNull();
    expect(match("b", "a)")).toBeNull();
    expect(find("b", "a%1")).toBeNull();
    expect(find("", "x%b")).toBeNull();
    expect(find("a", "%", 1, true)).toBeNull();
  });
});

// Differential test against fengari, which is Lua 5.3. Left out where 5.3 differs from 5.1 (each has a unit
// test above with 5.1's answer):
// - %g / %G: a class (printable except space) in 5.3, the letter itself in 5.1;
// - NUL bytes in patterns: 5.3 matches them, 5.1 ends the pattern there;
// - an init past the end + 1: 5.3 returns nil, 5.1 clamps it to the end;
// - a `%` followed by anything but a digit or `%` in a replacement: 5.3 raises "invalid use of '%' in
//   replacement string", 5.1 copies the byte (a trailing `%` copies the C string's NUL);
// - gmatch and gsub after a non-empty match: 5.3 skips an empty match at the same place, 5.1 yields it. Both
//   are compared with this engine's anchored matcher driven by each version's loop (spans5x below);
// - messages: 5.3 says "invalid capture index %N" and "malformed pattern (missing arguments to '%b')" where 5.1
//   says "invalid capture index" and "unbalanced pattern"; 5.3 raises "pattern too complex" past 200 nested
//   calls, 5.1 has no limit (the patterns generated here stay well below).
// Also left out, two fengari bugs: a back-reference to a position capture (length -2) should never match, as C
// compares that length as a size_t, but fengari moves the match backwards; and its max_expand tests a match's
// end for truth, so a match that ends at offset 0 after trying a repetition is lost ("a":find(".*%f[%a]")).
describe("differential against fengari (Lua 5.3)", () => {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);

  const bytes = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  const text = (b: Uint8Array) => String.fromCharCode(...b);
  type LuaArg = string | number | boolean | undefined | ((captures: Capture[]) => string | null);
  type Outcome = { values: Capture[] } | { error: string };
  /** Joins one gmatch step's captures into one value; no byte of a binary string is this char. */
  const JOIN = "\u0100";

  const normalize = (message: string) =>
    message
      .replace(/^invalid capture index %\d+$/, "invalid capture index")
      .replace(/^malformed pattern \(missing arguments to '%b'\)?$/, "unbalanced pattern");

  const readValue = (state: LuaState, index: number): Capture =>
    lua.lua_type(state, index) === LUA_TNUMBER ? lua.lua_tonumber(state, index) : text(lua.lua_tostring(state, index)!);

  const pushArg = (arg: LuaArg) => {
    if (arg === undefined) lua.lua_pushnil(L);
    else if (typeof arg === "string") lua.lua_pushstring(L, bytes(arg));
    else if (typeof arg === "number") lua.lua_pushnumber(L, arg);
    else if (typeof arg === "boolean") lua.lua_pushboolean(L, arg);
    else
      lua.lua_pushcfunction(L, (state) => {
        const captures: Capture[] = [];
        for (let i = 1; i <= lua.lua_gettop(state); i++) captures.push(readValue(state, i));
        const result = arg(captures);
        if (result === null) lua.lua_pushnil(state);
        else lua.lua_pushstring(state, bytes(result));
        return 1;
      });
  };

  /** Calls the function on top of the stack; leaves nothing behind. */
  const call = (args: LuaArg[]): Outcome => {
    const base = lua.lua_gettop(L) - 1;
    for (const arg of args) pushArg(arg);
    const status = lua.lua_pcall(L, args.length, -1, 0);
    let outcome: Outcome;
    if (status !== lua.LUA_OK) {
      outcome = { error: normalize(text(lua.lua_tostring(L, -1)!)) };
    } else {
      const values: Capture[] = [];
      for (let i = base + 1; i <= lua.lua_gettop(L); i++) if (lua.lua_type(L, i) !== LUA_TNIL) values.push(readValue(L, i));
      outcome = { values };
    }
    lua.lua_settop(L, base);
    return outcome;
  };

  const luaString = (name: string, args: LuaArg[]): Outcome => {
    lua.lua_getglobal(L, "string");
    lua.lua_getfield(L, -1, name);
    lua.lua_replace(L, -2);
    return call(args);
  };

  const luaGmatch = (s: string, pattern: string): Outcome => {
    lua.lua_getglobal(L, "string");
    lua.lua_getfield(L, -1, "gmatch");
    lua.lua_replace(L, -2);
    lua.lua_pushstring(L, bytes(s));
    lua.lua_pushstring(L, bytes(pattern));
    lua.lua_pcall(L, 2, 1, 0);
    const values: Capture[] = [];
    for (;;) {
      lua.lua_pushvalue(L, -1);
      const step = call([]);
      if ("error" in step) {
        lua.lua_pop(L, 1);
        return step;
      }
      if (step.values.length === 0) break;
      values.push(step.values.join(JOIN));
    }
    lua.lua_pop(L, 1);
    return { values };
  };

  type Span = { start: number; end: number; captures: Capture[] };
  /**
   * gmatch's loop over this engine's anchored matcher, lazily (gsub stops at its max, before any error a later
   * match would raise): 5.1 moves one byte on after an empty match; 5.3 also refuses a match ending where the
   * previous one ended.
   */
  function* spans(s: string, pattern: string, version: "5.1" | "5.3"): Generator<Span> {
    const anchored = "^" + pattern;
    let lastEnd = -1;
    for (let src = 0; src <= s.length; src++) {
      const found = find(s, anchored, src + 1);
      if (found === null) continue;
      const end = found[1] as number;
      if (version === "5.3" && end === lastEnd) continue;
      yield { start: src, end, captures: found.length > 2 ? found.slice(2) : [s.slice(src, end)] };
      lastEnd = end;
      src = (version === "5.1" && end === src ? end + 1 : end) - 1;
    }
  }

  const outcome = (run: () => Capture[]): Outcome => {
    try {
      return { values: run() };
    } catch (error) {
      if (error instanceof PatternError) return { error: error.message };
      throw error;
    }
  };

  const gmatchBySpans = (s: string, pattern: string, version: "5.1" | "5.3"): Outcome =>
    outcome(() => [...spans(s, pattern, version)].map((span) => span.captures.join(JOIN)));

  /** gsub's loop and replacement over the same spans; a leading `^` allows one match, at the start. */
  const gsubBySpans = (s: string, pattern: string, replace: Replacement, max: number | undefined, version: "5.1" | "5.3"): Outcome =>
    outcome(() => {
      const matches: Iterator<Span> = pattern.startsWith("^")
        ? (function* () {
            const found = find(s, pattern, 1);
            if (found !== null) yield { start: 0, end: found[1] as number, captures: found.length > 2 ? found.slice(2) : [s.slice(0, found[1] as number)] };
          })()
        : spans(s, pattern, version);
      const limit = max ?? s.length + 1;
      let out = "";
      let copied = 0;
      let n = 0;
      while (n < limit) {
        const next = matches.next();
        if (next.done === true) break;
        const span = next.value;
        const whole = s.slice(span.start, span.end);
        const value = typeof replace === "string" ? expandReplacement(replace, whole, span.captures) : replace(whole, span.captures);
        out += s.slice(copied, span.start) + (value ?? whole);
        copied = span.end;
        n++;
      }
      return [out + s.slice(copied), n];
    });

  type Replacement = string | ((whole: string, captures: Capture[]) => string | null);

  const literal = fc.constantFrom("a", "b", ",", " ", "x", "1", "\xe9", "%.", "%%", "%(", "%]", "%y", "^", "$");
  const classLetter = fc.constantFrom(..."acdlpsuwxzACDLPSUWXZ");
  const escape = classLetter.map((letter) => "%" + letter);
  const setItem = fc.oneof(
    literal.filter((item) => item !== "%%" && item !== "%(" && item !== "$"),
    escape,
    fc.constantFrom("a-c", "0-9", "b-a", ",-.", "]", "-", "\x80-\xff"),
  );
  const set = fc
    .tuple(fc.boolean(), fc.array(setItem, { minLength: 1, maxLength: 3 }))
    .map(([negate, items]) => "[" + (negate ? "^" : "") + items.join("") + "]");
  const single = fc.oneof({ weight: 4, arbitrary: literal }, fc.constant("."), { weight: 2, arbitrary: escape }, { weight: 2, arbitrary: set });
  const quantified = fc
    .tuple(single, fc.constantFrom("", "*", "+", "-", "?"))
    .map(([item, quantifier]) => item + quantifier);
  const broken = fc.constantFrom("%", "[", "[^", "(", ")", "%f", "%fa", "%b", "%b(", "%0", "%1", "%2", "%3");
  const { sequence } = fc.letrec((tie) => ({
    item: fc.oneof(
      { weight: 8, arbitrary: quantified },
      { weight: 2, arbitrary: (tie("sequence") as fc.Arbitrary<string>).map((inner) => "(" + inner + ")") },
      fc.constant("()"),
      fc.constantFrom("%b()", "%bab", "%b[]"),
      set.map((frontier) => "%f" + frontier),
      fc.constantFrom("%1", "%2"),
      broken,
    ),
    sequence: fc.array(tie("item") as fc.Arbitrary<string>, { maxLength: 3, depthIdentifier: "pattern" }).map((items) => items.join("")),
  }));
  const pattern = fc
    .tuple(fc.constantFrom("", "", "^"), sequence as fc.Arbitrary<string>, fc.constantFrom("", "", "$"))
    .map(([head, body, tail]) => head + body + tail);
  const subject = fc
    .array(fc.constantFrom("a", "a", "b", "b", ",", " ", "x", "1", "(", ")", "[", "]", "\0", "\xe9", "^", "$", "%", "."), {
      maxLength: 16,
    })
    .map((chars) => chars.join(""));
  const template = fc
    .array(fc.constantFrom("x", "-", "%0", "%1", "%2", "%%"), { maxLength: 4 })
    .map((parts) => parts.join(""));
  /** Lua hands a replacement function the captures only, so this decides on them alone. */
  const replaceFunction = (_whole: string, captures: Capture[]) =>
    typeof captures[0] === "string" && captures[0].length % 2 === 1 ? null : "<" + captures.map(String).join("|") + ">";

  const runs = { numRuns: 3000 };
  const emptyMatchAtStart = (s: string, anchored: string) => {
    try {
      return find(s, anchored, 1)?.[1] === 0;
    } catch {
      return false;
    }
  };
  /** `p` as gmatch reads it (a leading `^` is a literal) or as find, match and gsub do. */
  const fengariSafe = (s: string, p: string, literalCaret: boolean) =>
    !(p.includes("()") && /%[1-9]/.test(p)) && !emptyMatchAtStart(s, "^" + (literalCaret || !p.startsWith("^") ? p : p.slice(1)));

  it("find and match agree", () => {
    fc.assert(
      fc.property(subject, pattern, fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }), fc.boolean(), (s, p, init, plain) => {
        fc.pre(fengariSafe(s, p, false));
        const start = init !== undefined && init > s.length + 1 ? s.length + 1 : init;
        expect(outcome(() => find(s, p, start, plain) ?? [])).toEqual(luaString("find", [s, p, start, plain]));
        expect(outcome(() => match(s, p, start) ?? [])).toEqual(luaString("match", [s, p, start]));
      }),
      runs,
    );
  });

  it("gmatch agrees, each version's empty-match rule applied to the same matcher", () => {
    fc.assert(
      fc.property(subject, pattern, (s, p) => {
        const mine = outcome(() => all(s, p).map((captures) => captures.join(JOIN)));
        expect(mine).toEqual(gmatchBySpans(s, p, "5.1"));
        fc.pre(fengariSafe(s, p, true));
        expect(luaGmatch(s, p)).toEqual(gmatchBySpans(s, p, "5.3"));
      }),
      runs,
    );
  });

  it("gsub agrees, with a template or a function", () => {
    fc.assert(
      fc.property(
        subject,
        pattern,
        fc.oneof(template, fc.constant(replaceFunction)),
        fc.option(fc.integer({ min: -1, max: 4 }), { nil: undefined }),
        (s, p, replace, max) => {
          const expected51 = gsubBySpans(s, p, replace, max, "5.1");
          // The loop above builds all captures first, so an unfinished one fails where a template naming no
          // capture would not; that case has its own unit test.
          fc.pre(!("error" in expected51 && expected51.error === "unfinished capture" && typeof replace === "string"));
          expect(outcome(() => gsub(s, p, replace, max))).toEqual(expected51);
          fc.pre(fengariSafe(s, p, false));
          const luaReplace: LuaArg = typeof replace === "string" ? replace : (captures) => replaceFunction("", captures);
          expect(luaString("gsub", [s, p, luaReplace, max])).toEqual(gsubBySpans(s, p, replace, max, "5.3"));
        },
      ),
      runs,
    );
  });
});
