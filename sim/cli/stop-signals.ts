/**
 * SIGINT and SIGTERM ask a long command to stop starting work and report what it has so far; a second SIGINT
 * ends the process at once. `release` puts the default handling back.
 */
export class StopSignals {
  requested: "SIGINT" | "SIGTERM" | null = null;
  private readonly onSignal = (signal: "SIGINT" | "SIGTERM"): void => {
    if (this.requested === "SIGINT" && signal === "SIGINT") process.exit(130);
    this.requested ??= signal;
    process.stderr.write(`\nsim: ${signal}: finishing the runs under way, then the summary (Ctrl-C again to quit at once)\n`);
  };

  constructor() {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
  }

  release(): void {
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
  }
}
