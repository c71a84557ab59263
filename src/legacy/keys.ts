import type { MatchConfig } from "../config/config.ts";

/** The legacy server's Redis layout (DESIGN section 2). */
export const queueKey = (config: MatchConfig, mode: string): string => `${config.queueKeyPrefix}:${mode}`;

export const LOADING_PREFIX = "loading:";
export const loadingKey = (sessionId: string): string => `${LOADING_PREFIX}${sessionId}`;
export const LOADING_KEY_PATTERN = `${LOADING_PREFIX}*`;

export const LOCK_PREFIX = "lock:";
export const matchLockKey = (mode: string): string => `${LOCK_PREFIX}match:${mode}`;
/** The Rust code builds it as `lock:{loading key}`, so the sweep and the handlers share one lock per session. */
export const loadingLockKey = (loadingSessionKey: string): string => `${LOCK_PREFIX}${loadingSessionKey}`;

export const DEDICATED_SERVER_PREFIX = "dedicated_server:";
export const dedicatedServerKey = (id: string): string => `${DEDICATED_SERVER_PREFIX}${id}`;
export const DEDICATED_SERVER_PATTERN = `${DEDICATED_SERVER_PREFIX}*`;

export const NOTIFICATION_PREFIX = "notifications:";
export const NOTIFICATION_PATTERN = `${NOTIFICATION_PREFIX}*`;
export const notificationChannel = (player: string): string => `${NOTIFICATION_PREFIX}${player}`;
