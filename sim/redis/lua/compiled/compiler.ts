import luaparse from "luaparse";
import type * as ast from "luaparse";
import { lua51StringToNumber } from "../numeral.ts";
import { luaPow } from "./operators.ts";

/**
 * Lua 5.1 source to the body of a JS function `(KEYS, ARGV) => value`. Locals become JS `let`s (renamed, so
 * shadowing and closures behave as in Lua), operators go through the helpers in operators.ts, calls record the
 * calling line for the errors natives raise. A script that reaches anything this does not translate (a global it
 * does not implement, a library table used as a value, metatables, syntax luaparse reads differently) is not
 * compiled at all: the caller runs it on the interpreter instead.
 */
export class NotCompilable extends Error {}

/** How a global name reads in compiled code. */
export type GlobalBinding =
  | { kind: "value"; js: string; native: boolean }
  | { kind: "library"; members: ReadonlyMap<string, string | null> }
  | { kind: "unsupported" }
  | { kind: "missing" };

export interface CompileEnvironment {
  global(name: string): GlobalBinding;
  /** A native (by its JS name) that always returns exactly one value: its calls need no `first()`. */
  singleValued(js: string): boolean;
}

interface FunctionState {
  depth: number;
  temps: number;
  vararg: boolean;
  /**
   * The function's zero constant once it has one. Lua 5.1 keeps one constant per value and 0 == -0, so every
   * 0 and -0 constant of a function takes the sign of the first one it registers: with `local z = 0`
   * before it, `-0` is 0; with `local z = -0` before it, `0` is -0.
   */
  zero: number | null;
}

interface Local {
  js: string;
  depth: number;
}

class Scope {
  private readonly names = new Map<string, Local>();
  constructor(readonly parent: Scope | null) {}

  find(name: string): Local | null {
    return this.names.get(name) ?? this.parent?.find(name) ?? null;
  }

  add(name: string, local: Local): void {
    this.names.set(name, local);
  }
}

type Token = { type: number; value: string; range: [number, number] };
/** luaparse's token type codes (its `tokenTypes`, which its type declarations omit). */
const TOKEN = { EOF: 1, StringLiteral: 2, Identifier: 8, Punctuator: 32 };

const READONLY = "Attempt to modify a readonly table";
const FIELDS_PER_FLUSH = 50;
const ARITH: Record<string, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "^": "pow" };

function lineOf(node: ast.Node, end = false): number {
  const loc = (node as { loc?: { start: { line: number }; end: { line: number } } }).loc;
  if (!loc) return 0;
  return end ? loc.end.line : loc.start.line;
}

function rangeOf(node: ast.Node): [number, number] {
  return (node as unknown as { range: [number, number] }).range;
}

const isMultiNode = (node: ast.Expression): boolean =>
  node.type === "CallExpression" || node.type === "StringCallExpression" || node.type === "TableCallExpression" || node.type === "VarargLiteral";

export class LuaToJs {
  private nextId = 0;
  private fn: FunctionState = { depth: 0, temps: 0, vararg: true, zero: null };
  private readonly tokens: Token[];
  private readonly tokenAt = new Map<number, number>();

  constructor(
    private readonly source: string,
    private readonly env: CompileEnvironment,
  ) {
    this.tokens = lex(source);
    this.tokens.forEach((token, i) => this.tokenAt.set(token.range[0], i));
  }

  compile(): string {
    let chunk: ast.Chunk;
    try {
      chunk = luaparse.parse(this.source, { luaVersion: "5.1", locations: true, ranges: true, comments: false, encodingMode: "pseudo-latin1" });
    } catch (error) {
      throw new NotCompilable(`luaparse: ${(error as Error).message}`);
    }
    return this.functionBody([], true, chunk.body, new Scope(null), ["KEYS", "ARGV"]);
  }

  // ---- functions and blocks ----

  /** `fixed` are JS parameters passed before the Lua ones (the main chunk's KEYS and ARGV). */
  private functionBody(params: string[], vararg: boolean, body: ast.Statement[], scope: Scope, fixed: string[] = []): string {
    const outer = this.fn;
    this.fn = { depth: outer.depth + 1, temps: 0, vararg, zero: null };
    const inner = new Scope(scope);
    const jsParams = [...fixed, ...params.map((name) => this.declare(inner, name))];
    if (vararg) jsParams.push("...va$");
    let compat = "";
    if (vararg && fixed.length === 0 && mentions(body, "arg")) {
      // Lua 5.1's LUA_COMPAT_VARARG: a vararg function has a local `arg` after its parameters, the table of
      // its extra arguments with their count in n, or nil when the function itself uses `...`.
      compat = `let ${this.declare(inner, "arg")} = ${usesVararg(body) ? "undefined" : "varargTable(va$)"};`;
    }
    const code = compat + this.block(body, inner);
    const temps = Array.from({ length: this.fn.temps }, (_, i) => `$${i + 1}`);
    const tail = body.at(-1)?.type === "ReturnStatement" ? "" : "return NOTHING;";
    this.fn = outer;
    return `(${jsParams.join(", ")}) => {${temps.length ? `let ${temps.join(", ")};` : ""}${code}${tail}}`;
  }

