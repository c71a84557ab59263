const HEX = "0123456789abcdef";

/** 2^-32 */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/** Baagoe's Mash, the string hash Alea seeds from. */
function mash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    return (n >>> 0) * TWO_TO_MINUS_32;
  };
}

/**
 * The run's only source of randomness: every draw comes from one seeded stream, in a fixed order. The
 * generator is Baagoe's Alea, step for step as seedrandom.alea computes it (the same seeds give the same
 * draws), held in fields rather than in a closure per stream so that drawing is one monomorphic call.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private c = 1;

  constructor(seed: string) {
    const hash = mash();
    this.s0 = hash(" ");
    this.s1 = hash(" ");
    this.s2 = hash(" ");
    this.s0 -= hash(seed);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 -= hash(seed);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 -= hash(seed);
    if (this.s2 < 0) this.s2 += 1;
  }

  private next(): number {
    const t = 2091639 * this.s0 + this.c * TWO_TO_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick on an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  private hex(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += HEX[Math.floor(this.next() * 16)];
    return out;
  }

  uuid(): string {
    const variant = HEX[8 + Math.floor(this.next() * 4)];
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  token(): string {
    return this.hex(32);
  }

  /** An independent stream derived from this one, so one component's draws do not shift another's. */
  fork(label: string): Rng {
    return new Rng(`${label}:${this.hex(16)}`);
  }
}
