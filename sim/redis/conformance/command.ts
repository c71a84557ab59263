/** One command of a conformance sequence: the name as sent (any case) and its arguments. */
export interface Command {
  name: string;
  args: string[];
}

/** What one side answered: a reply or an error reply's text. */
export type Outcome = { reply: unknown } | { error: string };

export function formatCommand(command: Command): string {
  return [command.name, ...command.args.map((arg) => JSON.stringify(arg))].join(" ");
}