  private declare(scope: Scope, name: string): string {
    const js = `${name}$${++this.nextId}`;
    scope.add(name, { js, depth: this.fn.depth });
    return js;
  }

  private temp(): string {
    return `$${++this.fn.temps}`;
  }

  private block(statements: ast.Statement[], scope: Scope): string {
    return statements.map((statement) => this.statement(statement, scope)).join("\n");
  }

  // ---- statements ----

  private statement(node: ast.Statement, scope: Scope): string {
    switch (node.type) {
      case "LocalStatement":
        return this.localStatement(node, scope);
      case "AssignmentStatement":
        return this.assignment(node, scope);
      case "CallStatement":
        return `${this.call(node.expression as ast.CallExpression, scope)};`;
      case "FunctionDeclaration":
        return this.functionStatement(node, scope);
      case "IfStatement":
        return this.ifStatement(node, scope);
      case "WhileStatement":
        return `while (${this.condition(node.condition, scope)}) {${this.block(node.body, new Scope(scope))}}`;
      case "RepeatStatement": {
        const inner = new Scope(scope);
        return `for (;;) {${this.block(node.body, inner)}\nif (${this.condition(node.condition, inner)}) break;}`;
      }
      case "DoStatement":
        return `{${this.block(node.body, new Scope(scope))}}`;
      case "ForNumericStatement":
        return this.numericFor(node, scope);
      case "ForGenericStatement":
        return this.genericFor(node, scope);
      case "ReturnStatement":
        return this.returnStatement(node, scope);
      case "BreakStatement":
        return "break;";
      default:
        throw new NotCompilable(`statement ${node.type}`);
    }
  }

  private localStatement(node: ast.LocalStatement, scope: Scope): string {
    const values = this.expressionList(node.init, scope, node.variables.length);
    const names = node.variables.map((variable) => this.declare(scope, variable.name));
    return `${values.setup}let ${names.map((name, i) => `${name} = ${values.items[i] ?? "undefined"}`).join(", ")};`;
  }

  /**
   * `count` values of an expression list, as JS expressions to read once each, after `setup` (which evaluates
   * everything, in order, including expressions beyond `count` for their side effects).
   */
  private expressionList(list: ast.Expression[], scope: Scope, count: number): { setup: string; items: string[] } {
    if (count === list.length && (count === 1 || (count === 0 && list.length === 0))) {
      return { setup: "", items: list.map((item) => this.expression(item, scope)) };
    }
    const temps: string[] = [];
    let setup = "";
    list.forEach((item, i) => {
      const last = i === list.length - 1;
      if (last && this.isMulti(item) && i < count) {
        const spread = this.temp();
        setup += `${spread} = ${this.multi(item, scope)};`;
        for (let k = i; k < count; k++) temps.push(`${spread}[${k - i}]`);
        return;
      }
      const temp = this.temp();
      setup += `${temp} = ${this.expression(item, scope)};`;
      if (i < count) temps.push(temp);
    });
    return { setup, items: temps };
  }

