import { argError, checkNumber } from "./arguments.ts";
import { luaPow, raiseNative } from "./operators.ts";
import { Multi, type LuaFunction } from "./values.ts";

/** Lua 5.1's math library; `random` draws from the engine's seeded source (see the script host). */

const unary =
  (name: string, fn: (x: number) => number): LuaFunction =>
  (...args: unknown[]) =>
    fn(checkNumber(args, 1, name));

function extreme(name: string, pick: (a: number, b: number) => boolean): LuaFunction {
  return (...args: unknown[]) => {
    let best = checkNumber(args, 1, name);
    for (let i = 2; i <= args.length; i++) {
      const value = checkNumber(args, i, name);
      if (pick(value, best)) best = value;
    }
    return best;
  };
}

export function mathFunctions(random: () => number): Record<string, unknown> {
  return {
    abs: unary("abs", Math.abs),
    acos: unary("acos", Math.acos),
    asin: unary("asin", Math.asin),
    atan: unary("atan", Math.atan),
    atan2: (...args: unknown[]) => Math.atan2(checkNumber(args, 1, "atan2"), checkNumber(args, 2, "atan2")),
    ceil: unary("ceil", Math.ceil),
    cos: unary("cos", Math.cos),
    cosh: unary("cosh", Math.cosh),
    deg: unary("deg", (x) => x * (180 / Math.PI)),
    exp: unary("exp", Math.exp),
    floor: unary("floor", Math.floor),
    fmod: (...args: unknown[]) => checkNumber(args, 1, "fmod") % checkNumber(args, 2, "fmod"),
    huge: Infinity,
    log: unary("log", Math.log),
    log10: unary("log10", Math.log10),
    max: extreme("max", (a, b) => a > b),
    min: extreme("min", (a, b) => a < b),
    modf: (...args: unknown[]) => {
      const x = checkNumber(args, 1, "modf");
      const whole = x >= 0 ? Math.floor(x) : Math.ceil(x);
      // C's modf: the fraction of an infinity is 0, and a zero fraction keeps the sign of x.
      const fraction = x === Infinity || x === -Infinity ? 0 : x - whole;
      return new Multi([whole, fraction === 0 && (x < 0 || Object.is(x, -0)) ? -0 : fraction]);
    },
    pi: Math.PI,
    pow: (...args: unknown[]) => luaPow(checkNumber(args, 1, "pow"), checkNumber(args, 2, "pow")),
    rad: unary("rad", (x) => x * (Math.PI / 180)),
    random: (...args: unknown[]) => {
      const r = random();
      if (args.length === 0) return r;
      if (args.length > 2) return raiseNative("wrong number of arguments");
      const low = args.length === 2 ? Math.floor(checkNumber(args, 1, "random")) : 1;
      const high = Math.floor(checkNumber(args, args.length, "random"));
      if (low > high) argError(args.length, "random", "interval is empty");
      return low + Math.floor(r * (high - low + 1));
    },
    randomseed: () => undefined,
    sin: unary("sin", Math.sin),
    sinh: unary("sinh", Math.sinh),
    sqrt: unary("sqrt", Math.sqrt),
    tan: unary("tan", Math.tan),
    tanh: unary("tanh", Math.tanh),
  };
}
