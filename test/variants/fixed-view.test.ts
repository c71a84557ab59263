import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.ts";
import { Keys } from "../../src/fixed/keys.ts";
import { createSimulatedRedis } from "../../sim/redis/index.ts";
import { readFixedView } from "../../sim/variants/fixed/view.ts";

function serversOf(commands: string[][]): Array<{ id: string; status: string }> {
  const redis = createSimulatedRedis({ now: () => 1_000, random: () => 0.5 });
  for (const [command, ...args] of commands) redis.execute(command as string, args);
  return readFixedView(redis, DEFAULT_CONFIG).servers.map(({ id, status }) => ({ id, status }));
}

describe("the fixed view of dedicated servers", () => {
  it("reads an idle server out of the idle pool as parked (no claim can take it), one in the pool as idle", () => {
    const servers = serversOf([
      ["HSET", Keys.server("ds1"), "address", "ds1.sim:7001", "status", "idle"],
      ["HSET", Keys.server("ds2"), "address", "ds2.sim:7002", "status", "idle"],
      ["ZADD", Keys.idleServers, "1", "ds2"],
      ["HSET", Keys.server("ds3"), "address", "ds3.sim:7003", "status", "claimed", "session", "s1"],
    ]);
    expect(servers).toEqual(
      expect.arrayContaining([
        { id: "ds1", status: "parked" },
        { id: "ds2", status: "idle" },
        { id: "ds3", status: "claimed" },
      ]),
    );
  });

  it("reads a record without an address as unreadable, in the pool or not", () => {
    const servers = serversOf([
      ["HSET", Keys.server("ds1"), "status", "idle"],
      ["ZADD", Keys.idleServers, "1", "ds1"],
    ]);
    expect(servers).toEqual([{ id: "ds1", status: "unreadable" }]);
  });
});