  private assignment(node: ast.AssignmentStatement, scope: Scope): string {
    if (node.variables.length === 1 && node.init.length === 1) {
      const init = node.init[0] as ast.Expression;
      const target = node.variables[0] as ast.Expression;
      const line = lineOf(init, true);
      const lazy = (target.type === "MemberExpression" || target.type === "IndexExpression") && this.readsLocalLate(target, init, scope);
      if (!lazy) return this.assignTo(target, this.expression(init, scope), scope, line);
      // The table or key is a local of this function, read when the store runs, after the value.
      const indexed = target as ast.MemberExpression | ast.IndexExpression;
      let setup = "";
      const part = (expr: ast.Expression): string => {
        if (this.isFrameLocal(expr, scope) || isSimple(expr)) return this.expression(expr, scope);
        const temp = this.temp();
        setup += `${temp} = ${this.expression(expr, scope)};`;
        return temp;
      };
      const object = part(indexed.base);
      const key = indexed.type === "IndexExpression" ? part(indexed.index) : null;
      const value = this.temp();
      setup += `${value} = ${this.expression(init, scope)};`;
      return setup + this.assignTo(target, value, scope, line, object, key);
    }
    // Lua evaluates the targets' tables and keys, then the values, then assigns (Lua 5.1: right to left). A
    // table or key that is a local of this function is read when its store runs, unless a later target assigns
    // that local (lparser.c's check_conflict then copies it first).
    let setup = "";
    const assignedLater = (i: number, part: ast.Expression) =>
      node.variables.slice(i + 1).some((later) => later.type === "Identifier" && part.type === "Identifier" && later.name === part.name);
    const operand = (i: number, part: ast.Expression): string => {
      if (this.isFrameLocal(part, scope) && !assignedLater(i, part)) return this.expression(part, scope);
      const temp = this.temp();
      setup += `${temp} = ${this.expression(part, scope)};`;
      return temp;
    };
    const targets = node.variables.map((target, i) => {
      if (target.type === "MemberExpression") return { target, object: operand(i, target.base), key: null as string | null };
      if (target.type === "IndexExpression") {
        const object = operand(i, target.base);
        return { target, object, key: operand(i, target.index) };
      }
      return { target, object: null, key: null };
    });
    const values = this.expressionList(node.init, scope, node.variables.length);
    setup += values.setup;
    const line = lineOf(node.init.at(-1) as ast.Expression, true);
    const assigns = targets
      .map(({ target, object, key }, i) => this.assignTo(target as ast.Expression, values.items[i] ?? "undefined", scope, line, object, key))
      .reverse();
    return `${setup}${assigns.join("")}`;
  }

  /**
   * A store, which Lua 5.1 emits once the values are read: its errors name the line where they end (`t.x = {`
   * ... `}` with t nil fails at the closing brace's line).
   */
  private assignTo(target: ast.Expression, value: string, scope: Scope, line: number, object: string | null = null, key: string | null = null): string {
    if (target.type === "Identifier") {
      const local = scope.find(target.name);
      if (local) return `${local.js} = ${value};`;
      const binding = this.env.global(target.name);
      if (binding.kind === "library" || binding.kind === "unsupported") throw new NotCompilable(`assignment to global ${target.name}`);
      return `${value};raise(${line}, ${JSON.stringify(READONLY)});`;
    }
    if (target.type === "MemberExpression") {
      this.rejectLibraryBase(target.base, scope);
      const base = object ?? this.expression(target.base, scope);
      return `setField(${base}, ${JSON.stringify(target.identifier.name)}, ${value}, ${line}, ${JSON.stringify(this.describe(target.base, scope))});`;
    }
    if (target.type === "IndexExpression") {
      this.rejectLibraryBase(target.base, scope);
      const base = object ?? this.expression(target.base, scope);
      const index = key ?? this.expression(target.index, scope);
      return `setIndex(${base}, ${index}, ${value}, ${line}, ${JSON.stringify(this.describe(target.base, scope))});`;
    }
    throw new NotCompilable(`assignment to ${target.type}`);
  }

  private functionStatement(node: ast.FunctionDeclaration, scope: Scope): string {
    const { params, vararg } = signature(node);
    const id = node.identifier;
    if (node.isLocal && id?.type === "Identifier") {
      const js = this.declare(scope, id.name);
      return `let ${js}; ${js} = ${this.functionBody(params, vararg, node.body, scope)};`;
    }
    if (id === null) throw new NotCompilable("function statement without a name");
    if (id.type === "MemberExpression" && id.indexer === ":") params.unshift("self");
    const fn = this.functionBody(params, vararg, node.body, scope);
    // Lua 5.1 dates a function statement's store to its first line (funcstat's luaK_fixline).
    const first = lineOf(node);
    if (id.type === "MemberExpression") return this.assignTo({ ...id, indexer: "." } as ast.MemberExpression, fn, scope, first);
    return this.assignTo(id as ast.Expression, fn, scope, first);
  }

  private ifStatement(node: ast.IfStatement, scope: Scope): string {
    return node.clauses
      .map((clause) => {
        const body = `{${this.block(clause.body, new Scope(scope))}}`;
        if (clause.type === "ElseClause") return ` else ${body}`;
        const head = clause.type === "IfClause" ? "if" : " else if";
        return `${head} (${this.condition(clause.condition, scope)}) ${body}`;
      })
      .join("");
  }

