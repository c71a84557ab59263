/**
 * Lua 5.1's string patterns (lstrlib.c of 5.1.5, which Redis embeds), over binary strings: every char code is
 * a byte. The matcher is the C one ported statement by statement, so its quirks carry over: errors are raised
 * only when the matcher reaches the faulty part of a pattern, a pattern ends at its first NUL byte (5.1 reads
 * it as a C string), a back-reference to a position capture never matches, and there is no recursion limit
 * (5.2 added "pattern too complex"). What is cached per pattern string is only what the C code would recompute
 * on every visit: where each item ends and which bytes it matches.
 */

export type Capture = string | number;

/** A pattern or replacement error; the message is Lua 5.1's, without the caller's location. */
export class PatternError extends Error {
  override name = "PatternError";
}

const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;
const MAX_CAPTURES = 32;
const L_ESC = 37;
const NO_MATCH = -1;

const ALPHA = 1;
const CNTRL = 2;
const DIGIT = 4;
const LOWER = 8;
const PUNCT = 16;
const SPACE = 32;
const UPPER = 64;
const XDIGIT = 128;

/** ctype.h in the C locale (Redis never sets LC_CTYPE): bytes above 127 are in no class. */
const CTYPE = (() => {
  const table = new Uint8Array(256);
  for (let c = 0; c < 128; c++) {
    let bits = 0;
    if (c >= 65 && c <= 90) bits |= ALPHA | UPPER;
    if (c >= 97 && c <= 122) bits |= ALPHA | LOWER;
    if (c >= 48 && c <= 57) bits |= DIGIT | XDIGIT;
    if ((c >= 65 && c <= 70) || (c >= 97 && c <= 102)) bits |= XDIGIT;
    if (c < 32 || c === 127) bits |= CNTRL;
    if (c === 32 || (c >= 9 && c <= 13)) bits |= SPACE;
    if (c > 32 && c < 127 && (bits & (ALPHA | DIGIT)) === 0) bits |= PUNCT;
    table[c] = bits;
  }
  return table;
})();

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLower = (c: number) => c >= 97 && c <= 122;

function matchClass(c: number, cl: number): boolean {
  const lower = cl >= 65 && cl <= 90 ? cl + 32 : cl;
  let res: boolean;
  switch (lower) {
    case 97: res = (CTYPE[c]! & ALPHA) !== 0; break; // a
    case 99: res = (CTYPE[c]! & CNTRL) !== 0; break; // c
    case 100: res = (CTYPE[c]! & DIGIT) !== 0; break; // d
    case 108: res = (CTYPE[c]! & LOWER) !== 0; break; // l
    case 112: res = (CTYPE[c]! & PUNCT) !== 0; break; // p
    case 115: res = (CTYPE[c]! & SPACE) !== 0; break; // s
    case 117: res = (CTYPE[c]! & UPPER) !== 0; break; // u
    case 119: res = (CTYPE[c]! & (ALPHA | DIGIT)) !== 0; break; // w
    case 120: res = (CTYPE[c]! & XDIGIT) !== 0; break; // x
    case 122: res = c === 0; break; // z
    default: return cl === c;
  }
  return isLower(cl) ? res : !res;
}

/** Membership tables shared by every pattern: `.`, each literal byte, each `%x`. */
const ANY = new Uint8Array(256).fill(1);
const literalTables: (Uint8Array | undefined)[] = [];
const escapeTables: (Uint8Array | undefined)[] = [];

function literalTable(byte: number): Uint8Array {
  let table = literalTables[byte];
  if (table === undefined) {
    table = new Uint8Array(256);
    table[byte] = 1;
    literalTables[byte] = table;
  }
  return table;
}

function escapeTable(cl: number): Uint8Array {
  let table = escapeTables[cl];
  if (table === undefined) {
    table = new Uint8Array(256);
    for (let c = 0; c < 256; c++) if (matchClass(c, cl)) table[c] = 1;
    escapeTables[cl] = table;
  }
  return table;
}

