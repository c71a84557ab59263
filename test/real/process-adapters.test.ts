import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CryptoRandom } from "../../src/adapters/crypto-random.ts";
import { JsonLogger } from "../../src/adapters/json-logger.ts";
import { ProcessSupervisor } from "../../src/adapters/process-supervisor.ts";
import { PromMetrics } from "../../src/adapters/prom-metrics.ts";
import { SystemTime } from "../../src/adapters/system-clock.ts";
import { isUuid } from "../../src/protocol/index.ts";
import { CountingMetrics, RecordingLogger } from "../support/fake-ports.ts";

describe("JsonLogger", () => {
  it("writes one JSON line per event at or above the minimum level, with fields flattened", () => {
    const lines: string[] = [];
    const logger = new JsonLogger({ write: (line: string) => lines.push(line) }, "inst-1", "info", () => 0);
    logger.log("debug", "too_quiet");
    logger.log("warn", "lock_missed", { key: "lock:match:m", players: ["a", "b"], event: "shadowed" });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      time: "1970-01-01T00:00:00.000Z",
      level: "warn",
      instance: "inst-1",
      event: "lock_missed",
      key: "lock:match:m",
      players: ["a", "b"],
      field_event: "shadowed",
    });
  });
});

describe("CryptoRandom", () => {
  it("makes v4 UUIDs and distinct 128-bit hex tokens", () => {
    const random = new CryptoRandom();
    const uuid = random.uuid();
    expect(isUuid(uuid)).toBe(true);
    expect(uuid[14]).toBe("4");
    expect(random.token()).toMatch(/^[0-9a-f]{32}$/);
    expect(random.token()).not.toBe(random.token());
  });
});

describe("SystemTime", () => {
  it("fires `every` first after one interval and stops when cancelled", async () => {
    const time = new SystemTime();
    const started = time.now();
    const firings: number[] = [];
    const handle = time.every(40, "tick", () => firings.push(time.now() - started));
    await new Promise((resolve) => setTimeout(resolve, 150));
    handle.cancel();
    const count = firings.length;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(firings[0]).toBeGreaterThanOrEqual(35);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(firings).toHaveLength(count);
  });

  it("does not fire a cancelled `after`", async () => {
    const time = new SystemTime();
    let fired = false;
    time.after(10, "x", () => (fired = true)).cancel();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(fired).toBe(false);
  });
});

describe("PromMetrics", () => {
  const queueGauge = { name: "queue_size", help: "Players waiting.", labels: ["mode"] };

  it("exposes counters with known labels and gauges read at scrape time", async () => {
    let waiting = 3;
    const metrics = new PromMetrics({
      counters: ["matches_total", "handler_errors_total"],
      gauges: [queueGauge],
      read: async () => ({ queue_size: [{ labels: { mode: "Normal_1v1" }, value: waiting }] }),
    });
    metrics.increment("matches_total", { mode: "Normal_1v1" });
    metrics.increment("matches_total", { mode: "Normal_1v1", unknown_label: "dropped" });
    metrics.increment("handler_errors_total");
    let text = (await metrics.exposition()).body;
    expect(text).toContain('matches_total{mode="Normal_1v1"} 2');
    expect(text).toContain("handler_errors_total 1");
    expect(text).toContain('queue_size{mode="Normal_1v1"} 3');
    waiting = 0;
    text = (await metrics.exposition()).body;
    expect(text).toContain('queue_size{mode="Normal_1v1"} 0');
  });

  it("shows every seeded series at zero before its first event, and only the counters it was given", async () => {
    const metrics = new PromMetrics({
      counters: ["allocation_failures_total", "dedicated_server_failures_total"],
      histograms: ["allocation_seconds"],
      series: [
        { name: "allocation_failures_total", labels: { reason: "no_server" } },
        { name: "allocation_seconds", labels: { result: "matched" } },
      ],
    });
    metrics.increment("dedicated_server_failures_total", { server: "ds1" }, 0);
    metrics.increment("matches_total", { mode: "Normal_1v1" });
    metrics.observe("allocation_seconds", 0.02, { result: "failed" });
    const text = (await metrics.exposition()).body;
    expect(text).toContain('allocation_failures_total{reason="no_server"} 0');
    expect(text).toContain('allocation_seconds_count{result="matched"} 0');
    expect(text).toContain('allocation_seconds_count{result="failed"} 1');
    expect(text).toContain('dedicated_server_failures_total{server="ds1"} 0');
    expect(text).not.toContain("matches_total");
  });

  it("keeps serving counters when the gauge read fails", async () => {
    const failures: unknown[] = [];
    const metrics = new PromMetrics({
      counters: ["allocation_failures_total"],
      gauges: [queueGauge],
      read: async () => Promise.reject(new Error("redis down")),
      onReadError: (error) => failures.push(error),
    });
    metrics.increment("allocation_failures_total", { reason: "none_idle" });
    const text = (await metrics.exposition()).body;
    expect(text).toContain('allocation_failures_total{reason="none_idle"} 1');
    expect(text).not.toContain("queue_size{");
    expect(failures).toHaveLength(1);
  });

  it("keeps two servers' counts apart", async () => {
    const first = new PromMetrics({ counters: ["matches_total"] });
    const second = new PromMetrics({ counters: ["matches_total"] });
    first.increment("matches_total");
    expect((await second.exposition()).body).not.toContain("matches_total 1");
  });
});

describe("ProcessSupervisor", () => {
  it("waits for in-flight handlers, including ones spawned while waiting", async () => {
    const supervisor = new ProcessSupervisor(new RecordingLogger(), new CountingMetrics());
    const done: string[] = [];
    supervisor.spawn("first", async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      supervisor.spawn("second", async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        done.push("second");
      });
      done.push("first");
    });
    expect(await supervisor.idle(1_000)).toBe(true);
    expect(done).toEqual(["first", "second"]);
  });

  it("gives up waiting after the timeout", async () => {
    const supervisor = new ProcessSupervisor(new RecordingLogger(), new CountingMetrics());
    supervisor.spawn("stuck", () => new Promise(() => {}));
    expect(await supervisor.idle(30)).toBe(false);
    expect(supervisor.inFlight).toBe(1);
  });
});

describe("ProcessSupervisor in a real process", () => {
  it("logs handler_crashed and lets the escaped error kill the process", () => {
    const fixture = fileURLToPath(new URL("./fixtures/crashing-handler.ts", import.meta.url));
    const run = spawnSync(process.execPath, ["--import", "tsx", fixture], { encoding: "utf8", timeout: 20_000 });
    expect(run.status).not.toBe(0);
    expect(run.stdout).not.toContain("still alive");
    const crash = JSON.parse(run.stdout.split("\n")[0] ?? "");
    expect(crash).toMatchObject({ level: "error", event: "handler_crashed", handler: "TryMatch", error: "invalid uuid: not-a-uuid" });
    expect(run.stderr).toContain("invalid uuid: not-a-uuid");
  });
});
