/** The loopback `redis-server` the tests start lives with the conformance suite, which starts one too. */
export {
  freePort,
  redisServerPath,
  startRealRedis,
  type RedisServer as RealRedis,
} from "../../sim/redis/conformance/real-server.ts";
