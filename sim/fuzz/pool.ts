import { Worker } from "node:worker_threads";
import type { FuzzJob, FuzzOutcome } from "./job.ts";
import { runJob } from "./run-job.ts";

type Reply = { ok: true; outcome: FuzzOutcome } | { ok: false; error: string };

/** The next job, null when there are no more; a promise while it is not known yet (guided rounds still learning). */
export type JobSource = () => FuzzJob | null | Promise<FuzzJob | null>;

function listSource(jobs: Iterable<FuzzJob>): JobSource {
  const queue = jobs[Symbol.iterator]();
  return () => {
    const next = queue.next();
    return next.done ? null : next.value;
  };
}

/**
 * N worker threads (or this thread when N is 1) that run batches of jobs, handing out the next job as each
 * finishes; the threads outlive a batch, so guided fuzzing's rounds do not start them again each time.
 */
export class WorkerPool {
  private readonly threads: Worker[] = [];

  constructor(private readonly workers: number) {}

  /**
   * Runs jobs until none is left or `stop()` says so; outcomes arrive in completion order. Jobs come from a list
   * or from a source asked for the next one as a worker frees up, which may make the worker wait for it.
   */
  async run(jobs: Iterable<FuzzJob> | JobSource, onOutcome: (outcome: FuzzOutcome) => void, stop: () => boolean): Promise<void> {
    const source = typeof jobs === "function" ? jobs : listSource(jobs);
    const nextJob = async (): Promise<FuzzJob | null> => (stop() ? null : await source());
    if (this.workers <= 1) {
      for (let job = await nextJob(); job; job = await nextJob()) {
        onOutcome(await runJob(job));
        // A run never leaves the microtask queue, so without this no signal, timer or I/O would be seen until
        // the last job: let the event loop turn between runs.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return;
    }
    if (this.threads.length === 0) {
      const entry = new URL("./worker-entry.mjs", import.meta.url);
      for (let i = 0; i < this.workers; i++) this.threads.push(new Worker(entry));
    }
    await Promise.all(
      this.threads.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              nextJob().then((job) => {
                if (job) worker.postMessage(job);
                else {
                  worker.off("message", onMessage);
                  worker.off("error", reject);
                  resolve();
                }
              }, reject);
            };
            const onMessage = (reply: Reply) => {
              if (!reply.ok) {
                worker.off("message", onMessage);
                reject(new Error(`fuzz worker failed: ${reply.error}`));
                return;
              }
              onOutcome(reply.outcome);
              feed();
            };
            worker.on("message", onMessage);
            worker.on("error", reject);
            feed();
          }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.splice(0).map((worker) => worker.terminate()));
  }
}

/** Runs jobs on a pool of its own, closed when they are done (or stopped). */
export async function runPool(jobs: Iterable<FuzzJob>, workers: number, onOutcome: (outcome: FuzzOutcome) => void, stop: () => boolean): Promise<void> {
  const pool = new WorkerPool(workers);
  try {
    await pool.run(jobs, onOutcome, stop);
  } finally {
    await pool.close();
  }
}
