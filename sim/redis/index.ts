export { createSimulatedRedis } from "./engine.ts";
export { DirectRedisPort } from "./direct-port.ts";
export { RedisCommandError } from "./contract.ts";
export type { Delivery, EngineOptions, KeyspaceSnapshot, KeyValue, RedisArg, RedisReply, SimulatedRedis } from "./contract.ts";
export type { Footprint } from "./footprint.ts";
