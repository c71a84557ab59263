import type { Scenario } from "../sim/scenario/options.ts";
import { BASE } from "./defaults.ts";

export default {
  name: "malformed-input",
  summary:
    "A client that sends garbage frames and a non-UUID player id, one that asks for an unknown mode, one that floods " +
    "(another player's enqueue, an oversized frame, a burst over the rate limit), and normal players; a foreign " +
    "writer's garbage in Redis, a foreign publisher's on the servers' channels, and a foreign caller's at the " +
    "dedicated servers (junk, invalid or reused keys, old calls replayed).",
  provokes:
    "Seed defect 4: the legacy server queues any string as a player id and later parses it with unwrap(); the " +
    "panic escapes the handler and takes the instance down.",
  defects: [4],
  breaks: ["no-crash"],
  options: {
    ...BASE,
    players: ["malformed-frames", "normal", "normal", "unknown-mode", "normal", "floods"],
    events: { ...BASE.events, corruptions: 1, garbagePublishes: 1, foreignCalls: 2 },
  },
  check: { players: ["malformed-frames", "normal", "unknown-mode"], instances: 1, servers: 1, options: { activeMs: 8_000, events: { ...BASE.events } } },
} satisfies Scenario;
