import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { attachWebSocketTransport, MAX_PAYLOAD_BYTES, type WebSocketTransport } from "../../src/adapters/ws-transport.ts";
import type { ClientSocket, ConnectionEvents } from "../../src/ports/index.ts";

/** Records what the transport reports per connection and keeps the server side of each socket. */
class RecordingAcceptor {
  readonly sockets: ClientSocket[] = [];
  readonly events: string[] = [];
  connect(socket: ClientSocket): ConnectionEvents {
    const id = this.sockets.push(socket);
    return {
      onText: (text) => this.events.push(`${id} text ${text}`),
      onPong: () => this.events.push(`${id} pong`),
      onClose: () => this.events.push(`${id} close`),
    };
  }
}

describe("WebSocket transport", () => {
  let http: Server;
  let transport: WebSocketTransport;
  let acceptor: RecordingAcceptor;
  let base: string;

  async function start(): Promise<void> {
    acceptor = new RecordingAcceptor();
    http = createServer((_request, response) => response.writeHead(404).end());
    transport = attachWebSocketTransport(http, acceptor);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  async function open(path = "/ws/"): Promise<WebSocket> {
    const ws = new WebSocket(`${base}${path}`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return ws;
  }

  afterEach(async () => {
    await transport.close(100);
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  it("hands text and binary frames to the connection as text, and sends the server's text back", async () => {
    await start();
    const ws = await open();
    const received: string[] = [];
    ws.on("message", (data) => received.push(String(data)));
    ws.send('{"type":"enqueue"}');
    ws.send(Buffer.from('{"binary":true}'), { binary: true });
    await expect.poll(() => acceptor.events).toEqual(['1 text {"type":"enqueue"}', '1 text {"binary":true}']);
    acceptor.sockets[0]?.send('{"type":"queued"}');
    await expect.poll(() => received).toEqual(['{"type":"queued"}']);
    ws.close();
  });

  it("reports pongs to server pings and the close, once", async () => {
    await start();
    const ws = await open("/ws");
    acceptor.sockets[0]?.ping();
    await expect.poll(() => acceptor.events).toEqual(["1 pong"]);
    ws.close();
    await expect.poll(() => acceptor.events).toEqual(["1 pong", "1 close"]);
    acceptor.sockets[0]?.send("after close is dropped");
    acceptor.sockets[0]?.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acceptor.events).toEqual(["1 pong", "1 close"]);
  });

  it("closes a connection that sends an oversize frame with 1009", async () => {
    await start();
    const ws = await open();
    const closed = new Promise<number>((resolve) => ws.once("close", resolve));
    ws.send("x".repeat(MAX_PAYLOAD_BYTES + 1));
    expect(await closed).toBe(1009);
    await expect.poll(() => acceptor.events).toEqual(["1 close"]);
  });

  it("refuses upgrades on other paths", async () => {
    await start();
    await expect(open("/other")).rejects.toThrow(/404/);
    expect(acceptor.sockets).toHaveLength(0);
  });

  it("closes every client with 1001 on shutdown and refuses new ones", async () => {
    await start();
    const clients = [await open(), await open()];
    const codes = clients.map((ws) => new Promise<number>((resolve) => ws.once("close", resolve)));
    await transport.close(500);
    expect(await Promise.all(codes)).toEqual([1001, 1001]);
    expect(acceptor.events.sort()).toEqual(["1 close", "2 close"]);
    expect(transport.openSockets).toBe(0);
    await expect(open()).rejects.toThrow(/503/);
  });
});
