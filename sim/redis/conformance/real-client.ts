import { Redis } from "ioredis";
import type { Command, Outcome } from "./command.ts";
import type { RealRedis } from "./runner.ts";

/**
 * ioredis reshapes the reply of a lower-case `hgetall` into an object; upper-case names are left alone.
 * Other names go as written: Redis quotes an unknown command's name back as sent.
 */
const RESHAPED = new Set(["hgetall"]);

/** A real Redis through ioredis `call`, as the runner wants it. */
export class IoredisClient implements RealRedis {
  private constructor(readonly client: Redis) {}

  static async connect(url: string): Promise<IoredisClient> {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    return new IoredisClient(client);
  }

  async execute(command: Command): Promise<Outcome> {
    try {
      return { reply: await this.client.call(RESHAPED.has(command.name) ? command.name.toUpperCase() : command.name, ...command.args) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  /** The keyspace and the script cache emptied: the state a fresh simulated engine starts from. */
  async reset(): Promise<void> {
    await this.client.call("FLUSHALL");
    await this.client.call("SCRIPT", "FLUSH");
  }

  disconnect(): void {
    this.client.disconnect();
  }
}
