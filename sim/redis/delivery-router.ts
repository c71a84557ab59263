import type { MessageListener } from "../../src/ports/index.ts";
import type { Delivery, SimulatedRedis } from "./contract.ts";

interface ClientListeners {
  channels: Map<string, MessageListener[]>;
  patterns: Map<string, MessageListener[]>;
}

/**
 * Hands PUBLISH deliveries to the listeners that DirectRedisPorts registered for their client, each on a
 * later microtask (a subscriber never runs inside the publisher's command).
 */
export class DeliveryRouter {
  private readonly clients = new Map<string, ClientListeners>();

  listen(client: string, kind: "channel" | "pattern", name: string, listener: MessageListener): void {
    let listeners = this.clients.get(client);
    if (listeners === undefined) {
      listeners = { channels: new Map(), patterns: new Map() };
      this.clients.set(client, listeners);
    }
    const index = kind === "channel" ? listeners.channels : listeners.patterns;
    const existing = index.get(name);
    if (existing === undefined) index.set(name, [listener]);
    else existing.push(listener);
  }

  forget(client: string): void {
    this.clients.delete(client);
  }

  route(deliveries: readonly Delivery[]): void {
    for (const delivery of deliveries) {
      const listeners = this.clients.get(delivery.subscriber);
      if (listeners === undefined) continue;
      const targets =
        delivery.pattern === null ? listeners.channels.get(delivery.channel) : listeners.patterns.get(delivery.pattern);
      for (const listener of targets ?? []) queueMicrotask(() => listener(delivery.channel, delivery.message));
    }
  }
}

const routers = new WeakMap<SimulatedRedis, DeliveryRouter>();

export function attachRouter(engine: SimulatedRedis, router: DeliveryRouter): void {
  routers.set(engine, router);
}

export function routerOf(engine: SimulatedRedis): DeliveryRouter {
  const router = routers.get(engine);
  if (router === undefined) throw new Error("DirectRedisPort needs an engine made by createSimulatedRedis");
  return router;
}
