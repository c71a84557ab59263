import { describe, expect, it } from "vitest";
import { offlineQueueGivesUp } from "../../sim/world/offline-queue.ts";

// Lost at 0: ioredis counts retries at the loss (1) and at failed attempts 100 ms (2) and 300 ms (3) later,
// flushing its queue at the third; the next flush is at the sixth, 3,100 ms after the loss.
describe("a simulated client's offline queue, as ioredis's", () => {
  it("fails what it holds at every third retry while Redis is still away", () => {
    expect(offlineQueueGivesUp(0, 5_000, 0)).toBe(300);
    expect(offlineQueueGivesUp(0, 5_000, 299)).toBe(300);
    expect(offlineQueueGivesUp(0, 5_000, 300)).toBe(3_100);
    expect(offlineQueueGivesUp(1_000, 6_000, 1_050)).toBe(1_300);
  });

  it("sends what it holds once the connection is back before the next flush, and everything after", () => {
    expect(offlineQueueGivesUp(0, 250, 10)).toBeNull();
    expect(offlineQueueGivesUp(0, 2_000, 300)).toBeNull();
    expect(offlineQueueGivesUp(0, 2_000, 2_000)).toBeNull();
  });
});
