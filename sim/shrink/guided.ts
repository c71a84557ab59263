import type { Step } from "../scheduler/step.ts";
import type { Strategy } from "../scheduler/strategy.ts";

/**
 * A step's channel without the counters that number connections, HTTP requests and player actions across a whole
 * world (they shift as soon as one player is gone); a timer keeps its number, which counts within its instance.
 */
function channel(source: string): string {
  return source.replace(/^(c2s|s2c):c\d+$/, "$1").replace(/^(client:.*|http:[^:]+):\d+(:timeout)?$/, "$1$2");
}

type Named = Pick<Step, "cause" | "kind" | "lane" | "source">;

/**
 * Names every step of a run by descent, so that the same step of two runs of related worlds gets the same name:
 * ids and trace positions shift as soon as one player is gone, but a step made by the same chain of causes on
 * the same lanes keeps its name. The k-th child of a kind and lane is counted in the order the children ran.
 */
class Names {
  private readonly byId = new Map<number, string>();
  private readonly children = new Map<string, number>();

  private family(step: Named): string {
    const parent = step.cause === null ? "world" : (this.byId.get(step.cause) ?? "lost");
    return `${parent}/${step.kind}@${step.lane}~${channel(step.source)}`;
  }

  /** The name the step gets if it runs next. */
  peek(step: Named): string {
    const family = this.family(step);
    return `${family}#${this.children.get(family) ?? 0}`;
  }

  /** The step ran: it is named for good, and its siblings count it. */
  ran(step: Named & Pick<Step, "id">): string {
    const family = this.family(step);
    const ordinal = this.children.get(family) ?? 0;
    this.children.set(family, ordinal + 1);
    const name = `${family}#${ordinal}`;
    this.byId.set(step.id, name);
    return name;
  }
}

/** Chooses as `inner` does, and names every step it chooses (see Names): the order a later guided run follows. */
export class NamingStrategy implements Strategy {
  readonly order: string[] = [];
  private readonly names = new Names();

  constructor(private readonly inner: Strategy) {}

  choose(enabled: readonly Step[], stepIndex: number): Step {
    const chosen = this.inner.choose(enabled, stepIndex);
    this.order.push(this.names.ran(chosen));
    return chosen;
  }
}

/**
 * Chooses what an earlier run chose: among the enabled steps, the one that ran first in that run (its `order`
 * of names), matched by name; a step it does not have goes after those it has, oldest first. A smaller world run
 * this way keeps the interleaving of what it kept, where a fresh random walk would draw a new one.
 */
export class GuidedStrategy implements Strategy {
  private readonly position = new Map<string, number>();
  private readonly names = new Names();

  constructor(order: readonly string[]) {
    order.forEach((name, index) => this.position.set(name, index));
  }

  choose(enabled: readonly Step[]): Step {
    let chosen = enabled[0] as Step;
    let best = Number.POSITIVE_INFINITY;
    for (const step of enabled) {
      const position = this.position.get(this.names.peek(step)) ?? Number.POSITIVE_INFINITY;
      if (position < best) {
        best = position;
        chosen = step;
      }
    }
    this.names.ran(chosen);
    return chosen;
  }
}
