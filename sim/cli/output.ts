import chalk from "chalk";

// https://no-color.org: any non-empty NO_COLOR turns colour off, whatever the terminal supports.
if (process.env.NO_COLOR) chalk.level = 0;

/** Human lines go to stderr when --json owns stdout, so the JSON stays the last line of stdout. */
export class Output {
  constructor(readonly json: boolean) {}

  line(text = ""): void {
    (this.json ? process.stderr : process.stdout).write(`${text}\n`);
  }

  result(value: unknown): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value)}\n`);
  }
}

export const paint = {
  pass: (text: string) => chalk.green(text),
  fail: (text: string) => chalk.red.bold(text),
  warn: (text: string) => chalk.yellow(text),
  dim: (text: string) => chalk.dim(text),
  name: (text: string) => chalk.cyan(text),
  strong: (text: string) => chalk.bold(text),
};

/** Pads cells to column widths, measuring text without its colour codes. */
export function table(rows: string[][]): string[] {
  const strip = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, strip(cell).length)));
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - strip(cell).length))).join("  "),
  );
}