  private numericFor(node: ast.ForNumericStatement, scope: Scope): string {
    const line = lineOf(node);
    const [start, limit, step, i] = [this.temp(), this.temp(), this.temp(), this.temp()];
    const setup =
      `${start} = forNumber(${this.expression(node.start, scope)}, "initial value", ${line});` +
      `${limit} = forNumber(${this.expression(node.end, scope)}, "limit", ${line});` +
      `${step} = ${node.step ? `forNumber(${this.expression(node.step, scope)}, "step", ${line})` : "1"};`;
    const inner = new Scope(scope);
    const variable = this.declare(inner, node.variable.name);
    const body = this.block(node.body, inner);
    // Lua 5.1's FORPREP subtracts the step and FORLOOP adds it back before the first test: with a fractional
    // step, (start - step) + step need not be start (for i = 0.1, 1, 0.7 starts at 0.09999999999999998).
    return `${setup}for (${i} = ${start} - ${step}; (${i} += ${step}, ${step} > 0 ? ${i} <= ${limit} : ${i} >= ${limit}); ) {let ${variable} = ${i};${body}}`;
  }

  private genericFor(node: ast.ForGenericStatement, scope: Scope): string {
    const line = lineOf(node);
    const iterator = this.temp();
    const values = this.expressionList(node.iterators, scope, 3);
    const inner = new Scope(scope);
    const names = node.variables.map((variable) => this.declare(inner, variable.name));
    const reads = names.map((name, i) => `${name} = ${i === 0 ? `${iterator}.a` : i === 1 ? `${iterator}.b` : `${iterator}.rest[${i - 2}]`}`);
    const body = this.block(node.body, inner);
    return `${values.setup}${iterator} = forIterator([${values.items.join(", ")}], ${line});while (${iterator}.step()) {let ${reads.join(", ")};${body}}`;
  }

  private returnStatement(node: ast.ReturnStatement, scope: Scope): string {
    const args = node.arguments;
    if (args.length === 0) return "return NOTHING;";
    if (args.length === 1) {
      const only = args[0] as ast.Expression;
      if (only.type === "VarargLiteral" && !this.isParenthesized(only)) return "return new Multi(va$);";
      if (this.isMulti(only)) return `return ${this.call(only as ast.CallExpression, scope)};`;
      return `return ${this.expression(only, scope)};`;
    }
    return `return new Multi(${this.arrayOf(args, scope)});`;
  }

  // ---- expressions ----

  /** Every value of an expression list as a JS array expression (the last one spread when it is multi). */
  private arrayOf(list: ast.Expression[], scope: Scope): string {
    const items = list.map((item, i) => (i === list.length - 1 && this.isMulti(item) ? `...${this.multi(item, scope)}` : this.expression(item, scope)));
    return `[${items.join(", ")}]`;
  }

  /** A call or `...` in a context that takes all its values, unless parenthesized. */
  private isMulti(node: ast.Expression): boolean {
    return isMultiNode(node) && !this.isParenthesized(node);
  }

  /** All values of a multi expression, as a JS array. */
  private multi(node: ast.Expression, scope: Scope): string {
    if (node.type === "VarargLiteral") return "va$";
    return `all(${this.call(node as ast.CallExpression, scope)})`;
  }

  /** A condition as a JS boolean. */
  private condition(node: ast.Expression, scope: Scope): string {
    if (node.type === "BinaryExpression" && ["==", "~=", "<", "<=", ">", ">="].includes(node.operator)) return this.expression(node, scope);
    if (node.type === "UnaryExpression" && node.operator === "not") return this.expression(node, scope);
    if (node.type === "BooleanLiteral") return String(node.value);
    return `truthy(${this.expression(node, scope)})`;
  }

  /** A single-valued JS expression. */
  private expression(node: ast.Expression, scope: Scope): string {
    switch (node.type) {
      case "NilLiteral":
        return "undefined";
      case "BooleanLiteral":
        return String(node.value);
      case "NumericLiteral":
        return this.constant(literalValue(node.raw));
      case "StringLiteral": {
        const value = stringValue(node);
        if (value === null) throw new NotCompilable("string literal without a value");
        return JSON.stringify(value);
      }
      case "VarargLiteral":
        if (!this.fn.vararg) throw new NotCompilable("'...' outside a vararg function");
        return "va$[0]";
      case "FunctionDeclaration": {
        const { params, vararg } = signature(node);
        return `(${this.functionBody(params, vararg, node.body, scope)})`;
      }
      case "Identifier":
        return this.identifier(node, scope);
      case "MemberExpression":
        return this.member(node, scope);
      case "IndexExpression":
        return this.indexExpression(node, scope);
      case "CallExpression":
      case "StringCallExpression":
      case "TableCallExpression": {
        const native = this.staticNative(node.base, scope);
        const call = this.call(node, scope);
        return native !== null && this.env.singleValued(native) ? call : `first(${call})`;
      }
      case "TableConstructorExpression":
        return this.table(node, scope);
      case "BinaryExpression":
        return this.binary(node, scope);
      case "LogicalExpression": {
        // A numeric constant is true: Lua 5.1 compiles `k and x` to x alone (k is not even registered).
        if (node.operator === "and" && folded(node.left) !== null) return this.expression(node.right, scope);
        const temp = this.temp();
        const left = this.expression(node.left, scope);
        const right = this.expression(node.right, scope);
        return node.operator === "and" ? `(truthy(${temp} = ${left}) ? ${right} : ${temp})` : `(truthy(${temp} = ${left}) ? ${temp} : ${right})`;
      }
      case "UnaryExpression":
        return this.unary(node, scope);
      default:
        throw new NotCompilable(`expression ${(node as ast.Node).type}`);
    }
  }

