/**
 * Replies remembered by idempotency key, so a create call retried after a lost reply gets the session it
 * already created instead of a second one. Holds the reply while it is being made too: a retry racing the
 * first call waits for it. Bounded: the oldest key is forgotten first.
 */
export class ReplyMemory<Reply> {
  private readonly replies = new Map<string, { fingerprint: string; reply: Promise<Reply> }>();

  constructor(private readonly limit: number) {}

  /**
   * The reply for `key`: the remembered one when `fingerprint` (what was asked) matches, `mismatch` when
   * the key was used for a different request, else a new one from `make`. A reply `keep` refuses is not
   * remembered, so a retry of a failed call is tried afresh.
   */
  async replyFor(
    key: string,
    fingerprint: string,
    make: () => Promise<Reply>,
    keep: (reply: Reply) => boolean,
  ): Promise<Reply | "mismatch"> {
    const known = this.replies.get(key);
    if (known) return known.fingerprint === fingerprint ? known.reply : "mismatch";
    const reply = make();
    this.replies.set(key, { fingerprint, reply });
    this.forgetOldest();
    const settled = await reply.catch((error: unknown) => {
      this.replies.delete(key);
      throw error;
    });
    if (!keep(settled)) this.replies.delete(key);
    return settled;
  }

  private forgetOldest(): void {
    while (this.replies.size > this.limit) {
      const oldest = this.replies.keys().next();
      if (oldest.done) return;
      this.replies.delete(oldest.value);
    }
  }
}
