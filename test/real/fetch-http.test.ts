import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FetchHttp } from "../../src/adapters/fetch-http.ts";

describe("FetchHttp against a local node:http server", () => {
  let server: Server;
  let base: string;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      seen.push({ url: request.url ?? "", headers: request.headers, body });
      if (request.url === "/slow") return void setTimeout(() => response.end("late"), 2_000);
      if (request.url === "/stall") {
        response.writeHead(200);
        response.write("partial");
        return;
      }
      response.writeHead(request.url === "/fail" ? 503 : 201, { "content-type": "text/plain" });
      response.end(`got ${body}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const http = new FetchHttp();

  it("posts the body with JSON content type and extra headers, and returns status and text", async () => {
    const reply = await http.post(`${base}/ok`, '{"a":1}', { timeoutMs: 1_000, headers: { "Idempotency-Key": "k1" } });
    expect(reply).toEqual({ status: 201, body: 'got {"a":1}' });
    const request = seen.find((entry) => entry.url === "/ok");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["idempotency-key"]).toBe("k1");
  });

  it("returns error statuses instead of rejecting", async () => {
    expect(await http.post(`${base}/fail`, "x", { timeoutMs: 1_000 })).toEqual({ status: 503, body: "got x" });
  });

  it("rejects when the reply does not come within the timeout", async () => {
    const started = performance.now();
    await expect(http.post(`${base}/slow`, "", { timeoutMs: 100 })).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("rejects when the body stalls after the headers", async () => {
    await expect(http.post(`${base}/stall`, "", { timeoutMs: 150 })).rejects.toThrow();
  });

  it("rejects when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(http.post(`http://127.0.0.1:${port}/x`, "", { timeoutMs: 1_000 })).rejects.toThrow();
  });
});
