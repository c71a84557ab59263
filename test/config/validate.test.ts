import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/config.ts";
import { configFrom } from "../../src/config/validate.ts";

describe("configFrom", () => {
  it("takes the defaults for what is not given, the given values for the rest", () => {
    const config = configFrom({ enqueueTimeoutMs: 500, maxFramesPerSecond: 50, maxHandlersPerConnection: 2 });
    expect(config).toEqual({ ok: true, value: { ...DEFAULT_CONFIG, enqueueTimeoutMs: 500, maxFramesPerSecond: 50, maxHandlersPerConnection: 2 } });
  });

  it.each([
    [{ matchTicks: 100 }, "unknown configuration key: matchTicks"],
    [{ enqueueTimeoutMs: "2s" }, "enqueueTimeoutMs must be a positive integer (milliseconds)"],
    [{ maxFramesPerSecond: 0 }, "maxFramesPerSecond must be a positive integer"],
    [{ maxHandlersPerConnection: 1.5 }, "maxHandlersPerConnection must be a positive integer"],
    [{ gameModes: [] }, "gameModes must be a non-empty list"],
  ])("refuses %j with one line naming the key", (input, error) => {
    expect(configFrom(input)).toEqual({ ok: false, error });
  });
});
