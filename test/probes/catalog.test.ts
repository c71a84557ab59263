import { describe, expect, it } from "vitest";
import type { RedisPort, RedisReply } from "../../src/ports/redis.ts";
import { must, optional, probingLogger, probingRedis, UNREGISTERED } from "../../src/probes/catalog.ts";

class Tally {
  readonly hits = new Map<string, number>();
  hit(name: string): void {
    this.hits.set(name, (this.hits.get(name) ?? 0) + 1);
  }
}

const catalog = {
  "fixed.player_left": must("a player left"),
  "fixed.allocation_failed": must("an allocation failed"),
  "fixed.allocation_failed.no_server": must("no server could be claimed"),
  "fixed.enqueue.queued": must("queued"),
  "fixed.enqueue.queued.repaired": must("queued over a repaired record"),
  "fixed.send_failed": optional("a socket's send failed"),
};

function redisAnswering(reply: RedisReply, resubscribed?: Array<() => void>): RedisPort {
  return {
    call: async () => reply,
    runScript: async () => reply,
    psubscribe: async () => {},
    subscribe: async () => {},
    ...(resubscribed ? { onResubscribed: (listener: () => void) => void resubscribed.push(listener) } : {}),
  };
}

describe("probes", () => {
  it("count a logged branch by its event, refined by a listed reason, and name an unlisted event unregistered", () => {
    const tally = new Tally();
    const logged: string[] = [];
    const logger = probingLogger({ log: (_level, event) => void logged.push(event) }, tally, catalog, "fixed.");
    logger.log("info", "player_left", {});
    logger.log("warn", "allocation_failed", { reason: "no_server" });
    logger.log("warn", "allocation_failed", { reason: "not_listed" });
    logger.log("warn", "something_new", {});
    expect(Object.fromEntries(tally.hits)).toEqual({
      "fixed.player_left": 1,
      "fixed.allocation_failed.no_server": 1,
      "fixed.allocation_failed": 1,
      [`fixed.${UNREGISTERED}`]: 1,
    });
    expect(logged).toEqual(["player_left", "allocation_failed", "allocation_failed", "something_new"]);
  });

  it("count a script's status word, refined by its second word where listed, and pass the reply on unchanged", async () => {
    const tally = new Tally();
    const script = { name: "fixed:enqueue", source: "" };
    expect(await probingRedis(redisAnswering(["queued", "repaired"]), tally, catalog, "fixed.").runScript(script, [], [])).toEqual(["queued", "repaired"]);
    await probingRedis(redisAnswering(["queued", "new"]), tally, catalog, "fixed.").runScript(script, [], []);
    await probingRedis(redisAnswering(["ids", "only"]), tally, catalog, "fixed.").runScript({ name: "fixed:unprobed", source: "" }, [], []);
    expect(Object.fromEntries(tally.hits)).toEqual({ "fixed.enqueue.queued.repaired": 1, "fixed.enqueue.queued": 1 });
  });

  it("leave the server told when its subscriptions come back: the wrapper keeps the port's optional notice", () => {
    const listeners: Array<() => void> = [];
    const wrapped = probingRedis(redisAnswering(null, listeners), new Tally(), catalog, "fixed.");
    let told = 0;
    wrapped.onResubscribed?.(() => told++);
    for (const listener of listeners) listener();
    expect(told).toBe(1);
    expect(probingRedis(redisAnswering(null), new Tally(), catalog, "fixed.").onResubscribed).toBeUndefined();
  });
});