  private identifier(node: ast.Identifier, scope: Scope): string {
    const local = scope.find(node.name);
    if (local) return local.js;
    if (node.name === "KEYS" || node.name === "ARGV") return node.name;
    const binding = this.env.global(node.name);
    switch (binding.kind) {
      case "value":
        return binding.js;
      case "missing":
        return `raise(${lineOf(node)}, ${JSON.stringify(`Script attempted to access nonexistent global variable '${node.name}'`)})`;
      default:
        throw new NotCompilable(`global ${node.name}`);
    }
  }

  /** A library member (`string.format`) resolved at compile time, or null when the base is not a library. */
  private libraryMember(base: ast.Expression, name: string, scope: Scope): string | null {
    if (base.type !== "Identifier" || scope.find(base.name)) return null;
    const binding = this.env.global(base.name);
    if (binding.kind !== "library") return null;
    if (!binding.members.has(name)) return "undefined";
    const js = binding.members.get(name);
    if (js === null || js === undefined) throw new NotCompilable(`${base.name}.${name}`);
    return js;
  }

  private rejectLibraryBase(base: ast.Expression, scope: Scope): void {
    if (base.type === "Identifier" && !scope.find(base.name) && this.env.global(base.name).kind === "library") {
      throw new NotCompilable(`write into library ${base.name}`);
    }
  }

  private member(node: ast.MemberExpression, scope: Scope): string {
    const name = node.identifier.name;
    const resolved = this.libraryMember(node.base, name, scope);
    if (resolved !== null) return resolved;
    return `field(${this.expression(node.base, scope)}, ${JSON.stringify(name)}, ${lineOf(node, true)}, ${JSON.stringify(this.describe(node.base, scope))})`;
  }

  private indexExpression(node: ast.IndexExpression, scope: Scope): string {
    const key = node.index.type === "StringLiteral" ? stringValue(node.index) : null;
    if (key !== null) {
      const resolved = this.libraryMember(node.base, key, scope);
      if (resolved !== null) return resolved;
    }
    this.rejectLibraryBase(node.base, scope);
    const base = this.expression(node.base, scope);
    const desc = JSON.stringify(this.describe(node.base, scope));
    if (key !== null) return `field(${base}, ${JSON.stringify(key)}, ${lineOf(node, true)}, ${desc})`;
    if (this.isFrameLocal(node.base, scope) && !isSimple(node.index)) {
      // The local table is read when the index runs, after the key (as for a binary operator).
      const temp = this.temp();
      return `(${temp} = ${this.expression(node.index, scope)}, index(${base}, ${temp}, ${lineOf(node, true)}, ${desc}))`;
    }
    return `index(${base}, ${this.expression(node.index, scope)}, ${lineOf(node, true)}, ${desc})`;
  }

  /** How Lua 5.1 names an operand in a type error. */
  private describe(node: ast.Expression, scope: Scope): string {
    if (node.type === "Identifier") {
      const local = scope.find(node.name);
      if (local) return local.depth === this.fn.depth ? `local '${node.name}'` : `upvalue '${node.name}'`;
      return `global '${node.name}'`;
    }
    if (node.type === "MemberExpression") return `field '${node.identifier.name}'`;
    if (node.type === "IndexExpression" && node.index.type === "StringLiteral" && stringValue(node.index) !== null) return `field '${stringValue(node.index)}'`;
    return "";
  }

