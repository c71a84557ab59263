/**
 * Lua 5.1's string -> number conversion (luaO_str2d): C `strtod` on the string up to its first NUL byte,
 * then only trailing spaces allowed. So, unlike Lua 5.3, "nan", "inf", "infinity" and "nan(...)" are
 * numbers, hex numerals are never wrapped to an integer type, and "5\0x" reads as 5.
 */
import { strtod } from "../numbers.ts";

/** The string up to its first NUL byte, as C sees it; bytes beyond ASCII are never part of a numeral. */
function cString(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) {
    if (byte === 0) break;
    text += String.fromCharCode(byte);
  }
  return text;
}

export function lua51StringToNumber(bytes: Uint8Array): number | null {
  const text = cString(bytes);
  const read = strtod(text);
  if (read === null || !/^[ \t\n\v\f\r]*$/.test(text.slice(read.end))) return null;
  return read.value;
}
