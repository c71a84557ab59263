/**
 * Runs a handler concurrently with the others, as an actix actor would. What escapes the handler is the
 * supervisor's to judge: in a real process an escaped error is an unhandled rejection that kills the
 * instance; in simulation it is a `no-crash` violation and the instance dies.
 */
export interface Supervisor {
  spawn(handler: string, work: () => Promise<void>): void;
}
