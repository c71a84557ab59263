import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { ClientSocket, ConnectionEvents } from "../ports/index.ts";

/** actix-web's default frame limit: a larger frame is a protocol error that closes the connection (1009). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** The client endpoint, with and without the trailing slash the legacy route has. */
const PATHS = new Set(["/ws/", "/ws"]);

export interface ConnectionAcceptor {
  connect(socket: ClientSocket): ConnectionEvents;
}

export interface WebSocketTransport {
  /** Client sockets currently open. */
  readonly openSockets: number;
  /**
   * Closes every client socket (1001, going away) and stops accepting new ones. Sockets that have not
   * finished the closing handshake within `graceMs` are cut.
   */
  close(graceMs: number): Promise<void>;
}

/** Serves WebSocket clients on `/ws/` of an existing HTTP server, handing each socket to the match server. */
export function attachWebSocketTransport(http: Server, acceptor: ConnectionAcceptor): WebSocketTransport {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  let accepting = true;

  http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (!accepting || !PATHS.has(path)) {
      socket.end(`HTTP/1.1 ${accepting ? "404 Not Found" : "503 Service Unavailable"}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wire(ws, acceptor));
  });

  return {
    get openSockets() {
      return wss.clients.size;
    },
    async close(graceMs: number) {
      accepting = false;
      const closed = [...wss.clients].map(
        (ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.once("close", () => resolve()))),
      );
      for (const ws of wss.clients) ws.close(1001, "server shutting down");
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, graceMs);
      await Promise.all(closed);
      clearTimeout(cut);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function wire(ws: WebSocket, acceptor: ConnectionAcceptor): void {
  const events = acceptor.connect({
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    ping: () => {
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    },
    close: (code, reason) => ws.close(code, reason),
  });
  // Binary frames carry the same JSON as text ones: the server only ever reads them as text.
  ws.on("message", (data: RawData) => events.onText(rawText(data)));
  ws.on("pong", () => events.onPong());
  // A client's ping is a sign of life too, as in actix's heartbeat; ws answers the pong itself.
  ws.on("ping", () => events.onPong());
  // 'close' follows every 'error' (an oversize frame, a broken socket); the listener only keeps the
  // error from becoming an uncaught exception.
  ws.on("error", () => {});
  ws.once("close", () => events.onClose());
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data).toString("utf8");
}
