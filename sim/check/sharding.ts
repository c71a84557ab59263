/**
 * Decisions with alternatives at the first SPLIT_LEVELS levels of the tree have every alternative explored,
 * whatever the reduction: the paths through them (the roots) are then the same in every shard, and races found
 * below a root never add branches above it. A fixed number, so that one machine and N shards explore the same
 * tree.
 */
export const SPLIT_LEVELS = 2;

/**
 * One machine's share of a check: the roots, numbered in the order a depth-first walk of the tree meets them,
 * every `count`-th from the `index`-th (1-based). The walk is deterministic, so the shards partition the roots.
 */
export class Shard {
  private met = 0;
  private owned = 0;

  constructor(
    readonly index: number,
    readonly count: number,
  ) {}

  /** Numbers the next root: whether this shard explores it. */
  enter(): boolean {
    const mine = this.met++ % this.count === this.index - 1;
    if (mine) this.owned++;
    return mine;
  }

  /** Roots met so far, and how many of them were this shard's. */
  get roots(): { met: number; owned: number } {
    return { met: this.met, owned: this.owned };
  }
}

/** The whole tree on one machine. */
export const WHOLE = (): Shard => new Shard(1, 1);
