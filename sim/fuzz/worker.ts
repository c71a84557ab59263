import { parentPort } from "node:worker_threads";
import type { FuzzJob } from "./job.ts";
import { runJob } from "./run-job.ts";

/** One world at a time: a job in, its outcome out. */
parentPort?.on("message", async (job: FuzzJob) => {
  try {
    parentPort?.postMessage({ ok: true, outcome: await runJob(job) });
  } catch (error) {
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
