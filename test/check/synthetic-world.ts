import { EVERYTHING, resource, type Footprint } from "../../sim/check/footprint.ts";
import type { CheckTarget, Choice, Guide } from "../../sim/check/target.ts";
import { Rng } from "../../sim/random/rng.ts";

/**
 * A small world of the harness's shape, for proving the explorer: lanes run steps from FIFO channels, steps due
 * within a race window are candidates, time jumps when nothing is due, steps read and write shared variables,
 * make new steps on other channels and lanes, and branch on what they read (so footprints depend on state);
 * faults are options that strike a lane; an invariant over the visible variables is judged after every step.
 */
export type Op =
  | { op: "read"; variable: string }
  | { op: "write"; variable: string; value: number }
  | { op: "add"; variable: string; value: number }
  | { op: "store"; variable: string }
  | { op: "ifPositive"; variable: string; then: Op[] }
  | { op: "spawn"; step: StepDef };

export interface StepDef {
  lane: string;
  source: string;
  delay: number;
  ops: Op[];
}

export interface Program {
  steps: StepDef[];
  variables: string[];
  /** Variables the invariant reads: writes that change them are visible. */
  visible: string[];
  /** Lanes a fault may strike (drop their pending steps, clear their register). */
  faultLanes: string[];
  windowMs: number;
}

interface Pending extends Choice {
  readyAt: number;
  ops: Op[];
  cause: number | null;
}

/** What a schedule of a program ended in: its variables, registers, and the invariant's verdicts on the way. */
export interface SyntheticOutcome {
  final: string;
  violations: string[];
}

class SyntheticRun {
  private nextId = 0;
  private now = 0;
  private readonly queues = new Map<string, Pending[]>();
  private readonly variables = new Map<string, number>();
  private readonly registers = new Map<string, number>();
  private readonly options: Array<Choice & { lane: string; struck: boolean }> = [];
  private readonly violations = new Set<string>();

  constructor(private readonly program: Program) {
    for (const lane of program.faultLanes) this.options.push({ id: this.nextId++, lane: "world", source: `fault:${lane}`, struck: false });
    for (const name of program.variables) this.variables.set(name, 0);
    for (const step of program.steps) this.add(step, null);
  }

  private add(step: StepDef, cause: number | null): void {
    const pending: Pending = { id: this.nextId++, lane: step.lane, source: step.source, readyAt: this.now + step.delay, ops: step.ops, cause };
    const queue = this.queues.get(step.source);
    if (queue) queue.push(pending);
    else this.queues.set(step.source, [pending]);
  }

  private due(): Pending[] {
    const heads = [...this.queues.values()].map((queue) => queue[0] as Pending);
    return heads.filter((head) => head.readyAt <= this.now + this.program.windowMs).sort((a, b) => a.id - b.id);
  }

  private offered(): Choice[] {
    return this.options.filter((option) => !option.struck && [...this.queues.values()].some((queue) => queue.some((step) => step.lane === option.source.slice(6))));
  }

  private observed(): string {
    return this.program.visible.map((name) => this.variables.get(name)).join(",");
  }

  async run(guide: Guide): Promise<SyntheticOutcome> {
    for (;;) {
      let due = this.due();
      if (due.length === 0) {
        const next = Math.min(...[...this.queues.values()].map((queue) => (queue[0] as Pending).readyAt));
        if (!Number.isFinite(next)) break;
        this.now = next;
        due = this.due();
      }
      const choice = guide.choose(due, this.offered(), this.now);
      const before = this.observed();
      const footprint = due.includes(choice as Pending) ? this.step(choice as Pending) : this.strike(choice);
      // The invariant reads the visible variables together: a change to any is a change to all it reads.
      const visible = this.observed() !== before ? [EVERYTHING] : [];
      guide.ran({ ...footprint, visible }, due.includes(choice as Pending) ? (choice as Pending).cause : null, this.now);
      // The oracle: a visible state it must never see.
      const [a = 0, b = 0] = this.program.visible.map((name) => this.variables.get(name) ?? 0);
      if (a === b + 1) this.violations.add(`a=b+1 (${a})`);
      if (a > 0 && b > 0) this.violations.add("both");
    }
    const state = [...this.variables].map(([name, value]) => `${name}=${value}`).join(" ");
    const registers = [...this.registers].sort().map(([lane, value]) => `${lane}:${value}`).join(" ");
    return { final: `${state} | ${registers}`, violations: [...this.violations].sort() };
  }

