import type { Delivery } from "./contract.ts";
import { globMatch } from "./glob.ts";

/** Who listens to what. PUBLISH turns one message into one Delivery per matching subscription. */
export class PubSub {
  private readonly channels = new Map<string, Set<string>>();
  private readonly patterns = new Map<string, Set<string>>();

  subscribe(subscriber: string, channel: string): void {
    add(this.channels, channel, subscriber);
  }

  psubscribe(subscriber: string, pattern: string): void {
    add(this.patterns, pattern, subscriber);
  }

  disconnect(subscriber: string): void {
    for (const index of [this.channels, this.patterns]) {
      for (const [name, subscribers] of index) {
        subscribers.delete(subscriber);
        if (subscribers.size === 0) index.delete(name);
      }
    }
  }

  /** Channel subscribers first, then pattern subscribers, as Redis delivers them. */
  deliveries(channel: string, message: string): Delivery[] {
    const out: Delivery[] = [];
    for (const subscriber of this.channels.get(channel) ?? []) {
      out.push({ subscriber, channel, pattern: null, message });
    }
    for (const [pattern, subscribers] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const subscriber of subscribers) out.push({ subscriber, channel, pattern, message });
    }
    return out;
  }
}

function add(index: Map<string, Set<string>>, name: string, subscriber: string): void {
  let subscribers = index.get(name);
  if (subscribers === undefined) index.set(name, (subscribers = new Set()));
  subscribers.add(subscriber);
}
