import type { IncomingMessage, ServerResponse } from "node:http";

export type Route = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Exact `METHOD /path` routes; anything else is 404, and a route that fails answers 500. */
export function router(routes: Record<string, Route>, onError: (error: unknown) => void) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const route = routes[`${request.method} ${path}`];
    if (!route) {
      reply(response, 404, "application/json", JSON.stringify({ error: "not found" }));
      return;
    }
    route(request, response).catch((error: unknown) => {
      onError(error);
      if (!response.headersSent) reply(response, 500, "application/json", JSON.stringify({ error: "internal error" }));
    });
  };
}

export function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

/** Reads a request body, refusing (null) one longer than `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