  private call(node: ast.CallExpression | ast.StringCallExpression | ast.TableCallExpression, scope: Scope): string {
    const args: ast.Expression[] =
      node.type === "CallExpression" ? node.arguments : node.type === "StringCallExpression" ? [node.argument] : [node.arguments];
    const line = lineOf(node.base, true);
    const base = node.base;
    let setup = "";
    let callee: string;
    let self: string | null = null;
    let known = false;
    let desc = "";
    if (base.type === "MemberExpression" && base.indexer === ":") {
      self = this.temp();
      callee = this.temp();
      desc = `method '${base.identifier.name}'`;
      setup += `${self} = ${this.expression(base.base, scope)}, ${callee} = field(${self}, ${JSON.stringify(base.identifier.name)}, ${line}, ${JSON.stringify(this.describe(base.base, scope))}), `;
    } else {
      const direct = this.staticNative(base, scope);
      if (direct !== null) {
        callee = direct;
        known = true;
      } else {
        callee = this.temp();
        desc = this.describe(base, scope);
        setup += `${callee} = ${this.expression(base, scope)}, `;
      }
    }
    if (base.type === "Identifier" && base.name === "error" && !scope.find("error") && args.length >= 2) {
      const level = args[1] as ast.Expression;
      // Level 2 and up name a caller's line, which compiled code does not track.
      if (!(level.type === "NumericLiteral" && (level.value === 0 || level.value === 1))) throw new NotCompilable("error with a level");
    }
    const argList = this.callArguments(args, scope);
    setup += argList.setup;
    const values = self === null ? argList.items : [self, ...argList.items];
    const invoke = `(position.line = ${self === null ? line : -line}, ${callee}(${values.join(", ")}))`;
    if (known) return `(${setup}${invoke})`;
    return `(${setup}typeof ${callee} === "function" ? ${invoke} : callError(${callee}, ${line}, ${JSON.stringify(desc)}))`;
  }

  /** Arguments evaluated in order into temps (so that the call's line is recorded after any call among them). */
  private callArguments(args: ast.Expression[], scope: Scope): { setup: string; items: string[] } {
    const simple = args.every((arg) => isSimple(arg));
    if (simple) return { setup: "", items: args.map((arg) => this.expression(arg, scope)) };
    let setup = "";
    const items = args.map((arg, i) => {
      const temp = this.temp();
      if (i === args.length - 1 && this.isMulti(arg)) {
        setup += `${temp} = ${this.multi(arg, scope)}, `;
        return `...${temp}`;
      }
      setup += `${temp} = ${this.expression(arg, scope)}, `;
      return temp;
    });
    return { setup, items };
  }

  /** A callee known at compile time: a library member or a builtin function read as a global. */
  private staticNative(base: ast.Expression, scope: Scope): string | null {
    if (base.type === "MemberExpression" && base.indexer === ".") {
      const resolved = this.libraryMember(base.base, base.identifier.name, scope);
      return resolved === "undefined" ? null : resolved;
    }
    if (base.type === "Identifier" && !scope.find(base.name)) {
      const binding = this.env.global(base.name);
      if (binding.kind === "value" && binding.native) return binding.js;
    }
    return null;
  }

  private table(node: ast.TableConstructorExpression, scope: Scope): string {
    const fields = node.fields;
    if (fields.every((f) => f.type === "TableValue")) {
      return `new LuaTable(${this.arrayOf(fields.map((f) => f.value), scope)})`;
    }
    // Keyed fields are stored as they come; positional ones in batches, as Lua 5.1's SETLIST does: a batch of
    // 50 (LFIELDS_PER_FLUSH) is stored when the next field starts, the last one at the end.
    const table = this.temp();
    let code = `${table} = new LuaTable(), `;
    let positional: string[] = [];
    let stored = 0;
    fields.forEach((f, i) => {
      if (positional.length === FIELDS_PER_FLUSH) {
        code += `setPositional(${table}, [${positional.join(", ")}], ${stored}), `;
        stored += FIELDS_PER_FLUSH;
        positional = [];
      }
      if (f.type === "TableValue") {
        if (i === fields.length - 1 && this.isMulti(f.value)) {
          positional.push(`...${this.multi(f.value, scope)}`);
          return;
        }
        const temp = this.temp();
        code += `${temp} = ${this.expression(f.value, scope)}, `;
        positional.push(temp);
      } else if (f.type === "TableKeyString") {
        code += `${table}.setStr(${JSON.stringify(f.key.name)}, ${this.expression(f.value, scope)}), `;
      } else {
        code += `setIndex(${table}, ${this.expression(f.key, scope)}, ${this.expression(f.value, scope)}, ${lineOf(f)}, ""), `;
      }
    });
    if (positional.length > 0) code += `setPositional(${table}, [${positional.join(", ")}], ${stored}), `;
    return `(${code}${table})`;
  }

  /** A numeric constant, registered as Lua 5.1 registers it (see FunctionState.zero). */
  private constant(value: number): string {
    if (value === 0) {
      this.fn.zero ??= value;
      return Object.is(this.fn.zero, -0) ? "(-0)" : "0";
    }
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return value < 0 ? `(${value})` : String(value);
  }

