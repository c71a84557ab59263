/**
 * Redis's stringmatchlen (KEYS, SCAN MATCH, PSUBSCRIBE): `*`, `?`, `[...]` with ranges and `^`, `\` escapes.
 * A port of the C code, including its quirks (unterminated `[`, reversed ranges).
 */
export function globMatch(pattern: string, text: string): boolean {
  const skipLonger = { value: false };
  return match(pattern, 0, text, 0, skipLonger, 0);
}

function match(p: string, pi: number, s: string, si: number, skipLonger: { value: boolean }, nesting: number): boolean {
  if (nesting > 1000) return false;
  const pEnd = p.length;
  const sEnd = s.length;
  while (pi < pEnd && si < sEnd) {
    const c = p[pi];
    if (c === "*") {
      while (pi + 1 < pEnd && p[pi + 1] === "*") pi++;
      if (pi + 1 === pEnd) return true;
      while (si < sEnd) {
        if (match(p, pi + 1, s, si, skipLonger, nesting + 1)) return true;
        if (skipLonger.value) return false;
        si++;
      }
      skipLonger.value = true;
      return false;
    } else if (c === "?") {
      si++;
    } else if (c === "[") {
      pi++;
      const not = p[pi] === "^";
      if (not) pi++;
      let matched = false;
      for (;;) {
        if (p[pi] === "\\" && pEnd - pi >= 2) {
          pi++;
          if (p[pi] === s[si]) matched = true;
        } else if (p[pi] === "]") {
          break;
        } else if (pi >= pEnd) {
          pi--;
          break;
        } else if (pEnd - pi >= 3 && p[pi + 1] === "-") {
          let start = p.charCodeAt(pi);
          let end = p.charCodeAt(pi + 2);
          const code = s.charCodeAt(si);
          if (start > end) [start, end] = [end, start];
          pi += 2;
          if (code >= start && code <= end) matched = true;
        } else if (p[pi] === s[si]) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
    } else {
      if (c === "\\" && pEnd - pi >= 2) pi++;
      if (p[pi] !== s[si]) return false;
      si++;
    }
    pi++;
    if (si === sEnd) {
      while (p[pi] === "*") pi++;
      break;
    }
  }
  return pi >= pEnd && si === sEnd;
}
