/**
 * NaN's sign bit, which glibc prints ("nan" / "-nan") and which JavaScript keeps in a Float64Array: x86
 * makes 0/0 negative, strtod("nan") positive, and negation flips it, the same in Lua 5.1 as here.
 */
const bits = new Float64Array(1);
const words = new BigUint64Array(bits.buffer);

export function signedNaN(negative: boolean): number {
  words[0] = negative ? 0xfff8000000000000n : 0x7ff8000000000000n;
  return bits[0] as number;
}

export function isNegativeNaN(value: number): boolean {
  bits[0] = value;
  return (words[0] as bigint) >> 63n === 1n;
}
