export interface ScoredMember {
  member: string;
  score: number;
}

/** Redis orders members by score, then by member bytes. */
function before(a: ScoredMember, score: number, member: string): boolean {
  return a.score < score || (a.score === score && a.member < member);
}

/**
 * A sorted set: a score map for lookups plus an array kept in Redis order (score, then member). Inserts
 * and removals are a binary search and a splice, fast enough for the collection sizes the servers use.
 */
export class SortedSet {
  private readonly scores = new Map<string, number>();
  private readonly ordered: ScoredMember[] = [];

  get size(): number {
    return this.ordered.length;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** Inserts or moves a member; returns true when it is new. */
  set(member: string, score: number): boolean {
    const previous = this.scores.get(member);
    if (previous !== undefined) {
      if (previous === score) return false;
      this.ordered.splice(this.indexOf(previous, member), 1);
    }
    this.scores.set(member, score);
    this.ordered.splice(this.lowerBound(score, member), 0, { member, score });
    return previous === undefined;
  }

  delete(member: string): boolean {
    const score = this.scores.get(member);
    if (score === undefined) return false;
    this.ordered.splice(this.indexOf(score, member), 1);
    this.scores.delete(member);
    return true;
  }

  rank(member: string): number | undefined {
    const score = this.scores.get(member);
    return score === undefined ? undefined : this.indexOf(score, member);
  }

  at(index: number): ScoredMember {
    return this.ordered[index] as ScoredMember;
  }

  /** Members with index in [start, end), in order. */
  slice(start: number, end: number): ScoredMember[] {
    return this.ordered.slice(start, end);
  }

  /** Index of the first member whose score is >= min (or > min when exclusive). */
  firstAtLeast(min: number, exclusive: boolean): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const s = (this.ordered[mid] as ScoredMember).score;
      if (s < min || (exclusive && s === min)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index one past the last member whose score is <= max (or < max when exclusive). */
  endAtMost(max: number, exclusive: boolean): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const s = (this.ordered[mid] as ScoredMember).score;
      if (s < max || (!exclusive && s === max)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the first member >= member in lexicographic order (BYLEX assumes equal scores, as Redis does). */
  lexLowerBound(member: string, exclusive: boolean): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const m = (this.ordered[mid] as ScoredMember).member;
      if (m < member || (exclusive && m === member)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  entries(): ScoredMember[] {
    return this.ordered.slice();
  }

  /** Members and scores, in order, as pairs. */
  pairs(): Array<[member: string, score: number]> {
    const out = new Array<[string, number]>(this.ordered.length);
    for (let i = 0; i < this.ordered.length; i++) {
      const { member, score } = this.ordered[i] as ScoredMember;
      out[i] = [member, score];
    }
    return out;
  }

  /** A sorted set no later change of this one reaches. */
  copy(): SortedSet {
    const copy = new SortedSet();
    for (const [member, score] of this.scores) copy.scores.set(member, score);
    for (const entry of this.ordered) copy.ordered.push({ ...entry });
    return copy;
  }

  private lowerBound(score: number, member: string): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(this.ordered[mid] as ScoredMember, score, member)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private indexOf(score: number, member: string): number {
    return this.lowerBound(score, member);
  }
}
