import { redisServerPath } from "../support/redis-server.ts";

/** Real-Redis tests run when redis-server is installed or REDIS_URL points at one; otherwise they say why they skip. */
export const realRedisAvailable = Boolean(process.env.REDIS_URL) || redisServerPath() !== null;

if (!realRedisAvailable) {
  console.warn("test/real: skipped: redis-server not found (apt-get install -y redis-server) and REDIS_URL unset");
}
