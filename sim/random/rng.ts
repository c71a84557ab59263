const HEX_CODES = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));

/**
 * Where uuid() assembles its characters, dashes and version digit in place: a string made in one piece rather
 * than grown a digit at a time, which made uuids the largest allocation of a run.
 */
const UUID_CODES = Array.from("xxxxxxxx-xxxx-4xxx-vxxx-xxxxxxxxxxxx", (char) => char.charCodeAt(0));

/** 2^-32 */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/**
 * Baagoe's Mash, the string hash Alea seeds from: its state after hashing `data` from state `n`. The hash value
 * is the state's low 32 bits as a fraction ({@link mashValue}). A plain function of its state rather than a
 * closure over it: a double written to a closure's variable is boxed on every write, which made seeding cost as
 * much as thousands of draws.
 */
function mash(n: number, data: string): number {
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
  return n;
}

function mashValue(n: number): number {
  return (n >>> 0) * TWO_TO_MINUS_32;
}

/** Every seeding hashes " " three times from the same start first: the three values and the state after them. */
const SPACE1 = mash(0xefc8249d, " ");
const SPACE2 = mash(SPACE1, " ");
const SPACE3 = mash(SPACE2, " ");

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
  private drawn = 0;

  constructor(seed: string) {
    let n = mash(SPACE3, seed);
    this.s0 = mashValue(SPACE1) - mashValue(n);
    if (this.s0 < 0) this.s0 += 1;
    n = mash(n, seed);
    this.s1 = mashValue(SPACE2) - mashValue(n);
    if (this.s1 < 0) this.s1 += 1;
    n = mash(n, seed);
    this.s2 = mashValue(SPACE3) - mashValue(n);
    if (this.s2 < 0) this.s2 += 1;
  }

  private next(): number {
    this.drawn++;
    const t = 2091639 * this.s0 + this.c * TWO_TO_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }

  /** Draws taken so far: `sim check` tells which steps drew from a stream several actors share. */
  get draws(): number {
    return this.drawn;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Log-uniform in [min, max): as likely between 1 and 2 as between 10 and 20. */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
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

  /** `count` random hex digits into `codes` from `from` on, as character codes. */
  private digits(codes: number[], from: number, count: number): void {
    for (let i = from; i < from + count; i++) codes[i] = HEX_CODES[Math.floor(this.next() * 16)] as number;
  }

  private hex(length: number): string {
    const codes = new Array<number>(length);
    this.digits(codes, 0, length);
    return String.fromCharCode(...codes);
  }

  uuid(): string {
    const variant = HEX_CODES[8 + Math.floor(this.next() * 4)] as number;
    const codes = UUID_CODES;
    this.digits(codes, 0, 8);
    this.digits(codes, 9, 4);
    this.digits(codes, 15, 3);
    codes[19] = variant;
    this.digits(codes, 20, 3);
    this.digits(codes, 24, 12);
    return String.fromCharCode(...codes);
  }

  token(): string {
    return this.hex(32);
  }

  /** An independent stream derived from this one, so one component's draws do not shift another's. */
  fork(label: string): Rng {
    return new Rng(`${label}:${this.hex(16)}`);
  }
}
