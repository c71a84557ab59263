import type { HttpPort, HttpRequestOptions, HttpResponse } from "../../src/ports/index.ts";
import { hopLatency, type SimContext } from "./context.ts";
import type { SimDedicatedServer } from "./sim-dedicated-server.ts";

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
    const address = /^http:\/\/([^/]+)\//.exec(url)?.[1] ?? "";
    const server = this.servers.get(address);
    const unreachable = !server || rng.chance(faults.serverUnreachable);
    const failure = unreachable ? null : rng.chance(faults.serverError) ? "5xx" : rng.chance(faults.serverMalformed) ? "malformed" : null;
    const slowMs = rng.chance(faults.serverSlow) ? rng.int(1_000, 8_000) : 0;

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
        {
          lane: this.lane,
          source: `${source}:timeout`,
          owner: this.owner,
          kind: "timer",
          label: `http timeout ${url}`,
          readyAt: steps.now + options.timeoutMs,
        },
        () => {
          settle(() => reject(new Error(`request to ${url} timed out after ${options.timeoutMs} ms`)));
          return "timed out";
        },
      );
      const reply = (response: HttpResponse, note: string) =>
        steps.add(
          {
            lane: this.lane,
            source,
            owner: this.owner,
            kind: "http-reply",
            label: `reply ${response.status} ${url}`,
            readyAt: steps.now + hopLatency(this.context, 0) + slowMs,
          },
          () => (settle(() => resolve(response)) ? `${note}${response.body}` : "too late: already timed out"),
        );
      steps.add(
        {
          lane: server ? `ds:${server.id}` : this.lane,
          source,
          owner: null,
          kind: "http-request",
          label: `POST ${url}`,
          readyAt: steps.now + hopLatency(this.context, 0),
        },
        () => {
          if (unreachable) {
            settle(() => reject(new Error(`connect ECONNREFUSED ${address}`)));
            return "unreachable";
          }
          if (failure === "5xx") {
            reply({ status: 500, body: "Internal Server Error" }, "fault 5xx: ");
            return body;
          }
          if (failure === "malformed") {
            reply({ status: 200, body: '{"server_address":42,"session_id":"' }, "fault malformed: ");
            return body;
          }
          void server!.handle(body, options.headers ?? {}).then((response) => reply(response, ""));
          return body;
        },
      );
    });
  }
}
