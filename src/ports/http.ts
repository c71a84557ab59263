export interface HttpResponse {
  status: number;
  body: string;
}

export interface HttpRequestOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** HTTP to dedicated servers. Rejects when the server is unreachable or the timeout passes. */
export interface HttpPort {
  post(url: string, body: string, options: HttpRequestOptions): Promise<HttpResponse>;
}