  private binary(node: ast.BinaryExpression, scope: Scope): string {
    const op = node.operator as string;
    const arith = ARITH[op];
    if (arith) {
      const value = folded(node);
      if (value !== null) return this.constant(value);
    }
    // Lua 5.1 registers a constant left operand of arithmetic only after the right operand.
    const late = arith !== undefined && folded(node.left) !== null;
    const right = late ? this.expression(node.right, scope) : "";
    const left = this.expression(node.left, scope);
    const rightText = late ? right : this.expression(node.right, scope);
    const line = lineOf(node.right, true);
    if (op !== ".." && this.isFrameLocal(node.left, scope) && !isSimple(node.right)) {
      // A local of this function stays in its register as a left operand: Lua 5.1 reads it when the operation
      // runs, after the right operand (whose calls may assign it).
      const temp = this.temp();
      const operation = arith ? `${arith}(${left}, ${temp}, ${line})` : this.nonArithmetic(op, left, temp, line);
      return `(${temp} = ${rightText}, ${operation})`;
    }
    if (arith) return `${arith}(${left}, ${rightText}, ${line})`;
    return this.nonArithmetic(op, left, rightText, line);
  }

  /** A local of the function being compiled (an upvalue is not: Lua copies it to a register when read). */
  private isFrameLocal(node: ast.Expression, scope: Scope): boolean {
    return node.type === "Identifier" && scope.find(node.name)?.depth === this.fn.depth;
  }

  /** Whether a store into `target` reads a local table or key after other parts that may run calls. */
  private readsLocalLate(target: ast.MemberExpression | ast.IndexExpression, value: ast.Expression, scope: Scope): boolean {
    const key = target.type === "IndexExpression" ? target.index : null;
    const localBase = this.isFrameLocal(target.base, scope);
    const localKey = key !== null && this.isFrameLocal(key, scope);
    if (!localBase && !localKey) return false;
    return !isSimple(value) || (localBase && key !== null && !isSimple(key));
  }

  private nonArithmetic(op: string, left: string, right: string, line: number): string {
    switch (op) {
      case "..":
        return `concat(${left}, ${right}, ${line})`;
      case "==":
        return `(${left} === ${right})`;
      case "~=":
        return `(${left} !== ${right})`;
      case "<":
        return `lt(${left}, ${right}, ${line})`;
      case "<=":
        return `le(${left}, ${right}, ${line})`;
      case ">": {
        const [a, b] = [this.temp(), this.temp()];
        return `(${a} = ${left}, ${b} = ${right}, lt(${b}, ${a}, ${line}))`;
      }
      case ">=": {
        const [a, b] = [this.temp(), this.temp()];
        return `(${a} = ${left}, ${b} = ${right}, le(${b}, ${a}, ${line}))`;
      }
      default:
        throw new NotCompilable(`operator ${op}`);
    }
  }

  private unary(node: ast.UnaryExpression, scope: Scope): string {
    // Lua 5.1 folds `not` and `-` of a numeric constant without registering the operand.
    if (node.operator === "not" && folded(node.argument) !== null) return "false";
    if (node.operator === "-") {
      const value = folded(node);
      if (value !== null) return this.constant(value);
    }
    const operand = this.expression(node.argument, scope);
    const line = lineOf(node.argument, true);
    switch (node.operator) {
      case "not":
        return `!truthy(${operand})`;
      case "-":
        return `neg(${operand}, ${line})`;
      case "#":
        return `len(${operand}, ${line}, ${JSON.stringify(this.describe(node.argument, scope))})`;
      default:
        throw new NotCompilable(`operator ${node.operator as string}`);
    }
  }

  /**
   * luaparse drops parentheses, which in Lua cut a call or `...` to one value: a multi node is parenthesized
   * when a "(" that does not open an argument list comes right before it and a ")" right after.
   */
  private isParenthesized(node: ast.Expression): boolean {
    const [start, end] = rangeOf(node);
    const at = this.tokenAt.get(start);
    if (at === undefined || at === 0) return false;
    const before = this.tokens[at - 1] as Token;
    let afterIndex = at;
    while (afterIndex < this.tokens.length && (this.tokens[afterIndex] as Token).range[1] <= end) afterIndex++;
    const after = this.tokens[afterIndex];
    if (before.value !== "(" || before.type !== TOKEN.Punctuator || after?.value !== ")") return false;
    const opener = this.tokens[at - 2];
    if (!opener) return true;
    const endsPrefix =
      opener.type === TOKEN.Identifier ||
      opener.type === TOKEN.StringLiteral ||
      (opener.type === TOKEN.Punctuator && (opener.value === ")" || opener.value === "]" || opener.value === "}"));
    return !endsPrefix;
  }
}

