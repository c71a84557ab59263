/** The server's side of one client connection, whatever carries it (a `ws` socket or a simulated one). */
export interface ClientSocket {
  send(text: string): void;
  ping(): void;
  close(code?: number, reason?: string): void;
}

/** What the transport tells the connection logic. */
export interface ConnectionEvents {
  onText(text: string): void;
  onPong(): void;
  /** The socket is gone, by either side. Called once. */
  onClose(): void;
}
