/** A live progress line on a terminal; silent when stderr is not a TTY (CI logs) or JSON is asked for. */
export class Progress {
  private readonly live: boolean;
  private lastDraw = 0;

  constructor(
    quiet: boolean,
    /** What is counted: runs, or the schedules of `sim check`. */
    private readonly unit = "runs",
  ) {
    this.live = !quiet && process.stderr.isTTY === true;
  }

  update(runs: number, total: number | null, failures: number, elapsedMs: number, bugs: number | null = null): void {
    if (!this.live) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && runs !== total) return;
    this.lastDraw = now;
    const rate = runs / Math.max(elapsedMs / 1000, 0.001);
    const of = total === null ? "" : `/${total}`;
    const distinct = bugs === null ? "" : `  ${bugs} distinct bug(s)`;
    process.stderr.write(`\r\x1b[2K  ${runs}${of} ${this.unit}  ${rate.toFixed(1)} ${this.unit}/s  ${failures} failure(s)${distinct}`);
  }

  /** A line above the progress line, which goes on below it. */
  note(text: string): void {
    if (!this.live) return;
    process.stderr.write(`\r\x1b[2K  ${text}\n`);
    this.lastDraw = 0;
  }

  done(): void {
    if (this.live) process.stderr.write("\r\x1b[2K");
  }
}