/** SPECIALS of lstrlib.c: a pattern with none of them before its first NUL is searched for as plain text. */
const SPECIAL = new Uint8Array(256);
for (const ch of "^$*+?.([%-") SPECIAL[ch.charCodeAt(0)] = 1;

class CompiledPattern {
  /** The pattern's bytes up to its first NUL, then NULs, so reading one past an item sees the C terminator. */
  readonly p: Uint8Array;
  readonly hasSpecials: boolean;
  readonly anchored: boolean;
  private readonly ends: Int32Array;
  private readonly sets: (Uint8Array | undefined)[];

  constructor(pattern: string) {
    let length = pattern.indexOf("\0");
    if (length < 0) length = pattern.length;
    this.p = new Uint8Array(length + 4);
    let hasSpecials = false;
    for (let i = 0; i < length; i++) {
      const c = pattern.charCodeAt(i);
      this.p[i] = c;
      if (SPECIAL[c] === 1) hasSpecials = true;
    }
    this.hasSpecials = hasSpecials;
    this.anchored = this.p[0] === 94;
    this.ends = new Int32Array(length + 1);
    this.sets = new Array<Uint8Array | undefined>(length);
  }

  /** classEnd: the index just past the single-char class starting at `pi`. */
  classEnd(pi: number): number {
    const known = this.ends[pi]!;
    if (known !== 0) return known;
    const p = this.p;
    let i = pi;
    switch (p[i++]) {
      case L_ESC:
        if (p[i] === 0) throw new PatternError("malformed pattern (ends with '%')");
        i++;
        break;
      case 91: // [
        if (p[i] === 94) i++;
        do {
          if (p[i] === 0) throw new PatternError("malformed pattern (missing ']')");
          if (p[i++] === L_ESC && p[i] !== 0) i++;
        } while (p[i] !== 93);
        i++;
        break;
    }
    this.ends[pi] = i;
    return i;
  }

  /** The bytes the class at `pi` (ending at `ep`) matches: singlematch, and matchbracketclass for a set. */
  itemSet(pi: number, ep: number): Uint8Array {
    let set = this.sets[pi];
    if (set !== undefined) return set;
    const p = this.p;
    switch (p[pi]) {
      case 46: set = ANY; break;
      case L_ESC: set = escapeTable(p[pi + 1]!); break;
      case 91:
        set = new Uint8Array(256);
        for (let c = 0; c < 256; c++) if (this.matchBracketClass(c, pi, ep - 1)) set[c] = 1;
        break;
      default: set = literalTable(p[pi]!);
    }
    this.sets[pi] = set;
    return set;
  }

  private matchBracketClass(c: number, pi: number, ec: number): boolean {
    const p = this.p;
    let sig = true;
    if (p[pi + 1] === 94) {
      sig = false;
      pi++;
    }
    while (++pi < ec) {
      if (p[pi] === L_ESC) {
        pi++;
        if (matchClass(c, p[pi]!)) return sig;
      } else if (p[pi + 1] === 45 && pi + 2 < ec) {
        pi += 2;
        if (p[pi - 2]! <= c && c <= p[pi]!) return sig;
      } else if (p[pi] === c) return sig;
    }
    return !sig;
  }
}

const CACHE_LIMIT = 512;
const cache = new Map<string, CompiledPattern>();

