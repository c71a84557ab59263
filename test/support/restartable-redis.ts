import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, redisServerPath } from "./redis-server.ts";

/**
 * A loopback redis-server that can be stopped and started again on the same port, as a Redis restart or failover
 * looks to its clients: the same address, every key gone, unless a client SAVEd a snapshot before, which the next
 * start loads (a restart from an older RDB file).
 */
export class RestartableRedis {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), "redis-restartable-"));
  private readonly killOnExit = () => this.child?.kill("SIGKILL");

  private constructor(readonly port: number) {
    process.once("exit", this.killOnExit);
  }

  static async start(): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await freePort());
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server on the port; resolves once it accepts connections. */
  async up(): Promise<void> {
    const binary = redisServerPath();
    if (!binary) throw new Error("redis-server not found: install it with `apt-get install -y redis-server`");
    const child = spawn(binary, ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-400)}`)));
    });
  }

  /** Stops it (its data is lost); `signal` SIGKILL is a crash. */
  async down(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  }

  async restart(): Promise<void> {
    await this.down();
    await this.up();
  }

  async stop(): Promise<void> {
    await this.down();
    process.removeListener("exit", this.killOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
