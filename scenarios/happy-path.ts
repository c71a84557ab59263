import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "happy-path",
  summary: "Four well-behaved players, two instances, two dedicated servers, no faults.",
  provokes: "Nothing: every player must be matched. A failure here is a broken server or a broken harness.",
  defects: [],
  breaks: [],
  options: { ...BASE, players: ["normal", "normal", "normal", "normal"], choices: {} },
  check: { players: ["normal", "normal"], instances: 1, servers: 1, options: { activeMs: 8_000, settleMs: 5_000, config: { ...BASE.config, presenceIntervalMs: 7_000 } } },
} satisfies Scenario;
