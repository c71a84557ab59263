import type { HttpPort, HttpRequestOptions, HttpResponse } from "../../src/ports/index.ts";
import type { HttpReplyEvent, HttpRequestEvent } from "../trace/events.ts";
import { hopLatency, type SimContext } from "./context.ts";
import type { SimDedicatedServer } from "./sim-dedicated-server.ts";

/** What a fault makes a dedicated server answer in its place. */
const FAULT_REPLIES: Record<"5xx" | "malformed", HttpResponse> = {
  "5xx": { status: 500, body: "Internal Server Error" },
  malformed: { status: 200, body: '{"server_address":42,"session_id":"' },
};

/** What a proxy answers when the server it retries a request on is down. */
const BAD_GATEWAY: HttpResponse = { status: 502, body: "Bad Gateway" };

/**
 * When a retrying proxy sends a request again after the reply was lost, in ms: its per-try timeout or back-off,
 * short of any caller's own timeout.
 */
const MIN_PROXY_RETRY_MS = 50;
const MAX_PROXY_RETRY_MS = 1_000;

/** HTTP from one instance to the simulated dedicated servers: request, reply and timeout are steps. */
export class SimHttp implements HttpPort {
  private sequence = 0;

  constructor(
    private readonly context: SimContext,
    private readonly servers: ReadonlyMap<string, SimDedicatedServer>,
    private readonly owner: string,
    private readonly lane: string,
  ) {}

  post(url: string, body: string, options: HttpRequestOptions): Promise<HttpResponse> {
    const { steps, rng, faults } = this.context;
    const source = `http:${this.owner}:${this.sequence++}`;
    // Not new URL(): a server may build a URL from a garbage address, and must meet an unreachable host, not a throw.
    const address = /^http:\/\/([^/]+)\//.exec(url)?.[1] ?? "";
    const server = this.servers.get(address);
    const cutOff = server !== undefined && rng.chance(faults.serverUnreachable);
    // A host on the far side of a partition (the server-partition fault) answers nothing, refusals included.
    const partitioned = server?.cutOff === true;
    const unreachable = !server || cutOff || partitioned || !server.alive;
    // A host cut off from the network refuses nothing: half the time the call meets silence until its timeout, as
    // a partition or a host gone does; else it is refused, as a firewall rejects.
    const silent = partitioned || (cutOff && rng.chance(0.5));
    const failure = unreachable ? null : rng.chance(faults.serverError) ? "5xx" : rng.chance(faults.serverMalformed) ? "malformed" : null;
    const slowMs = rng.chance(faults.serverSlow) ? rng.int(1_000, 8_000) : 0;
    // Drawn only in worlds that have the fault, so that the network stream of the others stays what it was.
    const retried = faults.serverRetried ?? 0;
    const retryMs = retried > 0 && rng.chance(retried) ? rng.int(MIN_PROXY_RETRY_MS, MAX_PROXY_RETRY_MS) : null;
    const instance = this.owner;

    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return false;
        settled = true;
        steps.cancel(timeout);
        outcome();
        return true;
      };
      const timeout = steps.add(
        { lane: this.lane, source: `${source}:timeout`, owner: this.owner, kind: "http-timeout", readyAt: steps.now + options.timeoutMs },
        () => {
          settle(() => reject(new Error(`request to ${url} timed out after ${options.timeoutMs} ms`)));
          return { kind: "http-timeout", instance, url, timeoutMs: options.timeoutMs };
        },
      );
      server?.called(timeout);
      const reply = (response: HttpResponse, fault: HttpReplyEvent["fault"]) =>
        steps.add(
          { lane: this.lane, source, owner: this.owner, kind: "http-reply", readyAt: steps.now + hopLatency(this.context, 0) + slowMs },
          (): HttpReplyEvent => {
            const late = !settle(() => resolve(response));
            return { kind: "http-reply", instance, address, url, status: response.status, body: response.body, fault, late };
          },
        );
      const event = (outcome: HttpRequestEvent["outcome"]): HttpRequestEvent => ({
        kind: "http-request",
        instance,
        server: server?.id ?? null,
        address,
        url,
        body,
        outcome,
      });
      // The proxy's second try meets the server as it is by then: gone, cut off, or a new process.
      const retry = (target: SimDedicatedServer, delayMs: number) =>
        steps.add({ lane: `ds:${target.id}`, source: `${source}:retry`, owner: null, kind: "http-request", readyAt: steps.now + delayMs }, (): HttpRequestEvent => {
          if (target.cutOff) return event("silent");
          if (!target.alive) {
            reply(BAD_GATEWAY, "5xx");
            return event("5xx");
          }
          void target.handle(body, options.headers ?? {}).then((response) => target.cutOff || reply(response, null));
          return event("handled");
        });
      steps.add(
        { lane: server ? `ds:${server.id}` : this.lane, source, owner: null, kind: "http-request", readyAt: steps.now + hopLatency(this.context, 0) },
        (): HttpRequestEvent => {
          if (silent || server?.cutOff) return event("silent");
          // A server that died while the request was on its way refuses it as one dead when it was sent does.
          if (unreachable || !server!.alive) {
            settle(() => reject(new Error(`connect ECONNREFUSED ${address}`)));
            return event("unreachable");
          }
          if (failure !== null) {
            reply(FAULT_REPLIES[failure], failure);
            return event(failure);
          }
          if (retryMs !== null) {
            void server!.handle(body, options.headers ?? {}).then(() => retry(server!, retryMs));
            return event("retried");
          }
          // A reply the server sends once a partition has cut its host off is lost on the way: the call times out.
          void server!.handle(body, options.headers ?? {}).then((response) => server!.cutOff || reply(response, null));
          return event("handled");
        },
      );
    });
  }
}
