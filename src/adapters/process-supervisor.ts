import type { Logger, Metrics, Supervisor } from "../ports/index.ts";

/**
 * Runs handlers concurrently and remembers which are in flight, so shutdown can wait for them.
 *
 * An error that escapes a handler is logged as `handler_crashed` and then thrown again outside any promise
 * chain: the process dies of an uncaught exception, as the Rust server died of a panic in an actor. The
 * legacy server relies on this to be faithful; the fixed server never lets anything escape.
 */
export class ProcessSupervisor implements Supervisor {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  spawn(handler: string, work: () => Promise<void>): void {
    const task = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.crash(handler, error))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Resolves true once no handler runs (including ones spawned meanwhile), false if `timeoutMs` passes first. */
  async idle(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const drained = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true as const;
    })();
    try {
      return await Promise.race([drained, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private crash(handler: string, error: unknown): void {
    const reason = error instanceof Error ? error : new Error(String(error));
    this.metrics.increment("handler_errors_total", { handler });
    this.logger.log("error", "handler_crashed", { handler, error: reason.message, stack: reason.stack });
    setImmediate(() => {
      throw reason;
    });
  }
}