/** Patterns built at run time could grow the cache without bound; starting over keeps it small. */
function compile(pattern: string): CompiledPattern {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    compiled = new CompiledPattern(pattern);
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** MatchState; positions are 0-based offsets into `src`, and NO_MATCH stands for C's NULL. */
class MatchState {
  src = "";
  end = 0;
  level = 0;
  cp!: CompiledPattern;
  readonly capInit = new Int32Array(MAX_CAPTURES);
  readonly capLen = new Int32Array(MAX_CAPTURES);

  reset(src: string, cp: CompiledPattern): void {
    this.src = src;
    this.end = src.length;
    this.cp = cp;
  }

  match(s: number, pi: number): number {
    const cp = this.cp;
    const p = cp.p;
    for (;;) {
      switch (p[pi]) {
        case 40: // (
          if (p[pi + 1] === 41) return this.startCapture(s, pi + 2, CAP_POSITION);
          return this.startCapture(s, pi + 1, CAP_UNFINISHED);
        case 41: // )
          return this.endCapture(s, pi + 1);
        case 0:
          return s;
        case 36: // $
          if (p[pi + 1] === 0) return s === this.end ? s : NO_MATCH;
          break;
        case L_ESC: {
          const next = p[pi + 1]!;
          if (next === 98) { // b
            s = this.matchBalance(s, pi + 2);
            if (s === NO_MATCH) return NO_MATCH;
            pi += 4;
            continue;
          }
          if (next === 102) { // f
            pi += 2;
            if (p[pi] !== 91) throw new PatternError("missing '[' after '%f' in pattern");
            const ep = cp.classEnd(pi);
            const set = cp.itemSet(pi, ep);
            const previous = s === 0 ? 0 : this.src.charCodeAt(s - 1);
            const current = s < this.end ? this.src.charCodeAt(s) : 0;
            if (set[previous] === 1 || set[current] !== 1) return NO_MATCH;
            pi = ep;
            continue;
          }
          if (isDigit(next)) {
            s = this.matchCapture(s, next);
            if (s === NO_MATCH) return NO_MATCH;
            pi += 2;
            continue;
          }
          break;
        }
      }
      const ep = cp.classEnd(pi);
      const set = cp.itemSet(pi, ep);
      const m = s < this.end && set[this.src.charCodeAt(s)] === 1;
      switch (p[ep]) {
        case 63: { // ?
          if (m) {
            const res = this.match(s + 1, ep + 1);
            if (res !== NO_MATCH) return res;
          }
          pi = ep + 1;
          continue;
        }
        case 42: // *
          return this.maxExpand(s, set, ep);
        case 43: // +
          return m ? this.maxExpand(s + 1, set, ep) : NO_MATCH;
        case 45: // -
          return this.minExpand(s, set, ep);
        default:
          if (!m) return NO_MATCH;
          s++;
          pi = ep;
      }
    }
  }

  private maxExpand(s: number, set: Uint8Array, ep: number): number {
    const src = this.src;
    const end = this.end;
    let i = 0;
    while (s + i < end && set[src.charCodeAt(s + i)] === 1) i++;
    // The item ends the pattern (the hot `[^,]+`): the longest run is the match, no need to try it.
    if (this.cp.p[ep + 1] === 0) return s + i;
    while (i >= 0) {
      const res = this.match(s + i, ep + 1);
      if (res !== NO_MATCH) return res;
      i--;
    }
    return NO_MATCH;
  }

  private minExpand(s: number, set: Uint8Array, ep: number): number {
    for (;;) {
      const res = this.match(s, ep + 1);
      if (res !== NO_MATCH) return res;
      if (s < this.end && set[this.src.charCodeAt(s)] === 1) s++;
      else return NO_MATCH;
    }
  }

  private matchBalance(s: number, pi: number): number {
    const p = this.cp.p;
    if (p[pi] === 0 || p[pi + 1] === 0) throw new PatternError("unbalanced pattern");
    const src = this.src;
    if (s >= this.end || src.charCodeAt(s) !== p[pi]) return NO_MATCH;
    const b = p[pi]!;
    const e = p[pi + 1]!;
    let cont = 1;
    while (++s < this.end) {
      const c = src.charCodeAt(s);
      if (c === e) {
        if (--cont === 0) return s + 1;
      } else if (c === b) cont++;
    }
    return NO_MATCH;
  }

  private startCapture(s: number, pi: number, what: number): number {
    const level = this.level;
    if (level >= MAX_CAPTURES) throw new PatternError("too many captures");
    this.capInit[level] = s;
    this.capLen[level] = what;
    this.level = level + 1;
    const res = this.match(s, pi);
    if (res === NO_MATCH) this.level--;
    return res;
  }

  private endCapture(s: number, pi: number): number {
    const l = this.captureToClose();
    this.capLen[l] = s - this.capInit[l]!;
    const res = this.match(s, pi);
    if (res === NO_MATCH) this.capLen[l] = CAP_UNFINISHED;
    return res;
  }

  private captureToClose(): number {
    for (let level = this.level - 1; level >= 0; level--) {
      if (this.capLen[level] === CAP_UNFINISHED) return level;
    }
    throw new PatternError("invalid pattern capture");
  }

  private matchCapture(s: number, digit: number): number {
    const l = digit - 49;
    if (l < 0 || l >= this.level || this.capLen[l] === CAP_UNFINISHED) {
      throw new PatternError("invalid capture index");
    }
    // A position capture's length is CAP_POSITION, which C compares as a huge size_t: never enough room.
    const len = this.capLen[l]!;
    if (len < 0 || this.end - s < len) return NO_MATCH;
    const src = this.src;
    const init = this.capInit[l]!;
    for (let i = 0; i < len; i++) {
      if (src.charCodeAt(init + i) !== src.charCodeAt(s + i)) return NO_MATCH;
    }
    return s + len;
  }

  /** push_onecapture: `[s, e)` is the whole match, capture 0 when the pattern has none. */
  capture(i: number, s: number, e: number): Capture {
    if (i >= this.level) {
      if (i === 0) return this.src.slice(s, e);
      throw new PatternError("invalid capture index");
    }
    const len = this.capLen[i]!;
    if (len === CAP_UNFINISHED) throw new PatternError("unfinished capture");
    const init = this.capInit[i]!;
    if (len === CAP_POSITION) return init + 1;
    return this.src.slice(init, init + len);
  }

  /** push_captures: with `wholeIfNone`, a pattern without captures yields the whole match. */
  captures(s: number, e: number, wholeIfNone: boolean): Capture[] {
    const n = this.level === 0 && wholeIfNone ? 1 : this.level;
    const out = new Array<Capture>(n);
    for (let i = 0; i < n; i++) out[i] = this.capture(i, s, e);
    return out;
  }
}

/** A callback may run another match before its caller's is done (gsub), so states are lent, not shared. */
const freeStates: MatchState[] = [];

function acquire(src: string, cp: CompiledPattern): MatchState {
  const ms = freeStates.pop() ?? new MatchState();
  ms.reset(src, cp);
  return ms;
}

function release(ms: MatchState): void {
  // A pooled state must not keep a large subject alive.
  ms.src = "";
  freeStates.push(ms);
}

/**
 * luaL_optinteger on x86-64: a double converts to a 64-bit integer by truncation, and anything out of range
 * (NaN and the infinities included) becomes INT64_MIN, which every caller here then clamps.
 */
function toInteger(value: number): number {
  if (!(Math.abs(value) < 2 ** 63)) return -(2 ** 63);
  return Math.trunc(value);
}

/** str_find_aux's start offset: negative counts from the end; out of range clamps (5.2+ returns nil past the end). */
function startOffset(init: number | undefined, length: number): number {
  let pos = init === undefined ? 1 : toInteger(init);
  if (pos < 0) pos += length + 1;
  let offset = (pos >= 0 ? pos : 0) - 1;
  if (offset < 0) offset = 0;
  else if (offset > length) offset = length;
  return offset;
}

/** string.find: null, or [start, end, ...captures] (1-based); `plain`, or no specials, searches for the text. */
export function find(s: string, pattern: string, init?: number, plain?: boolean): Capture[] | null {
  const start = startOffset(init, s.length);
  const cp = plain === true ? null : compile(pattern);
  if (cp === null || !cp.hasSpecials) {
    const at = s.indexOf(pattern, start);
    return at < 0 ? null : [at + 1, at + pattern.length];
  }
  return search(s, cp, start, true);
}

/** string.match: null, or the captures (the whole match when the pattern has none). */
export function match(s: string, pattern: string, init?: number): Capture[] | null {
  return search(s, compile(pattern), startOffset(init, s.length), false);
}

function search(s: string, cp: CompiledPattern, start: number, isFind: boolean): Capture[] | null {
  const anchor = cp.anchored;
  const pi = anchor ? 1 : 0;
  const ms = acquire(s, cp);
  let s1 = start;
  do {
    ms.level = 0;
    const e = ms.match(s1, pi);
    if (e !== NO_MATCH) {
      let result: Capture[];
      if (isFind) {
        result = ms.captures(s1, e, false);
        result.unshift(s1 + 1, e);
      } else {
        result = ms.captures(s1, e, true);
      }
      release(ms);
      return result;
    }
  } while (s1++ < s.length && !anchor);
  release(ms);
  return null;
}

/**
 * string.gmatch: each call gives the next captures (the whole match when none), then null. It never anchors: a
 * leading `^` is a literal char. After an empty match it moves on one byte.
 */
export function gmatch(s: string, pattern: string): () => Capture[] | null {
  const cp = compile(pattern);
  let position = 0;
  return () => {
    const ms = acquire(s, cp);
    for (let src = position; src <= s.length; src++) {
      ms.level = 0;
      const e = ms.match(src, 0);
      if (e !== NO_MATCH) {
        position = e === src ? e + 1 : e;
        const result = ms.captures(src, e, true);
        release(ms);
        return result;
      }
    }
    position = s.length + 1;
    release(ms);
    return null;
  };
}

/**
 * str_gsub. `replace` is a function (Lua's function or table replacement; null keeps the match) or a
 * template string, expanded as `expandReplacement` does but asking for a capture only when the template
 * names it, as 5.1 does: `gsub("a", "(a", "x")` succeeds though its capture is unfinished.
 * Unlike 5.2+, an empty match right after a non-empty one counts: gsub("hello world", "%w*", "x") is "xx xx", 4.
 */
export function gsub(
  s: string,
  pattern: string,
  replace: string | ((whole: string, captures: Capture[]) => string | null),
  max?: number,
): [string, number] {
  const srcEnd = s.length;
  // luaL_optint: the 64-bit integer's low 32 bits.
  const maxS = max === undefined ? srcEnd + 1 : toInteger(max) | 0;
  const cp = compile(pattern);
  const anchor = cp.anchored;
  const pi = anchor ? 1 : 0;
  const ms = acquire(s, cp);
  let out = "";
  let copied = 0;
  let src = 0;
  let n = 0;
  while (n < maxS) {
    ms.level = 0;
    const e = ms.match(src, pi);
    if (e !== NO_MATCH) {
      n++;
      out += s.slice(copied, src);
      if (typeof replace === "string") {
        out += expand(replace, ms, null, s, src, e);
      } else {
        const value = replace(s.slice(src, e), ms.captures(src, e, true));
        out += value === null ? s.slice(src, e) : value;
      }
      copied = e;
    }
    if (e !== NO_MATCH && e > src) src = e;
    else if (src < srcEnd) src++;
    else break;
    if (anchor) break;
  }
  release(ms);
  return [out + s.slice(copied), n];
}

/**
 * add_s of 5.1: `%0` is the whole match, `%1`..`%9` a capture (`%1` is the whole match when the pattern has
 * none), and `%` before any other byte is that byte, `%%` included; a trailing `%` adds the NUL byte that ends
 * the C string (5.2+ reject both). `captures` are as gsub passes them: the whole match when the pattern has none.
 */
export function expandReplacement(template: string, whole: string, captures: Capture[]): string {
  return expand(template, null, captures, whole, 0, whole.length);
}

function expand(template: string, ms: MatchState | null, captures: Capture[] | null, s: string, start: number, end: number): string {
  let at = template.indexOf("%");
  if (at < 0) return template;
  let out = template.slice(0, at);
  const length = template.length;
  for (;;) {
    const d = at + 1 < length ? template.charCodeAt(at + 1) : 0;
    if (!isDigit(d)) out += String.fromCharCode(d);
    else if (d === 48) out += s.slice(start, end);
    else out += String(ms !== null ? ms.capture(d - 49, start, end) : listedCapture(captures!, d - 49, s));
    const from = at + 2;
    if (from >= length) return out;
    at = template.indexOf("%", from);
    if (at < 0) return out + template.slice(from);
    out += template.slice(from, at);
  }
}

function listedCapture(captures: Capture[], index: number, whole: string): Capture {
  if (index < captures.length) return captures[index]!;
  if (index === 0) return whole;
  throw new PatternError("invalid capture index");
}