/** Every AST node below `node` (statements, expressions, fields), entering nested functions only when asked. */
function* descendants(node: unknown, intoFunctions: boolean): Generator<ast.Node> {
  if (Array.isArray(node)) {
    for (const item of node) yield* descendants(item, intoFunctions);
    return;
  }
  if (node === null || typeof node !== "object" || typeof (node as { type?: unknown }).type !== "string") return;
  yield node as ast.Node;
  if ((node as ast.Node).type === "FunctionDeclaration" && !intoFunctions) return;
  for (const [key, value] of Object.entries(node)) {
    if (key !== "loc" && key !== "range" && value !== null && typeof value === "object") yield* descendants(value, intoFunctions);
  }
}

/** Whether a function's own body (not the functions it defines) reads `...`. */
function usesVararg(body: ast.Statement[]): boolean {
  for (const node of descendants(body, false)) if (node.type === "VarargLiteral") return true;
  return false;
}

/** Whether a name appears anywhere in a body, nested functions included. */
function mentions(body: ast.Statement[], name: string): boolean {
  for (const node of descendants(body, true)) if (node.type === "Identifier" && node.name === name) return true;
  return false;
}

/** A string literal's bytes; Lua reads each line break in a long string (CR LF, LF CR, CR, LF) as one LF. */
function stringValue(node: ast.StringLiteral): string | null {
  if (typeof node.value !== "string") return null;
  return node.raw.startsWith("[") ? node.value.replace(/\r\n|\n\r|\r|\n/g, "\n") : node.value;
}

/** A function's named parameters and whether it takes `...`. */
function signature(node: ast.FunctionDeclaration): { params: string[]; vararg: boolean } {
  return {
    params: node.parameters.filter((p): p is ast.Identifier => p.type === "Identifier").map((p) => p.name),
    vararg: node.parameters.some((p) => p.type === "VarargLiteral"),
  };
}

/** Arguments that cannot run a call while being evaluated. */
function isSimple(node: ast.Expression): boolean {
  switch (node.type) {
    case "NilLiteral":
    case "BooleanLiteral":
    case "NumericLiteral":
    case "StringLiteral":
    case "Identifier":
      return true;
    case "MemberExpression":
      return node.indexer === "." && isSimple(node.base);
    case "IndexExpression":
      return isSimple(node.base) && isSimple(node.index);
    case "BinaryExpression":
      return node.operator === ".." || ["+", "-", "*", "/", "%"].includes(node.operator) ? isSimple(node.left) && isSimple(node.right) : false;
    default:
      return false;
  }
}

function literalValue(raw: string): number {
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  const value = lua51StringToNumber(bytes);
  if (value === null) throw new NotCompilable(`numeral ${raw}`);
  return value;
}

/**
 * The value of a numeric constant expression as Lua 5.1's parser folds it (lcode.c constfolding): numerals,
 * unary minus and arithmetic on constants, except a division or modulo by zero and a NaN result; null when
 * the expression is not folded.
 */
function folded(node: ast.Expression): number | null {
  let value: number;
  if (node.type === "NumericLiteral") return literalValue(node.raw);
  if (node.type === "UnaryExpression") {
    if (node.operator !== "-") return null;
    const operand = folded(node.argument);
    if (operand === null) return null;
    value = -operand;
  } else if (node.type === "BinaryExpression" && ARITH[node.operator] !== undefined) {
    const a = folded(node.left);
    if (a === null) return null;
    const b = folded(node.right);
    if (b === null) return null;
    switch (node.operator) {
      case "+":
        value = a + b;
        break;
      case "-":
        value = a - b;
        break;
      case "*":
        value = a * b;
        break;
      case "/":
        if (b === 0) return null;
        value = a / b;
        break;
      case "%":
        if (b === 0) return null;
        value = a - Math.floor(a / b) * b;
        break;
      default:
        value = luaPow(a, b);
    }
  } else return null;
  return Number.isNaN(value) ? null : value;
}

function lex(source: string): Token[] {
  const parser = luaparse.parse({ wait: true, luaVersion: "5.1", encodingMode: "pseudo-latin1" } as Parameters<typeof luaparse.parse>[0] & { wait: true });
  parser.write(source);
  const tokens: Token[] = [];
  try {
    for (;;) {
      const token = parser.lex();
      if (token.type === TOKEN.EOF) return tokens;
      tokens.push({ type: token.type, value: token.value, range: token.range });
    }
  } catch (error) {
    throw new NotCompilable(`luaparse: ${(error as Error).message}`);
  }
}
