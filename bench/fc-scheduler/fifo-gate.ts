import type { Scheduler } from "fast-check";

interface Job {
  label: string;
  start(): Promise<void>;
}

/**
 * Hands every delivery of the world (a Redis command with its reply, a pub/sub push, a frame, a close, an
 * HTTP request or reply) to fast-check's scheduler, which releases them one at a time in its own uniform
 * random order. A job runs when released, not when submitted, so the scheduler decides the order in which
 * commands apply, not only the order replies come back.
 *
 * Jobs of one source (one Redis connection, one direction of one socket) stay in submission order, as over
 * TCP: only each source's oldest job is offered to the scheduler. Without this, fc.scheduler would also try
 * orders no real network produces.
 */
export class FifoGate {
  private readonly queues = new Map<string, Job[]>();
  steps = 0;

  constructor(private readonly scheduler: Scheduler) {}

  /** Runs `work` when the scheduler releases it; the promise settles with its outcome. */
  run<T>(source: string, label: string, work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        label,
        start: async () => {
          try {
            resolve(await work());
          } catch (error) {
            reject(error);
          }
        },
      };
      const queue = this.queues.get(source);
      if (queue) {
        queue.push(job);
        return;
      }
      this.queues.set(source, [job]);
      this.offer(source, job);
    });
  }

  /** Jobs the scheduler can release right now. */
  pending(): number {
    return this.scheduler.count();
  }

  private offer(source: string, job: Job): void {
    // The custom act runs when fast-check picks this task: that is the moment the job happens.
    void this.scheduler.schedule(Promise.resolve(), `${source} ${job.label}`, undefined, async (release) => {
      this.steps++;
      await job.start();
      await release();
      const queue = this.queues.get(source);
      queue?.shift();
      const next = queue?.[0];
      if (next) this.offer(source, next);
      else this.queues.delete(source);
    });
  }
}
