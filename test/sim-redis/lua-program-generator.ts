/**
 * Random Lua 5.1 programs for the differential fuzzer of the script compiler (compiled-lua-fuzz.test.ts).
 * Every program terminates (loops are bounded by a shared step budget, functions only call what was defined
 * before them) and avoids what legitimately differs between the two scripting paths: no tostring of tables or
 * functions, no hash-key order (tables are shown with their keys sorted), no border ambiguity in `#` (arrays
 * only grow at #t + 1 and shrink at #t), no math.random, cjson objects of at most one key.
 */

type Kind = "num" | "str" | "bool" | "tab" | "fn" | "any";

interface FnShape {
  params: Kind[];
  vararg: boolean;
  returns: Kind[];
  /** What extra arguments a vararg function takes (any scalar when absent). */
  extra?: Kind;
}

interface Var {
  name: string;
  kind: Kind;
  /** Functions: how to call them. */
  fn?: FnShape;
  /** Not reassigned (functions, loop budgets), so that calls stay acyclic. */
  fixed?: boolean;
  /** Tables: the kind of their array items, and string keys known to hold a kind. */
  items?: "num" | "str" | "mixed";
  fields?: Map<string, Kind>;
  /** An object with methods defined on it. */
  methods?: Map<string, FnShape>;
}

interface Context {
  /** Inside a pcall'd function: errors are caught, so error-prone code is welcome. */
  guarded: boolean;
  /** Inside a loop of this function: `break` is allowed. */
  loop: boolean;
  /** Inside a pairs loop: no new keys may be added to existing tables. */
  pairs: boolean;
  /** Nesting of function bodies (0: main chunk). */
  fnDepth: number;
  /** Vararg function: `...` is allowed. */
  vararg: boolean;
}

export interface ProgramOptions {
  /** redis.call, redis.pcall and cjson; off for programs that plain Lua 5.1 must run too. */
  redis: boolean;
  /**
   * Also what Lua 5.3 (fengari) answers differently from 5.1: `%g` and NUL bytes in patterns, gsub and gmatch
   * with patterns that match the empty string, init past the end, `%2` in a replacement with one capture,
   * tonumber with a base on signed or 0x strings. Off when the interpreter is the reference.
   */
  lua51: boolean;
}

const NAMES = ["a", "b", "c", "d", "x", "y", "z", "s", "t", "u", "v", "w", "p", "q"];
const FN_NAMES = ["f", "g", "h", "fn", "op"];
const FIELD_NAMES = ["n", "k", "name", "val", "x", "1", "end_"];

const STRINGS = [
  "", "a", "abc", "Hello World", "10", " 7 ", "0x1f", "1e3", "-2.5", "a,b,c", "k=v;x=y", "%d", "50%",
  "x\0y", "caf\xc3\xa9", "inf", "nan", "  ", "[x]", "a.b", "one two  three", "\n", "tab\there", "12abc",
  "0", "-0", "3.0", "1e400", ".5", "5.", "0x", "abcabc", "aaa", "(a)", "%", "-", "+1", "0X1A", "\"q\"", "\\",
];
const NUMERIC_STRINGS = ["10", " 7 ", "0x1f", "1e3", "-2.5", "3.0", ".5", "5.", "0", "-0", "+1", "0X1A", "1e400", "inf", "nan"];
const NUMBERS = [
  "0", "1", "2", "3", "5", "7", "10", "42", "100", "255", "0.5", "1.5", "2.25", "0.1", "1e3", "1e15", "1e16",
  "123456789012", "0x10", "0xff", "3.0", ".5", "1e-3", "2^53", "9007199254740993", "1e300", "65", "97",
];
const PATTERNS = [
  "%d+", "%a+", "%w+", "(%w+)=(%w+)", "%s", "^%s*(.-)%s*$", "[%a_][%w_]*", "(a)(b)", "a*", "a-b", "()", "(%d)(%d)",
  ".", "[^,]+", "%p", "%u", "%l", "x?", "^a", "c$", "%.", "[a-c]+", "(.)%1", "%bxy", "%f[%w]%w+", "[%]]", "%x+",
  "(h)(e)(l)", "o", "l+", ",", "=", "%z", "[0-9]*", "(%a)", "(", "[a", "%", "%g",
];
const GSUB_TEMPLATES = ["<%0>", "%1%1", "x", "", "%%", "[%1]", "#", "%0%0"];
/** Patterns that match the empty string, where gsub and gmatch differ between 5.1 and 5.3. */
const EMPTY_MATCHING = new Set(["a*", "x?", "()", "[0-9]*"]);
/** tonumber(s, base) on these reads the same in 5.1 and 5.3: digits valid in every base. */
const BASE_STRINGS = ["10", "101", "0", "1", "11", " 1 "];
const FORMATS = [
  "%d", "%5d", "%-5d|", "%05d", "%+d", "%x", "%X", "%#x", "%o", "%e", "%.3e", "%E", "%f", "%.2f", "%10.3f",
  "%g", "%.3g", "%G", "%s", "%10s|", "%-10s|", "%.2s", "%q", "%c", "%%", "%i", "%u", "%5.1s|", "% d",
];
const JSON_TEXTS = [
  "[1,2,3]", '{"a":1}', '{"a":[1,{"b":null}],"c":"d"}', '"str"', "12.5", "true", "null", "[]", "{}",
  '[1,"two",false,null]', '{"k":{"k":{"k":1}}}', '"\\u00e9\\n"', "[1e2,-0,0.1]", "[", '{"a":}', "nul",
];
const COMMANDS_READ = ["GET", "STRLEN", "TYPE", "EXISTS", "HGETALL", "LLEN", "SCARD", "TTL"];
const KEY_NAMES = ["n", "s", "h", "l", "set", "z", "k", "missing"];

export function luaProgram(seed: number, options: ProgramOptions): string {
  return new ProgramGenerator(seed, options).program();
}

/**
 * `show` leaves out the ignore_error_stats_update flag of redis.pcall's error tables when the interpreter is the
 * reference: Redis 7.0 and the compiled path set it, the interpreter does not.
 */
function prelude(options: ProgramOptions): string {
  // The interpreter orders strings with control or high bytes wrongly ('\\n' < '0' is false there): it compares
  // them by their bytes' decimal codes, which are printable.
  const ord = options.lua51
    ? "local function ord(s) return s end"
    : "local function ord(s) return (string.gsub(s, '.', function(c) return string.format('%03d', string.byte(c)) end)) end";
  return PRELUDE.replace("HIDDEN", options.lua51 ? "nil" : "'ignore_error_stats_update'").replace("ORD", ord);
}

/**
 * Each program's helpers: `show` prints any value with table keys sorted (16 keys, 3 levels and 300 values at
 * most, so that a table holding itself stays cheap to show), `tick` bounds every loop, `ord` is what strings
 * are ordered by (see prelude()).
 */
const PRELUDE = `local out, steps, cost = {}, 0, 0
ORD
local function show(v, d, nested)
  if not nested then cost = 0 end
  cost = cost + 1
  if cost > 300 then return '~' end
  local ty = type(v)
  if ty == 'string' then return '"' .. v .. '"' end
  if ty == 'number' then return tostring(v) end
  if ty == 'function' then return 'fn' end
  if ty == 'userdata' then return 'ud' end
  if ty ~= 'table' then return tostring(v) end
  d = d or 0
  if d > 3 then return '{...}' end
  local keys = {}
  for k in pairs(v) do if k ~= HIDDEN then keys[#keys + 1] = k end end
  if #keys > 16 then return '{' .. #keys .. ' keys}' end
  table.sort(keys, function(l, r)
    local tl, tr = type(l), type(r)
    if tl ~= tr then return tl < tr end
    if tl == 'boolean' then return r and not l end
    if tl == 'string' then return ord(l) < ord(r) end
    return l < r
  end)
  local parts = {}
  for i = 1, #keys do parts[i] = show(keys[i], 9, true) .. '=' .. show(v[keys[i]], d + 1, true) end
  return '{' .. table.concat(parts, ',') .. '}'
end
local function tick()
  steps = steps + 1
  if steps > 300 then error('budget') end
end
`;

