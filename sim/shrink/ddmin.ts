/**
 * Zeller and Hildebrandt's ddmin: a sublist of `items` that still `keeps` the failure and from which no single
 * item can be removed, found by trying to keep one chunk of n (most drastic first), then to drop one, and by
 * doubling n when neither works. Stops early, with what it has, when `affordable` says so. `keeps` is never asked
 * about the whole list (known to fail) nor about an empty one.
 */
export async function ddmin<T>(items: readonly T[], keeps: (subset: T[]) => Promise<boolean>, affordable: () => boolean): Promise<T[]> {
  let current = [...items];
  let chunks = 2;
  while (current.length >= 2 && affordable()) {
    const parts = split(current, Math.min(chunks, current.length));
    let reduced = false;
    for (const part of parts) {
      if (!affordable()) return current;
      if (await keeps(part)) {
        current = part;
        chunks = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && parts.length > 2) {
      for (let i = 0; i < parts.length && !reduced; i++) {
        if (!affordable()) return current;
        const complement = parts.filter((_, j) => j !== i).flat();
        if (await keeps(complement)) {
          current = complement;
          chunks = Math.max(chunks - 1, 2);
          reduced = true;
        }
      }
    }
    if (!reduced) {
      if (parts.length >= current.length) break;
      chunks = Math.min(current.length, chunks * 2);
    }
  }
  return current;
}

/** `items` in `count` contiguous parts as even as can be. */
function split<T>(items: readonly T[], count: number): T[][] {
  const parts: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = start + Math.floor((items.length - start) / (count - i));
    parts.push(items.slice(start, end));
    start = end;
  }
  return parts;
}
