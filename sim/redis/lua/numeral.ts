/**
 * Lua 5.1's string -> number conversion (luaO_str2d): C `strtod` on the string up to its first NUL byte,
 * then only trailing spaces allowed. So, unlike Lua 5.3, "nan", "inf", "infinity" and "nan(...)" are
 * numbers, hex numerals are never wrapped to an integer type, and "5\0x" reads as 5.
 */
import { signedNaN } from "../nan.ts";

const NUMERAL =
  /^[ \t\n\v\f\r]*([+-]?)(?:0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?|((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)|(inf(?:inity)?)|(nan(?:\([0-9A-Za-z_]*\))?))[ \t\n\v\f\r]*$/i;

function hexValue(whole: string, fraction: string, exponent: string | undefined): number | null {
  if (whole === "" && fraction === "") return null;
  return Number(BigInt(`0x${whole}${fraction}`)) * 2 ** (Number(exponent ?? 0) - 4 * fraction.length);
}

export function lua51StringToNumber(bytes: Uint8Array): number | null {
  let text = "";
  for (const byte of bytes) {
    if (byte === 0) break;
    // Bytes beyond ASCII are never part of a numeral; any stand-in fails the match the same way.
    text += String.fromCharCode(byte);
  }
  const match = NUMERAL.exec(text);
  if (match === null) return null;
  const [, sign, hexWhole, hexFraction, hexExponent, decimal, infinite, nan] = match;
  const negative = sign === "-";
  let value: number | null;
  if (nan !== undefined) return signedNaN(negative);
  if (infinite !== undefined) value = Infinity;
  else if (decimal !== undefined) value = Number(decimal);
  else value = hexValue(hexWhole ?? "", hexFraction ?? "", hexExponent);
  if (value === null) return null;
  return negative ? -value : value;
}