/** How many lines of every program are its helpers (kept whole when a failing program is shrunk). */
export const PRELUDE_LINES = PRELUDE.trimEnd().split("\n").length;

class ProgramGenerator {
  private state: number;
  private readonly lines: string[] = [];
  private indent = 0;
  private scopes: Var[][] = [[]];
  private ctx: Context = { guarded: false, loop: false, pairs: false, fnDepth: 0, vararg: true };
  private nextFn = 0;

  constructor(
    seed: number,
    private readonly options: ProgramOptions,
  ) {
    this.state = seed >>> 0 || 1;
  }

  // ---- randomness ----

  private random(): number {
    // xorshift32: fast, and a program is a pure function of its seed.
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  /** One of weighted alternatives. */
  private choose<T>(options: [number, () => T][]): T {
    const total = options.reduce((sum, [w]) => sum + w, 0);
    let r = this.random() * total;
    for (const [w, make] of options) {
      if ((r -= w) < 0) return make();
    }
    return (options.at(-1) as [number, () => T])[1]();
  }

  // ---- scopes ----

  private visible(): Var[] {
    const seen = new Set<string>();
    const out: Var[] = [];
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i] as Var[];
      for (let j = scope.length - 1; j >= 0; j--) {
        const v = scope[j] as Var;
        if (seen.has(v.name)) continue;
        seen.add(v.name);
        out.push(v);
      }
    }
    return out;
  }

  private varsOf(kind: Kind): Var[] {
    // `out` holds what was shown so far: iterating or showing it would grow it geometrically.
    return this.visible().filter((v) => v.name !== "out" && (v.kind === kind || (kind === "any" && v.kind !== "fn")));
  }

  private declare(v: Var): void {
    (this.scopes.at(-1) as Var[]).push(v);
  }

  private withScope<T>(run: () => T, ctx: Partial<Context> = {}): T {
    const saved = this.ctx;
    this.ctx = { ...saved, ...ctx };
    this.scopes.push([]);
    this.indent++;
    try {
      return run();
    } finally {
      this.indent--;
      this.scopes.pop();
      this.ctx = saved;
    }
  }

  private emit(line: string): void {
    this.lines.push(`${"  ".repeat(this.indent)}${line}`);
  }

  private freshName(): string {
    return this.pick(NAMES);
  }

  /** An operand of a unary operator or a method call: bare only when it is a single token. */
  private operand(text: string): string {
    return /^[\w.]+$/.test(text) ? text : `(${text})`;
  }

  // ---- program ----

  program(): string {
    this.lines.push(...prelude(this.options).trimEnd().split("\n"));
    this.declare({ name: "out", kind: "tab", fixed: true, items: "str" });
    const count = this.int(6, 22);
    for (let i = 0; i < count; i++) this.statement(2);
    this.finalReturn();
    return `${this.lines.join("\n")}\n`;
  }

  private finalReturn(): void {
    this.choose([
      [8, () => this.emit("return table.concat(out, '\\n')")],
      // A reply made of fresh values: a table that holds itself nests Redis's reply until its Lua stack is full.
      [1, () => this.emit(`return ${this.scalar(2)}`)],
      [0.3, () => this.emit("return nil")],
      [1, () => this.emit(`return {${this.scalar(1)}, ${this.scalar(1)}, {${this.scalar(1)}, {${this.scalar(1)}}}, ${this.scalar(1)}}`)],
      [this.options.redis ? 0.5 : 0, () => this.emit(`return redis.pcall(${this.redisArgs()})`)],
      [1, () => this.emit(`return {${this.expr("num", 1)}, ${this.expr("str", 1)}, table.concat(out, ',')}`)],
      [1, () => this.emit(`return ${this.expr("num", 2)}`)],
    ]);
  }

  // ---- statements ----

  private block(count: number, depth: number): void {
    for (let i = 0; i < count; i++) this.statement(depth);
  }

  private statement(depth: number): void {
    const nested = depth > 0;
    this.choose<void>([
      [10, () => this.local()],
      [6, () => this.assign()],
      [12, () => this.record()],
      [3, () => this.tableWrite()],
      [2, () => this.tableCall()],
      [nested ? 3 : 0, () => this.ifStatement(depth)],
      [nested ? 3 : 0, () => this.numericFor(depth)],
      [nested ? 3 : 0, () => this.genericFor(depth)],
      [nested ? 1.5 : 0, () => this.whileLoop(depth)],
      [nested ? 1.5 : 0, () => this.repeatLoop(depth)],
      [nested ? 1 : 0, () => this.doBlock(depth)],
      [nested ? 3 : 0, () => this.protectedBlock(depth)],
      [nested && this.ctx.fnDepth < 2 ? 3 : 0, () => this.localFunction(depth)],
      [nested && this.ctx.fnDepth === 0 ? 1 : 0, () => this.objectWithMethods()],
      [nested && this.ctx.fnDepth === 0 ? 0.7 : 0, () => this.templates()],
      [this.options.redis ? 3 : 0, () => this.redisStatement()],
      [this.ctx.loop ? 1 : 0, () => this.emit(`if ${this.expr("bool", 1)} then break end`)],
      [this.ctx.guarded ? 1.5 : 0.2, () => this.raiseStatement()],
    ]);
  }

  private local(): void {
    this.choose<void>([
      [6, () => {
        const kind = this.valueKind();
        const value = this.expr(kind, 2);
        this.declareLocal(kind, value);
      }],
      [2, () => {
        const n = this.int(2, 3);
        const kinds = Array.from({ length: n }, () => this.valueKind());
        const values = kinds.map((k) => this.expr(k, 1));
        const dropped = this.chance(0.3) ? values.slice(0, this.int(0, n - 1)) : values;
        if (this.chance(0.2)) dropped.push(this.expr("any", 1));
        const names = kinds.map(() => this.freshName());
        this.emit(`local ${names.join(", ")}${dropped.length ? ` = ${dropped.join(", ")}` : ""}`);
        names.forEach((name, i) => this.declare({ name, kind: i < dropped.length && i < values.length && dropped[i] === values[i] ? (kinds[i] as Kind) : "any" }));
      }],
      [2, () => {
        // Several values from one call: the last expression spreads.
        const call = this.multiCall();
        const names = Array.from({ length: this.int(1, 4) }, () => this.freshName());
        this.emit(`local ${names.join(", ")} = ${call}`);
        for (const name of names) this.declare({ name, kind: "any" });
      }],
      [1, () => {
        const name = this.freshName();
        this.emit(`local ${name}`);
        this.declare({ name, kind: "any" });
      }],
    ]);
  }

  private declareLocal(kind: Kind, value: string): void {
    const name = this.freshName();
    this.emit(`local ${name} = ${value}`);
    this.declare(this.describeValue(name, kind, value));
  }

  private describeValue(name: string, kind: Kind, value: string): Var {
    const v: Var = { name, kind };
    if (kind === "tab") {
      v.items = value.startsWith("{") && /^\{[\d., -]*\}$/.test(value) ? "num" : "mixed";
      v.fields = new Map();
    }
    return v;
  }

  private valueKind(): Kind {
    return this.choose<Kind>([
      [4, () => "num"],
      [4, () => "str"],
      [2, () => "bool"],
      [3, () => "tab"],
      [1, () => "any"],
    ]);
  }

  private assign(): void {
    const targets = this.varsOf("any").filter((v) => !v.fixed);
    if (targets.length === 0) return this.local();
    this.choose<void>([
      [6, () => {
        const target = this.pick(targets);
        this.emit(`${target.name} = ${this.bounded(target.kind, this.expr(target.kind, 2))}`);
        if (target.kind === "tab") {
          target.items = "mixed";
          target.fields = new Map();
        }
      }],
      [2, () => {
        // Swaps and multiple assignment: every value is read before any target is written.
        const chosen = Array.from({ length: this.int(2, 3) }, () => this.pick(targets));
        const values = chosen.map((t) => (this.chance(0.5) ? this.pick(chosen).name : this.bounded(t.kind, this.expr(t.kind, 1))));
        const sameKinds = chosen.every((t) => t.kind === chosen[0]?.kind);
        const used = sameKinds ? values : chosen.map((t) => this.bounded(t.kind, this.expr(t.kind, 1)));
        this.emit(`${chosen.map((t) => t.name).join(", ")} = ${used.join(", ")}`);
        for (const t of chosen) if (t.kind === "tab") t.items = "mixed";
      }],
      [1, () => {
        const anys = targets.filter((t) => t.kind === "any");
        if (anys.length === 0) return;
        const chosen = Array.from({ length: this.int(1, 3) }, () => this.pick(anys));
        this.emit(`${chosen.map((t) => t.name).join(", ")} = ${this.multiCall()}`);
      }],
    ]);
  }

  /** Strings grow in loops: assignments in a loop keep them short. */
  private bounded(kind: Kind, value: string): string {
    return kind === "str" && this.ctx.loop ? `string.sub(${value}, 1, 40)` : value;
  }

  /** Appends a shown value to `out`: what the program's reply is made of. */
  private record(): void {
    this.choose<void>([
      [8, () => this.emit(`out[#out + 1] = show(${this.expr(this.valueKind(), 3)})`)],
      [3, () => this.emit(`out[#out + 1] = show({${this.multiCall()}})`)],
      [1, () => this.emit(`out[#out + 1] = show(select('#', ${this.multiCall()}))`)],
      [1, () => {
        const vs = this.visible().filter((v) => v.kind !== "fn" && v.name !== "out");
        if (vs.length === 0) return;
        const v = this.pick(vs);
        this.emit(`out[#out + 1] = show(${v.name})`);
      }],
    ]);
  }

  private table(): Var | null {
    const tables = this.varsOf("tab");
    return tables.length ? this.pick(tables) : null;
  }

  private tableWrite(): void {
    const t = this.table();
    if (t === null || this.ctx.pairs) return this.record();
    const fields = (t.fields ??= new Map());
    this.choose<void>([
      [3, () => {
        const kind = t.items === "str" ? "str" : t.items === "num" ? "num" : this.valueKind();
        if (kind === "any") return;
        this.emit(`${t.name}[#${t.name} + 1] = ${this.expr(kind, 2)}`);
        if (t.items !== kind) t.items = "mixed";
      }],
      [2, () => {
        const name = this.pick(FIELD_NAMES.filter((f) => /^[a-z_]+$/.test(f)));
        const kind = this.valueKind();
        this.emit(`${t.name}.${name} = ${this.expr(kind, 2)}`);
        fields.set(name, kind);
      }],
      [2, () => {
        // 5.3's table.remove on an empty array takes t[0] (and t[#t] when #t is 0): no key 0 for the interpreter.
        const key = this.pick([`"${this.pick(FIELD_NAMES)}"`, this.options.lua51 ? "0" : "-2", "-1", "1.5", "true", "'x' .. 1", this.expr("str", 1)]);
        // t[[=[...]=]] would open a long string: a key that starts with a bracket is set apart.
        this.emit(`${t.name}[${key.startsWith("[") ? ` ${key} ` : key}] = ${this.expr(this.valueKind(), 1)}`);
      }],
      [1, () => this.emit(`${t.name}[#${t.name}] = nil`)],
      [1, () => {
        if (fields.size === 0) return;
        const name = this.pick([...fields.keys()]);
        this.emit(`${t.name}.${name} = nil`);
        fields.delete(name);
      }],
      [1, () => {
        // Overwrite an existing position (a number in 1..#t when t is not empty).
        this.emit(`if #${t.name} > 0 then ${t.name}[${this.int(1, 3)} % #${t.name} + 1] = ${this.expr(t.items === "str" ? "str" : "num", 1)} end`);
      }],
    ]);
  }

  private tableCall(): void {
    const t = this.table();
    if (t === null || this.ctx.pairs) return this.record();
    const itemKind: Kind = t.items === "str" ? "str" : t.items === "num" ? "num" : this.valueKind();
    this.choose<void>([
      [3, () => this.emit(`table.insert(${t.name}, ${this.single(this.expr(itemKind, 1))})`)],
      [2, () => {
        // 5.3 rejects a position outside 1..#t + 1; 5.1 takes any.
        const positions = this.options.lua51 ? ["1", `#${t.name}`, `#${t.name} + 1`, "2", "0"] : ["1", `#${t.name} + 1`];
        this.emit(`table.insert(${t.name}, ${this.pick(positions)}, ${this.expr(itemKind, 1)})`);
      }],
      [2, () => {
        // 5.3 rejects a position outside 1..#t + 1 (or #t); 5.1 removes nothing there.
        const positions = this.options.lua51 ? ["1", `#${t.name}`, "2", "0", `#${t.name} + 1`] : ["1", `#${t.name}`];
        this.emit(`out[#out + 1] = show(table.remove(${t.name}${this.chance(0.5) ? "" : `, ${this.pick(positions)}`}))`);
      }],
      [2, () => {
        if (t.items === "num" || (t.items === "str" && this.options.lua51)) this.emit(`table.sort(${t.name})`);
        else this.emit(`table.sort(${t.name}, function(l, r) return ord(show(l, 3)) < ord(show(r, 3)) end)`);
      }],
      [2, () => {
        const cmp = t.items === "num" ? "function(l, r) return l > r end" : "function(l, r) return ord(show(l, 3)) > ord(show(r, 3)) end";
        this.emit(`table.sort(${t.name}, ${cmp})`);
      }],
      [1, () => this.emit(`out[#out + 1] = show(table.concat(${t.name}, ${this.expr("str", 0)}${this.chance(0.4) ? `, ${this.int(1, 3)}, ${this.int(0, 4)}` : ""}))`)],
      [1, () => this.emit(`out[#out + 1] = show({unpack(${t.name}${this.chance(0.4) ? `, ${this.int(-1, 3)}, ${this.int(0, 4)}` : ""})})`)],
    ]);
  }

  private ifStatement(depth: number): void {
    this.emit(`if ${this.expr("bool", 2)} then`);
    this.withScope(() => this.block(this.int(1, 3), depth - 1));
    const elseifs = this.int(0, 2);
    for (let i = 0; i < elseifs; i++) {
      this.emit(`elseif ${this.expr(this.chance(0.8) ? "bool" : "any", 2)} then`);
      this.withScope(() => this.block(this.int(1, 2), depth - 1));
    }
    if (this.chance(0.5)) {
      this.emit("else");
      this.withScope(() => this.block(this.int(1, 2), depth - 1));
    }
    this.emit("end");
  }

  private loopBody(depth: number, declare: () => void, ctx: Partial<Context> = {}): void {
    this.withScope(
      () => {
        declare();
        this.emit("tick()");
        this.block(this.int(1, 4), depth - 1);
      },
      { loop: true, ...ctx },
    );
  }

  private numericFor(depth: number): void {
    const [start, limit, step] = this.choose<[string, string, string | null]>([
      [4, () => [String(this.int(-2, 3)), String(this.int(-1, 6)), null]],
      [2, () => [String(this.int(0, 10)), String(this.int(-2, 5)), String(-this.int(1, 3))]],
      [2, () => [this.pick(["0", "1", "0.1", "-1", "2.5"]), this.pick(["1", "2", "3.3", "-1", "0.9"]), this.pick(["0.1", "0.25", "0.5", "-0.5", "0.3", "0.7", "1.5"])]],
      [1, () => ["1", `#${this.expr("str", 0)}`, null]],
      [1, () => [`${this.pick(NUMERIC_STRINGS.slice(0, 3))}`, "12", this.pick(["'3'", "2", "5"])]],
      [1, () => ["1", "0", null]],
      [0.5, () => [this.expr("num", 1), "3", "1"]],
    ]);
    const name = this.pick(["i", "j", "k", ...NAMES.slice(0, 3)]);
    this.emit(`for ${name} = ${start}, ${limit}${step === null ? "" : `, ${step}`} do`);
    this.loopBody(depth, () => this.declare({ name, kind: "num" }));
    this.emit("end");
  }

  private genericFor(depth: number): void {
    const t = this.table();
    this.choose<void>([
      [t ? 3 : 0, () => {
        const [i, v] = [this.pick(["i", "k", "_"]), this.pick(["v", "x", "item"])];
        this.emit(`for ${i}, ${v} in ipairs(${t?.name}) do`);
        this.loopBody(depth, () => {
          this.declare({ name: i, kind: "num" });
          this.declare({ name: v, kind: t?.items === "num" ? "num" : t?.items === "str" ? "str" : "any" });
        });
        this.emit("end");
      }],
      [t ? 3 : 0, () => {
        // The body sees keys in an order that differs between implementations: only order-free work.
        const [k, v] = [this.pick(["k", "key"]), this.pick(["v", "val"])];
        const acc = this.pick(["n", "cnt"]);
        this.emit(`local ${acc} = 0`);
        this.emit(`for ${k}, ${v} in ${this.chance(0.3) ? `next, ${t?.name}` : `pairs(${t?.name})`} do`);
        this.withScope(
          () => {
            this.emit("tick()");
            this.emit(`${acc} = ${acc} + 1`);
            // Clearing keys, or showing a value: both at once would show what the visiting order left.
            if (this.chance(0.3)) {
              this.emit(`if type(${k}) == 'string' then ${t?.name}[${k}] = nil end`);
              if (t) t.fields = new Map();
            } else this.emit(`if ${k} == ${this.pick(["1", "'n'", "'name'", "2"])} then out[#out + 1] = show(${v}) end`);
          },
          { loop: true, pairs: true },
        );
        this.emit("end");
        this.emit(`out[#out + 1] = show(${acc})`);
        this.declare({ name: acc, kind: "num" });
      }],
      [2, () => {
        const pattern = this.pick(PATTERNS.slice(0, 24).filter((p) => this.options.lua51 || !EMPTY_MATCHING.has(p)));
        const caps = Math.max(1, (pattern.match(/\((?!\))/g) ?? []).length);
        const names = ["w", "w2", "w3"].slice(0, Math.min(caps + (this.chance(0.2) ? 1 : 0), 3));
        this.emit(`for ${names.join(", ")} in string.gmatch(${this.expr("str", 1)}, ${quote(pattern)}) do`);
        this.loopBody(depth, () => names.forEach((name) => this.declare({ name, kind: "any" })));
        this.emit("end");
      }],
      [1.5, () => {
        // A stateful iterator: a closure over its counter.
        const gen = `gen${this.nextFn++}`;
        this.emit(`local function ${gen}(n) local i = 0 return function() i = i + 1 if i <= n then return i, i * ${this.int(1, 3)} end end end`);
        this.emit(`for a, b in ${gen}(${this.int(0, 4)}) do`);
        this.loopBody(depth, () => {
          this.declare({ name: "a", kind: "num" });
          this.declare({ name: "b", kind: "num" });
        });
        this.emit("end");
      }],
      [t ? 1 : 0, () => {
        // next by hand, clearing what it visits (all of it, or the string keys): Lua lets a traversal clear fields.
        const all = this.chance(0.5);
        this.emit(`local nk = next(${t?.name})`);
        this.emit(`while nk ~= nil do tick() ${all ? "" : "if type(nk) == 'string' then "}${t?.name}[nk] = nil${all ? "" : " end"} nk = next(${t?.name}, nk) end`);
        this.emit(`out[#out + 1] = show(${t?.name})`);
        if (t) t.fields = new Map();
      }],
      [t ? 1 : 0, () => {
        // A stateless iterator with explicit state and control values.
        this.emit(`local function step(tab, i) i = i + 1 local v = tab[i] if v ~= nil then return i, v end end`);
        this.emit(`for i, v in step, ${t?.name}, ${this.int(0, 1)} do`);
        this.loopBody(depth, () => {
          this.declare({ name: "i", kind: "num" });
          this.declare({ name: "v", kind: "any" });
        });
        this.emit("end");
      }],
    ]);
  }

  private whileLoop(depth: number): void {
    const c = `c${this.nextFn++}`;
    const limit = this.int(0, 5);
    this.emit(`local ${c} = 0`);
    this.declare({ name: c, kind: "num", fixed: true });
    this.emit(this.chance(0.5) ? `while ${c} < ${limit} do` : `while ${this.expr("bool", 1)} and ${c} < ${limit} do`);
    this.loopBody(depth, () => this.emit(`${c} = ${c} + 1`));
    this.emit("end");
  }

  private repeatLoop(depth: number): void {
    const c = `c${this.nextFn++}`;
    this.emit(`local ${c} = 0`);
    this.declare({ name: c, kind: "num", fixed: true });
    this.emit("repeat");
    let until = "";
    this.withScope(
      () => {
        this.emit("tick()");
        this.emit(`${c} = ${c} + 1`);
        // The condition sees the body's locals.
        const seen = this.chance(0.5) ? this.pick(NAMES) : null;
        if (seen) {
          this.emit(`local ${seen} = ${c} * 2`);
          this.declare({ name: seen, kind: "num" });
        }
        this.block(this.int(1, 3), depth - 1);
        until = `${c} >= ${this.int(1, 4)} or ${seen ? `${seen} > ${this.int(2, 8)}` : this.expr("bool", 1)}`;
      },
      { loop: true },
    );
    this.emit(`until ${until}`);
  }

  private doBlock(depth: number): void {
    this.emit("do");
    this.withScope(() => this.block(this.int(1, 3), depth - 1));
    this.emit("end");
  }

  private protectedBlock(depth: number): void {
    const [ok, err] = [this.pick(["ok", "okay"]), this.pick(["e", "err", "r"])];
    const vararg = this.chance(0.3);
    this.emit(`local ${ok}, ${err} = pcall(function(${vararg ? "..." : ""})`);
    this.withScope(
      () => {
        this.block(this.int(1, 4), depth - 1);
        if (this.chance(0.5)) this.emit(`return ${this.expr(this.valueKind(), 2)}`);
      },
      { guarded: true, loop: false, pairs: false, fnDepth: this.ctx.fnDepth + 1, vararg },
    );
    this.emit(`end${this.chance(0.3) ? `, ${this.expr("num", 1)}` : ""})`);
    this.emit(`out[#out + 1] = show(${ok}) .. ' ' .. show(${err})`);
  }

  private localFunction(depth: number): void {
    const name = this.pick(FN_NAMES);
    const params = Array.from({ length: this.int(0, 3) }, () => this.valueKind());
    const paramNames = params.map((_, i) => ["p1", "p2", "p3"][i] as string);
    const vararg = this.chance(0.35);
    const returns = this.choose<Kind[]>([
      [1, () => []],
      [4, () => [this.valueKind()]],
      [2, () => [this.valueKind(), this.valueKind()]],
      [1, () => [this.valueKind(), this.valueKind(), this.valueKind()]],
    ]);
    const shape: FnShape = { params, vararg, returns };
    const head = [...paramNames, ...(vararg ? ["..."] : [])].join(", ");
    const anonymous = this.chance(0.3);
    this.emit(anonymous ? `local ${name} = function(${head})` : `local function ${name}(${head})`);
    this.withScope(
      () => {
        // `local function f` sees itself as f: hide any older f so that the body cannot recurse.
        if (!anonymous) this.declare({ name, kind: "fn", fixed: true });
        params.forEach((kind, i) => this.declare({ name: paramNames[i] as string, kind }));
        this.block(this.int(1, 4), depth - 1);
        // Lua 5.1's compat `arg`: a table of the extra arguments, or nil when the function uses `...`.
        if (vararg && this.options.lua51 && this.chance(0.3)) this.emit("out[#out + 1] = show(arg)");
        if (returns.length > 0) this.emit(`return ${returns.map((k) => this.expr(k, 2)).join(", ")}`);
      },
      { loop: false, pairs: false, fnDepth: this.ctx.fnDepth + 1, vararg },
    );
    this.emit("end");
    this.declare({ name, kind: "fn", fn: shape, fixed: true });
  }

  /** A table with fields and methods, called with `:` and `.`. */
  private objectWithMethods(): void {
    const name = this.pick(["obj", "acc", "stack"]);
    this.emit(`local ${name} = {n = ${this.int(0, 5)}, name = ${quote(this.pick(["o", "acc", ""]))}, items = {}}`);
    const methods = new Map<string, FnShape>();
    this.emit(`function ${name}:add(x) self.n = self.n + x self.items[#self.items + 1] = x return self end`);
    methods.set("add", { params: ["num"], vararg: false, returns: ["tab"] });
    this.emit(`function ${name}.get(self, k) return self[k or 'n'] end`);
    methods.set("get", { params: [], vararg: false, returns: ["any"] });
    this.emit(`function ${name}:sum(...) local s = self.n for _, v in ipairs({...}) do s = s + v end return s, select('#', ...) end`);
    methods.set("sum", { params: [], vararg: true, returns: ["num", "num"], extra: "num" });
    this.emit(`function ${name}:describe() return self.name .. ':' .. self:sum() .. ':' .. #self.items end`);
    methods.set("describe", { params: [], vararg: false, returns: ["str"] });
    const fields = new Map<string, Kind>([["n", "num"], ["name", "str"]]);
    this.declare({ name, kind: "tab", fixed: true, items: "mixed", fields, methods });
  }

  private templates(): void {
    this.choose<void>([
      [1, () => {
        this.emit("local function fact(n) if not (n > 1) then return 1 end return n * fact(n - 1) end");
        this.emit(`out[#out + 1] = show(fact(math.min(${this.expr("num", 1)}, 12)))`);
      }],
      [1, () => {
        this.emit("local function counter(start) local n = start return function(by) n = n + (by or 1) return n end end");
        this.emit(`local ctr = counter(${this.expr("num", 1)})`);
        this.emit(`ctr() ctr(${this.int(-3, 3)})`);
        this.emit("out[#out + 1] = show(ctr(0.5))");
      }],
      [1, () => {
        this.emit("local fs = {}");
        this.emit(`for i = 1, ${this.int(1, 4)} do local j = i * 10 fs[#fs + 1] = function() j = j + 1 return i + j end end`);
        this.emit("for _, fn in ipairs(fs) do out[#out + 1] = show(fn()) .. show(fn()) end");
      }],
      [1, () => {
        this.emit("local function apply(g, ...) return g(...) end");
        this.emit(`out[#out + 1] = show({apply(select, ${this.pick(["'#'", "2", "-1", "1"])}, ${this.expr("any", 1)}, ${this.expr("num", 1)})})`);
        this.emit(`out[#out + 1] = show({apply(apply, string.rep, ${this.expr("str", 1)}, ${this.int(0, 3)})})`);
      }],
      [1, () => {
        this.emit("local function pack(...) return {n = select('#', ...), ...} end");
        this.emit(`out[#out + 1] = show(pack(${this.expr("num", 1)}, nil, ${this.expr("str", 1)}, nil))`);
        this.emit("out[#out + 1] = show(pack())");
      }],
    ]);
  }

  private raiseStatement(): void {
    this.choose<void>([
      // A table without err raised out of a script crashes Redis 7.0.15 (luaCallFunction): only caught ones.
      [3, () => {
        const kind = this.pick<Kind>(["str", "str", "num", this.ctx.guarded ? "tab" : "str"]);
        if (kind === "tab" || this.options.lua51) return this.emit(`error(${this.expr(kind, 1)})`);
        this.emit(`error(${this.message(kind)})`);
      }],
      [1, () => this.emit(`error(${this.message()}, ${this.pick(["0", "1"])})`)],
      [1, () => this.emit(`error({err = ${this.expr("str", 1)}})`)],
      [2, () => this.emit(`assert(${this.expr(this.chance(0.5) ? "bool" : "any", 1)}, ${this.message()})`)],
      [1, () => this.emit(`assert(${this.expr("any", 1)})`)],
      [1, () => this.emit(`if ${this.expr("bool", 1)} then error() end`)],
    ]);
  }

  /** An error message: 5.1 positions a number raised by error or assert (to lua_isstring it is a string), 5.3
   * does not, so a number only when plain Lua 5.1 is the reference. */
  private message(kind: Kind = "str"): string {
    // assert cuts its message at a NUL (luaL_error's %s) where 5.3 keeps it: no NUL either.
    return this.options.lua51 ? this.expr(kind, 1) : `(string.gsub((${this.expr(kind, 1)}) .. '', '%z', ''))`;
  }

  private redisStatement(): void {
    this.choose<void>([
      [5, () => this.emit(`out[#out + 1] = show(redis.call(${this.redisArgs()}))`)],
      [3, () => this.emit(`out[#out + 1] = show(redis.pcall(${this.redisArgs()}))`)],
      [2, () => this.emit(`out[#out + 1] = show({pcall(redis.call, ${this.redisArgs()})})`)],
      [1, () => this.emit(`redis.call(${this.redisArgs()})`)],
    ]);
  }

  private redisArgs(): string {
    // An empty key name is left out: the engine's KEYS * misses it, which would hide the rest of a snapshot.
    const key = () => this.choose([[6, () => quote(this.pick(KEY_NAMES))], [2, () => `KEYS[${this.int(1, 3)}]`], [1, () => `'k' .. ${this.expr("str", 0)}`]]);
    const value = () => this.choose([[3, () => this.expr("str", 1)], [3, () => this.expr("num", 1)], [0.3, () => this.expr("any", 0)]]);
    return this.choose<string>([
      [3, () => `${quote(this.pick(COMMANDS_READ))}, ${key()}`],
      [2, () => `'SET', ${key()}, ${value()}`],
      [2, () => `'INCR', ${key()}`],
      [1, () => `'INCRBY', ${key()}, ${value()}`],
      [1, () => `'APPEND', ${key()}, ${value()}`],
      [1, () => `'DEL', ${key()}`],
      [2, () => `'HSET', ${key()}, ${value()}, ${value()}`],
      [1, () => `'HGET', ${key()}, ${value()}`],
      [1, () => `'HINCRBY', ${key()}, 'f', ${value()}`],
      [2, () => `'${this.pick(["RPUSH", "LPUSH"])}', ${key()}, ${value()}${this.chance(0.5) ? `, ${value()}` : ""}`],
      [1, () => `'LRANGE', ${key()}, ${this.int(-3, 1)}, ${this.int(-1, 3)}`],
      [1, () => `'LPOP', ${key()}`],
      [1, () => `'SADD', ${key()}, ${value()}`],
      [1, () => `'SISMEMBER', ${key()}, ${value()}`],
      [1, () => `'ZADD', ${key()}, ${value()}, ${value()}`],
      [1, () => `'ZRANGE', ${key()}, 0, -1, 'WITHSCORES'`],
      [1, () => `'ZSCORE', ${key()}, ${value()}`],
      [1, () => `'EXPIRE', ${key()}, ${value()}`],
      [0.5, () => `'NOPE', ${key()}`],
      [0.5, () => "'GET'"],
      [0.3, () => this.expr("str", 0)],
    ]);
  }

  // ---- expressions ----

  /** An expression that evaluates to one value of `kind` (errors aside); `depth` bounds nesting. */
  expr(kind: Kind, depth: number): string {
    if (depth <= 0 || this.chance(0.25)) return this.atom(kind);
    switch (kind) {
      case "num":
        return this.numExpr(depth);
      case "str":
        return this.strExpr(depth);
      case "bool":
        return this.boolExpr(depth);
      case "tab":
        return this.tabExpr(depth);
      case "fn":
        return this.fnExpr(depth);
      default:
        return this.anyExpr(depth);
    }
  }

  private atom(kind: Kind): string {
    const vars = this.varsOf(kind);
    if (vars.length > 0 && this.chance(0.6)) return this.pick(vars).name;
    switch (kind) {
      case "num":
        return this.numberLiteral();
      case "str":
        return this.stringLiteral();
      case "bool":
        return this.pick(["true", "false"]);
      case "tab":
        return this.chance(0.5) ? "{}" : `{${this.numberLiteral()}, ${this.numberLiteral()}}`;
      case "fn":
        return "function(...) return ... end";
      default:
        return this.pick(["nil", "false", this.numberLiteral(), this.stringLiteral()]);
    }
  }

  private numberLiteral(): string {
    // 0 * -2 is -0 in 5.1 and the integer 0 in 5.3: no zero literal when the interpreter is the reference.
    const text = this.pick(this.options.lua51 ? NUMBERS : NUMBERS.slice(1));
    return this.chance(0.15) && (text !== "0" || this.options.lua51) ? `(-${text})` : text;
  }

  private stringLiteral(): string {
    // A line break in an expression makes 5.3 name another line in an error (the operator's, not the last).
    const long = ["long [string]", "]", "x]]=y", ...(this.options.lua51 ? ["a\nb", "\nfirst newline dropped"] : [])];
    return this.chance(0.05) ? `[=[${this.pick(long)}]=]` : quote(this.pick(STRINGS));
  }

  /** Parenthesized most of the time; bare sometimes, so that Lua's precedence is exercised too. */
  private group(text: string): string {
    return this.chance(0.75) ? `(${text})` : text;
  }

  private numLike(depth: number): string {
    return this.chance(0.9) ? this.expr("num", depth) : quote(this.pick(NUMERIC_STRINGS));
  }

  private numExpr(depth: number): string {
    const d = depth - 1;
    return this.choose<string>([
      [6, () => {
        const op = this.pick(["+", "-", "*", "/", "%", "^", "+", "-", "*"]);
        // 5.3 raises an error for an integer % 0 where 5.1 gives nan, and takes 1 ^ nan for nan (JS's pow).
        const safe = !this.options.lua51 && (op === "%" || op === "^");
        const right = safe ? this.pick(["3", "-2", "2.5", "0.5", "7"]) : this.numLike(d);
        return this.group(`${this.numLike(d)} ${op} ${right}`);
      }],
      // -x of the integer 0 is 0 in 5.3: 0 - x when the interpreter is the reference.
      [1, () => (this.options.lua51 ? `(- ${this.numLike(d)})` : `(0 - ${this.numLike(d)})`)],
      [2, () => `#${this.operand(this.expr("str", d))}`],
      [1.5, () => {
        const t = this.varsOf("tab");
        return t.length ? `#${this.pick(t).name}` : `#${this.operand(this.tabExpr(d))}`;
      }],
      [1, () => `string.len(${this.expr("str", d)})`],
      [1.5, () => `(string.byte(${this.expr("str", d)}, ${this.int(-2, 3)}) or -1)`],
      [1, () => `(tonumber(${this.single(this.expr("str", d))}) or 0)`],
      [0.5, () => {
        const text = this.options.lua51 ? this.expr("str", d) : quote(this.pick(BASE_STRINGS));
        return `(tonumber(${text}, ${this.pick(["16", "10", "2", "36", "8"])}) or 0)`;
      }],
      [1, () => `tonumber(${this.single(this.numLike(d))})`],
      [1, () => `math.${this.pick(["floor", "ceil", "abs"])}(${this.numLike(d)})`],
      [1, () => {
        // 5.3's max and min compare their arguments as given: a numeric string there is an error.
        // A non-number is an argument error in 5.1 and a comparison error in 5.3.
        const arg = () => (this.options.lua51 ? this.numLike(d) : `(tonumber((${this.expr("num", d)})) or 0)`);
        return `math.${this.pick(["max", "min"])}(${arg()}, ${arg()}${this.chance(0.3) ? `, ${arg()}` : ""})`;
      }],
      // 5.3's fmod of integers raises an error for a zero divisor, where 5.1 gives nan.
      [0.5, () => `math.fmod(${this.numLike(d)}, ${this.options.lua51 ? this.numLike(d) : this.pick(["3", "2.5", "-2", "0.5"])})`],
      // 5.3 turns modf's integral part into an integer, which has no -0.
      [this.options.lua51 ? 0.5 : 0, () => `(math.modf(${this.numLike(d)}))`],
      [0.5, () => `math.sqrt(${this.numLike(d)})`],
      [1, () => `select('#', ${this.multiCall()})`],
      [1, () => `(string.find(${this.expr("str", d)}, ${this.patternArg()}${this.chance(0.3) ? `, ${this.init()}` : ""}) or 0)`],
      [1, () => `(${this.numLike(d)} ${this.pick(["<", ">", "=="])} ${this.numLike(d)} and ${this.expr("num", d)} or ${this.expr("num", d)})`],
      [2, () => this.callOf("num", d)],
      [1, () => this.fieldOf("num", d)],
      [0.5, () => `(${this.expr("num", d)})`],
      [this.ctx.vararg ? 0.5 : 0, () => "select('#', ...)"],
      [this.ctx.guarded ? 1 : 0.1, () => this.group(`${this.expr("any", d)} ${this.pick(["+", "*", "-", ...(this.options.lua51 ? ["%"] : [])])} ${this.expr("num", d)}`)],
    ]);
  }

  private strExpr(depth: number): string {
    const d = depth - 1;
    return this.choose<string>([
      [5, () => this.group(`${this.chance(0.8) ? this.expr("str", d) : this.expr("num", d)} .. ${this.chance(0.8) ? this.expr("str", d) : this.expr("num", d)}`)],
      [2, () => `tostring(${this.scalar(d)})`],
      [2, () => `string.sub(${this.expr("str", d)}, ${this.int(-4, 4)}${this.chance(0.6) ? `, ${this.int(-4, 6)}` : ""})`],
      [1.5, () => `${this.methodBase(d)}:sub(${this.int(-3, 3)})`],
      [1, () => `string.${this.pick(["upper", "lower", "reverse"])}(${this.expr("str", d)})`],
      [1, () => `${this.methodBase(d)}:${this.pick(["upper", "lower", "rep"])}(${this.int(0, 3)})`],
      [1, () => `string.rep(${this.expr("str", d)}, ${this.int(-1, 4)})`],
      [1, () => `string.char(${Array.from({ length: this.int(0, 3) }, () => this.pick(["65", "97", "48", "0", "255", "10", "104"])).join(", ")})`],
      [3, () => this.formatCall(d)],
      [2, () => `(string.gsub(${this.expr("str", d)}, ${this.patternArg(true)}, ${this.gsubReplacement(d)}${this.chance(0.3) ? `, ${this.int(0, 2)}` : ""}))`],
      [1.5, () => `(string.match(${this.expr("str", d)}, ${this.patternArg()}${this.chance(0.2) ? `, ${this.init()}` : ""}) or '')`],
      [1, () => `type(${this.expr(this.valueKind(), d)})`],
      [1, () => {
        const t = this.varsOf("tab").filter((v) => v.items === "str" || v.items === "num");
        return t.length ? `table.concat(${this.pick(t).name}, ${quote(this.pick([",", "", " - "]))})` : `table.concat({${this.expr("str", d)}, ${this.expr("num", d)}}, '/')`;
      }],
      [this.options.redis ? 2 : 0, () => `cjson.encode(${this.jsonValue(d)})`],
      [2, () => this.callOf("str", d)],
      [1, () => this.fieldOf("str", d)],
      [1, () => `(${this.expr("bool", d)} and ${this.expr("str", d)} or ${this.expr("str", d)})`],
      [this.ctx.guarded ? 0.7 : 0.05, () => this.group(`${this.expr("any", d)} .. ${this.expr("str", d)}`)],
    ]);
  }

  /**
   * One value where a call's extra results would be taken as further arguments: 5.3 checks some of those
   * (tonumber's base, insert's position) where 5.1 converts or ignores them.
   */
  private single(text: string): string {
    return this.options.lua51 ? text : `(${text})`;
  }

  /** A value whose tostring is the same everywhere (no table or function address). */
  private scalar(depth: number): string {
    return this.expr(this.pick<Kind>(["num", "str", "bool"]), depth);
  }

  /** A string operand of an order comparison: without control or high bytes when the interpreter is the reference. */
  private ordered(text: string): string {
    return this.options.lua51 ? text : `(string.gsub(${text}, ${quote("[%c\x80-\xff]")}, ''))`;
  }

  private methodBase(depth: number): string {
    const vars = this.varsOf("str");
    if (vars.length && this.chance(0.6)) return this.pick(vars).name;
    return `(${this.expr("str", depth)})`;
  }

  /** `repeated`: for gmatch and gsub, which 5.3 runs differently after an empty match. */
  private patternArg(repeated = false): string {
    if (this.options.lua51) return this.chance(0.9) ? quote(this.pick(PATTERNS)) : this.expr("str", 0);
    const patterns = PATTERNS.filter((p) => p !== "%g" && !(repeated && EMPTY_MATCHING.has(p)));
    return quote(this.chance(0.9) ? this.pick(patterns) : this.pick(STRINGS.filter((s) => !s.includes("\0"))));
  }

  /** A start position for find and match: 5.3 answers nil past the end, where 5.1 clamps. */
  private init(): number {
    return this.options.lua51 ? this.int(-3, 6) : this.int(-3, 1);
  }

  private gsubReplacement(depth: number): string {
    return this.choose<string>([
      [3, () => quote(this.pick(this.options.lua51 ? [...GSUB_TEMPLATES, "%2-%1", "%a", "%"] : GSUB_TEMPLATES))],
      [2, () => `function(c, ...) return ${this.pick(["c:upper()", "nil", "false", "#c", "c .. select('#', ...)", "c:rep(2)"])} end`],
      [1, () => `{a = 'A', b = ${this.expr("num", depth)}, ["1"] = true}`],
      [0.5, () => this.expr("num", 0)],
    ]);
  }

  private formatCall(depth: number): string {
    const specs = Array.from({ length: this.int(1, 3) }, () => this.pick(FORMATS));
    const args = specs.flatMap((spec) => {
      if (spec === "%%") return [];
      if (/[sq]\|?$/.test(spec)) {
        if (this.options.lua51) return [this.chance(0.8) ? this.expr("str", depth) : this.expr("num", depth)];
        // 5.3 rejects NUL in %s, escapes control bytes in %q and prints numbers bare there; the interpreter pads
        // %10s by characters, not bytes: plain ASCII strings only.
        return [this.ordered(this.expr("str", depth))];
      }
      if (spec === "%c") return [this.pick(["65", "97", "256 + 66", "10", ...(this.options.lua51 ? ["0"] : [])])];
      if (/[dixXouc]\|?$/.test(spec)) return [this.pick(["0", "42", "-42", "3.7", "-3.7", "255", "1e15", "'17'", "2^31", "-(2^31)", "123456789"])];
      // A -0.0 constant after a 0 one is 0 in Lua 5.1 (see the compiler's FunctionState.zero), not in 5.3.
      return [this.chance(0.8) ? this.expr("num", depth) : this.pick(["1/0", "-1/0", "0.1", "1e-5", "123456789.123", "'2.5'", "2^60", ...(this.options.lua51 ? ["-0.0"] : [])])];
    });
    const fmt = specs.join(this.pick(["", " ", ","]));
    return `string.format(${quote(fmt)}${args.map((a) => `, ${a}`).join("")})`;
  }

  private jsonValue(depth: number): string {
    // The interpreter's cjson reads bytes above 127 as UTF-8: strings without them when it is the reference.
    const text = (d: number) => (this.options.lua51 ? this.expr("str", d) : this.ordered(this.expr("str", d)));
    return this.choose<string>([
      [2, () => `{${Array.from({ length: this.int(0, 3) }, () => this.pick([this.expr("num", 0), text(0), "true", "false", "{}", "{1, {2}}"])).join(", ")}}`],
      [1, () => `{${this.pick(["k", "key", "x"])} = ${this.chance(0.4) ? text(depth) : this.expr(this.pick<Kind>(["num", "bool"]), depth)}}`],
      [1, () => text(depth)],
      [1, () => this.expr("num", depth)],
      [0.5, () => "{[1] = 'a', [3] = 'c'}"],
      [0.3, () => this.pick(["{[1] = 1, [100] = 2}", "1/0", "function() end", "cjson.null", "{{{{{{1}}}}}}", ...(this.options.lua51 ? ["{[true] = 1}"] : [])])],
      [1, () => `cjson.decode(${quote(this.pick(JSON_TEXTS.slice(0, 10)))})`],
    ]);
  }

  private boolExpr(depth: number): string {
    const d = depth - 1;
    return this.choose<string>([
      [4, () => this.group(`${this.expr("num", d)} ${this.pick(["<", "<=", ">", ">=", "==", "~="])} ${this.expr("num", d)}`)],
      [2, () => this.group(`${this.ordered(this.expr("str", d))} ${this.pick(["<", "<=", ">", ">=", "==", "~="])} ${this.ordered(this.expr("str", d))}`)],
      [2, () => this.group(`${this.expr("any", d)} ${this.pick(["==", "~="])} ${this.expr("any", d)}`)],
      [2, () => `not ${this.operand(this.expr(this.pick<Kind>(["bool", "any"]), d))}`],
      [2, () => this.group(`${this.expr("bool", d)} ${this.pick(["and", "or"])} ${this.expr("bool", d)}`)],
      [1, () => `type(${this.expr("any", d)}) == ${quote(this.pick(["number", "string", "nil", "table", "boolean"]))}`],
      [1, () => `rawequal(${this.expr("any", d)}, ${this.expr("any", d)})`],
      [1, () => `(pcall(${this.pcallTarget(d)}))`],
      [1, () => `(string.find(${this.expr("str", d)}, ${quote(this.pick(["a", ".", "%d", "b", ""]))}, 1, true) ~= nil)`],
      [1, () => this.callOf("bool", d)],
      [this.options.lua51 ? (this.ctx.guarded ? 0.5 : 0.05) : 0, () => this.group(`${this.expr("any", d)} ${this.pick(["<", ">="])} ${this.expr("any", d)}`)],
    ]);
  }

  private pcallTarget(depth: number): string {
    return this.choose<string>([
      [2, () => `function() return ${this.withScope(() => this.expr("any", depth), { vararg: false, fnDepth: this.ctx.fnDepth + 1 })} end`],
      [1, () => `error, ${this.expr("str", 0)}`],
      [1, () => `string.rep, ${this.expr("str", 0)}, ${this.int(0, 2)}`],
      [1, () => `tostring, ${this.scalar(0)}`],
      [1, () => `assert, ${this.expr("any", 0)}, 'm'`],
    ]);
  }

  private tabExpr(depth: number): string {
    const d = depth - 1;
    return this.choose<string>([
      [4, () => this.tableConstructor(d)],
      [1, () => `{${this.multiCall()}}`],
      [1, () => `{string.byte(${this.expr("str", d)}, 1, -1)}`],
      [this.ctx.vararg ? 1 : 0, () => `{...}`],
      [1, () => this.callOf("tab", d)],
      [this.options.redis ? 1 : 0, () => `cjson.decode(${quote(this.pick(["[1,2,3]", '{"a":1}', '[1,"two",false]', '{"a":[1,{"b":2}],"c":"d"}', "[]"]))})`],
      [this.options.redis ? 1 : 0, () => `redis.call('LRANGE', ${quote(this.pick(["l", "missing", "k"]))}, 0, -1)`],
      [this.options.lua51 ? 0.1 : 0, () => {
        // Lua 5.1 stores positional items in batches of 50, so a keyed field after the 50th is overwritten.
        const items = Array.from({ length: this.int(45, 60) }, (_, i) => String(i + 1));
        items.splice(this.int(10, items.length), 0, `[${this.pick(["1", "51", "50", "52"])}] = 'k'`);
        return `{${items.join(", ")}}`;
      }],
      [1, () => {
        const objects = this.visible().filter((v) => v.methods?.has("add"));
        return objects.length ? `${this.pick(objects).name}:add(${this.int(1, 3)})` : "{}";
      }],
    ]);
  }

  private tableConstructor(depth: number): string {
    const fields: string[] = [];
    const n = this.int(0, 5);
    for (let i = 0; i < n; i++) {
      fields.push(
        this.choose<string>([
          [4, () => this.expr(this.pick<Kind>(["num", "str", "bool", "tab"]), depth)],
          [2, () => `${this.pick(FIELD_NAMES.filter((f) => /^[a-z_]+$/.test(f)))} = ${this.expr(this.valueKind(), depth)}`],
          // [2] or [3] with no [1] leaves a hole, where the interpreter finds another border for #.
          [1, () => `[${this.pick(['"k"', this.options.lua51 ? "0" : "-2", "-1", "1.5", this.options.lua51 ? `${this.int(1, 3)}` : "1", "'a' .. 'b'"])}] = ${this.expr(this.valueKind(), depth)}`],
          [0.5, () => `${this.pick(["k", "name"])} = nil`],
        ]),
      );
    }
    if (this.chance(0.2)) fields.push(this.chance(0.5) ? "nil" : this.multiCall());
    const separators = fields.map(() => (this.chance(0.8) ? ", " : "; "));
    const body = fields.map((f, i) => (i < fields.length - 1 ? f + separators[i] : f)).join("");
    return `{${body}${fields.length > 0 && this.chance(0.1) ? "," : ""}}`;
  }

  private fnExpr(depth: number): string {
    const fns = this.varsOf("fn");
    if (fns.length && this.chance(0.5)) return this.pick(fns).name;
    return `function(${this.chance(0.5) ? "x, ..." : "..."}) return ${this.expr("any", depth - 1)} end`;
  }

  private anyExpr(depth: number): string {
    const d = depth - 1;
    return this.choose<string>([
      [3, () => this.expr(this.pick<Kind>(["num", "str", "bool", "tab"]), depth)],
      [2, () => this.callOf("any", d)],
      [2, () => this.fieldOf("any", d)],
      [1, () => `(string.match(${this.expr("str", d)}, ${this.patternArg()}))`],
      [1, () => `tonumber(${this.single(this.expr("str", d))})`],
      [1, () => `(${this.multiCall()})`],
      [this.ctx.vararg ? 1 : 0, () => this.pick(["...", "(...)", "select(2, ...)", "select(-1, ...)"])],
      [1, () => this.group(`${this.expr("any", d)} ${this.pick(["and", "or"])} ${this.expr("any", d)}`)],
      [0.5, () => "nil"],
      [this.options.redis ? 0.5 : 0, () => `redis.call(${this.redisArgs()})`],
      [this.options.redis ? 0.3 : 0, () => {
        // A status reply with a line break: Redis makes it one line, the interpreter does not.
        const texts = ["'OK'", "'-WRONG thing'", "''", "1", "nil", "'a', 'b'", ...(this.options.lua51 ? ["'x\\r\\ny'"] : [])];
        return `redis.${this.pick(["status_reply", "error_reply"])}(${this.pick(texts)})`;
      }],
      // With a wrong argument count Redis raises an error table; the interpreter raises a string.
      [this.options.redis ? 0.3 : 0, () => `redis.sha1hex(${this.pick(["''", "'abc'", "1.5", "nil", "{}", ...(this.options.lua51 ? ["'a', 'b'", ""] : [])])})`],
      [1, () => `({${this.expr("any", d)}, ${this.expr("any", d)}})[${this.int(0, 3)}]`],
    ]);
  }

  /** A call whose first value has `kind` (a generated function's, or a library one). */
  private callOf(kind: Kind, depth: number): string {
    const fns = this.visible().filter((v) => v.fn && (kind === "any" || v.fn.returns[0] === kind));
    if (fns.length > 0 && this.chance(0.7)) return this.callFn(this.pick(fns), depth);
    const objects = this.visible().filter((v) => v.methods);
    if (objects.length > 0 && this.chance(0.4)) {
      const obj = this.pick(objects);
      const methods = [...(obj.methods as Map<string, FnShape>)].filter(([, m]) => kind === "any" || m.returns[0] === kind);
      if (methods.length > 0) {
        const [name, shape] = this.pick(methods);
        return `${obj.name}:${name}(${this.args(shape, depth)})`;
      }
    }
    return this.atom(kind);
  }

  private callFn(fn: Var, depth: number): string {
    const shape = fn.fn as FnShape;
    const call = `${fn.name}(${this.args(shape, depth)})`;
    return this.chance(0.2) ? `(${call})` : call;
  }

  private args(shape: FnShape, depth: number): string {
    const values = shape.params.map((k) => this.expr(k, depth));
    // A missing argument is nil: 5.3 checks nil arguments of natives otherwise than 5.1 (ipairs(nil) indexes nil).
    if (this.ctx.guarded && this.options.lua51 && this.chance(0.2)) values.pop();
    if (shape.vararg) {
      const extra = this.int(0, 3);
      for (let i = 0; i < extra; i++) values.push(this.expr(shape.extra ?? this.pick<Kind>(["num", "str", "bool"]), 0));
      if (this.chance(0.3) && shape.extra === undefined) values.push(this.multiCall());
    }
    return values.join(", ");
  }

  /** An expression that may give several values (or none) where they all count. */
  private multiCall(): string {
    const fns = this.visible().filter((v) => v.fn);
    return this.choose<string>([
      [fns.length ? 4 : 0, () => this.callFn(this.pick(fns), 1)],
      [2, () => `string.find(${this.expr("str", 1)}, ${this.patternArg()})`],
      [1, () => `string.match(${this.expr("str", 1)}, ${this.patternArg()})`],
      [1, () => `string.gsub(${this.expr("str", 1)}, ${this.patternArg(true)}, ${this.gsubReplacement(0)})`],
      [1, () => `string.byte(${this.expr("str", 1)}, ${this.int(-3, 2)}, ${this.int(-1, 4)})`],
      [1, () => `pcall(${this.pcallTarget(1)})`],
      [1, () => `select(${this.pick(["1", "2", "3", "-1", "-2"])}, ${this.expr("num", 0)}, ${this.expr("str", 0)}, ${this.expr("bool", 0)})`],
      [1, () => `unpack({${this.expr("num", 0)}, ${this.expr("str", 0)}}${this.chance(0.3) ? `, ${this.int(1, 2)}, ${this.int(1, 3)}` : ""})`],
      [this.ctx.vararg ? 1.5 : 0, () => "..."],
      [0.5, () => `math.modf(${this.expr("num", 0)})`],
      [0.5, () => `next({${this.expr("num", 0)}})`],
      [0.5, () => `(function() end)()`],
    ]);
  }

  private fieldOf(kind: Kind, depth: number): string {
    const tables = this.varsOf("tab").filter((t) => t.fields && [...t.fields.values()].some((k) => kind === "any" || k === kind));
    if (tables.length > 0) {
      const t = this.pick(tables);
      const names = [...(t.fields as Map<string, Kind>)].filter(([, k]) => kind === "any" || k === kind).map(([name]) => name);
      const name = this.pick(names);
      return this.chance(0.7) ? `${t.name}.${name}` : `${t.name}[${quote(name)}]`;
    }
    if (kind === "any") {
      const any = this.varsOf("tab");
      if (any.length > 0) return `${this.pick(any).name}[${this.pick(["1", "2", "'n'", "#" + (any[0] as Var).name, "0"])}]`;
    }
    return this.atom(kind === "any" ? "any" : kind);
  }
}

/** A Lua 5.1 string literal for binary text (decimal escapes: 5.1 has no \x). */
function quote(text: string): string {
  let out = "'";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i] as string;
    if (ch === "'" || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (code < 32 || code > 126) out += `\\${String(code).padStart(3, "0")}`;
    else out += ch;
  }
  return `${out}'`;
}
