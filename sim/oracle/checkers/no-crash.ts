import type { Checker } from "../checker.ts";

/** A handler that lets an error escape takes its process down: whatever the input, that must not happen. */
export default {
  name: "no-crash",
  meaning: "no handler throws and no instance dies, whatever the input",
  rank: 60,
  create: (run) => ({
    escaped(point, instance, handler, error) {
      const message = error instanceof Error ? error.message : String(error);
      run.report(point, `${instance}:${handler}`, {
        kind: `${handler} threw`,
        message: `${handler} on ${instance} threw "${message}": the instance died`,
        players: [],
        keys: [],
      });
    },
  }),
} satisfies Checker;
