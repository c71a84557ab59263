import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A real `redis-server` on a free loopback port, owned by whoever started it (a test, the CLI, a bench). */
export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export function redisServerPath(): string | null {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  const path = found.stdout.trim();
  return found.status === 0 && path !== "" ? path : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server` with no persistence on 127.0.0.1. When REDIS_URL is set, uses that server instead
 * (and `stop` leaves it running). Throws a one-line instruction when redis-server is not installed.
 */
export async function startRealRedis(): Promise<RedisServer> {
  const external = process.env.REDIS_URL;
  if (external) {
    const port = Number(new URL(external).port || 6379);
    return { port, url: external, stop: async () => {} };
  }
  const binary = redisServerPath();
  if (!binary) throw new Error("redis-server not found: install it with `apt-get install -y redis-server`");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "redis-"));
  const child: ChildProcess = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  // A process that dies without stopping its server (an exception, a closed pipe) takes the server along.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-400)}`)));
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
