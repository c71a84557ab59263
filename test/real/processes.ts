import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** One of the package's binaries running as a child process, its JSON log lines collected. */
export class RunningBinary {
  readonly logs: Array<Record<string, unknown>> = [];
  stderr = "";
  private readonly exited: Promise<number | null>;
  private buffered = "";

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on("data", (chunk: Buffer) => this.collect(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  static start(binary: "match-server" | "dedicated-server", args: string[]): RunningBinary {
    const child = spawn(process.execPath, [`bin/${binary}.mjs`, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    return new RunningBinary(binary, child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first log line with this event, waiting for it; fails if the process dies first. */
  async waitForLog(event: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find((line) => line.event === event);
      if (found) return found;
      if (!this.running) throw new Error(`${this.name} exited before logging ${event}: ${this.stderr.slice(-500)}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not log ${event} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Sends SIGTERM and resolves with the exit code; SIGKILL if it does not stop in time. */
  async stop(timeoutMs = 10_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** A crash: SIGKILL, no shutdown of its own. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  async exitCode(): Promise<number | null> {
    return this.exited;
  }

  private collect(text: string): void {
    this.buffered += text;
    const lines = this.buffered.split("\n");
    this.buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      try {
        this.logs.push(JSON.parse(line));
      } catch {
        this.logs.push({ event: "unparsed", line });
      }
    }
  }
}