  private strike(choice: Choice): Footprint {
    const option = this.options.find((candidate) => candidate.id === choice.id);
    if (!option) throw new Error(`no option ${choice.id}`);
    option.struck = true;
    const lane = option.source.slice(6);
    for (const [source, queue] of this.queues) {
      const kept = queue.filter((step) => step.lane !== lane);
      if (kept.length === 0) this.queues.delete(source);
      else this.queues.set(source, kept);
    }
    this.registers.set(lane, -1);
    return { lane: "world", source: option.source, reads: [], writes: [], tagged: new Map(), readsAllKeys: false, writesKeys: false, global: true, createdOn: [], visible: [EVERYTHING] };
  }

  private step(step: Pending): Footprint {
    const queue = this.queues.get(step.source) as Pending[];
    queue.shift();
    if (queue.length === 0) this.queues.delete(step.source);
    if (step.readyAt > this.now) this.now = step.readyAt;
    const reads = new Set<string>();
    const writes = new Set<string>();
    const createdOn = new Set<string>();
    const exec = (ops: readonly Op[]): void => {
      for (const op of ops) {
        const register = this.registers.get(step.lane) ?? 0;
        switch (op.op) {
          case "read":
            reads.add(resource.key(op.variable));
            this.registers.set(step.lane, register * 3 + (this.variables.get(op.variable) ?? 0));
            break;
          case "write":
            writes.add(resource.key(op.variable));
            this.variables.set(op.variable, op.value);
            break;
          case "add":
            writes.add(resource.key(op.variable));
            this.variables.set(op.variable, (this.variables.get(op.variable) ?? 0) + op.value);
            break;
          case "store":
            writes.add(resource.key(op.variable));
            this.variables.set(op.variable, register % 7);
            break;
          case "ifPositive":
            reads.add(resource.key(op.variable));
            if ((this.variables.get(op.variable) ?? 0) > 0) exec(op.then);
            break;
          case "spawn":
            createdOn.add(op.step.lane);
            writes.add(resource.queue(op.step.source));
            this.add(op.step, step.id);
            break;
        }
      }
    };
    this.registers.set(step.lane, (this.registers.get(step.lane) ?? 0) + 1);
    exec(step.ops);
    return {
      lane: step.lane,
      source: step.source,
      reads: [...reads].filter((name) => !writes.has(name)),
      writes: [...writes, resource.actor(step.lane)],
      tagged: new Map(),
      readsAllKeys: false,
      writesKeys: writes.size > 0,
      global: false,
      createdOn: [...createdOn],
      visible: [],
    };
  }
}

/** A program as something to explore: each schedule a fresh run. */
export function syntheticTarget(program: Program): CheckTarget<SyntheticOutcome> {
  return { run: (guide) => new SyntheticRun(program).run(guide) };
}

/** A random small program: a few lanes, channels and steps over a few variables, some steps made by others. */
export function randomProgram(seed: number): Program {
  const rng = new Rng(`synthetic:${seed}`);
  const variables = ["a", "b", "c"].slice(0, rng.int(2, 3));
  const lanes = ["L1", "L2", "L3"].slice(0, rng.int(2, 3));
  let sources = 0;
  const op = (depth: number): Op => {
    const variable = rng.pick(variables);
    const roll = rng.int(0, depth > 0 ? 5 : 9);
    if (roll <= 1) return { op: "read", variable };
    if (roll === 2) return { op: "write", variable, value: rng.int(1, 2) };
    if (roll === 3) return { op: "add", variable, value: 1 };
    if (roll === 4) return { op: "store", variable };
    if (roll === 5) return { op: "read", variable };
    if (roll <= 7) return { op: "ifPositive", variable, then: [op(depth + 1)] };
    return { op: "spawn", step: { lane: rng.pick(lanes), source: `s${sources++}`, delay: rng.pick([0, 0, 2, 6]), ops: [op(depth + 1)] } };
  };
  const steps: StepDef[] = [];
  for (const lane of lanes) {
    for (let channel = rng.int(1, 2); channel > 0; channel--) {
      const source = `s${sources++}`;
      const delay = rng.pick([0, 0, 0, 2, 6]);
      for (let count = rng.int(1, 2); count > 0; count--) steps.push({ lane, source, delay, ops: Array.from({ length: rng.int(1, 2) }, () => op(0)) });
    }
  }
  return {
    steps,
    variables,
    visible: variables.slice(0, 2),
    faultLanes: rng.chance(0.5) ? [rng.pick(lanes)] : [],
    windowMs: rng.pick([0, 0, 3]),
  };
}
