import { Worker } from "node:worker_threads";
import type { FuzzJob, FuzzOutcome } from "./job.ts";
import { runJob } from "./run-job.ts";

type Reply = { ok: true; outcome: FuzzOutcome } | { ok: false; error: string };

/**
 * Runs jobs on N worker threads (or in this thread when N is 1), handing out the next job as each finishes.
 * Stops handing out jobs when `stop()` says so; outcomes arrive in completion order.
 */
export async function runPool(
  jobs: Iterable<FuzzJob>,
  workers: number,
  onOutcome: (outcome: FuzzOutcome) => void,
  stop: () => boolean,
): Promise<void> {
  const queue = jobs[Symbol.iterator]();
  const nextJob = (): FuzzJob | null => {
    if (stop()) return null;
    const next = queue.next();
    return next.done ? null : next.value;
  };
  if (workers <= 1) {
    for (let job = nextJob(); job; job = nextJob()) {
      onOutcome(await runJob(job));
      // A run never leaves the microtask queue, so without this no signal, timer or I/O would be seen until
      // the last job: let the event loop turn between runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return;
  }
  const entry = new URL("./worker-entry.mjs", import.meta.url);
  await Promise.all(
    Array.from({ length: workers }, () => {
      const worker = new Worker(entry);
      return new Promise<void>((resolve, reject) => {
        const feed = () => {
          const job = nextJob();
          if (job) worker.postMessage(job);
          else void worker.terminate().then(() => resolve());
        };
        worker.on("message", (reply: Reply) => {
          if (!reply.ok) {
            void worker.terminate();
            reject(new Error(`fuzz worker failed: ${reply.error}`));
            return;
          }
          onOutcome(reply.outcome);
          feed();
        });
        worker.on("error", reject);
        feed();
      });
    }),
  );
}
