import type { HttpPort, HttpRequestOptions, HttpResponse } from "../ports/index.ts";

/**
 * HTTP on Node's global fetch. The timeout covers the whole exchange, body included, so a server that
 * answers headers and then stalls still fails the call.
 */
export class FetchHttp implements HttpPort {
  async post(url: string, body: string, options: HttpRequestOptions): Promise<HttpResponse> {
    const response = await fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  }
}
