import type { MatchConfig } from "../config/config.ts";

/** The legacy server's Redis layout (DESIGN section 2). */
export const queueKey = (config: MatchConfig, mode: string): string => `${config.queueKeyPrefix}:${mode}`;

export const loadingKey = (sessionId: string): string => `loading:${sessionId}`;
export const LOADING_KEY_PATTERN = "loading:*";

export const matchLockKey = (mode: string): string => `lock:match:${mode}`;
/** The Rust code builds it as `lock:{loading key}`, so the sweep and the handlers share one lock per session. */
export const loadingLockKey = (loadingSessionKey: string): string => `lock:${loadingSessionKey}`;

export const dedicatedServerKey = (id: string): string => `dedicated_server:${id}`;
export const DEDICATED_SERVER_PATTERN = "dedicated_server:*";

export const NOTIFICATION_PREFIX = "notifications:";
export const NOTIFICATION_PATTERN = `${NOTIFICATION_PREFIX}*`;
export const notificationChannel = (player: string): string => `${NOTIFICATION_PREFIX}${player}`;
