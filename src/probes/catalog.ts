import type { LogFields, Logger, LogLevel } from "../ports/logger.ts";
import type { Probes } from "../ports/probes.ts";
import type { RedisPort, RedisReply } from "../ports/redis.ts";

/** One probe: what hitting it means, and whether a campaign that never hits it has missed something. */
export interface ProbeEntry {
  what: string;
  /** False for a branch no simulated world can take (a socket's send failing): with the reason in `what`. */
  mustHit: boolean;
}

/** Every probe of one part of the server, by name: registered up front, so a never-hit probe can be named. */
export type ProbeCatalog = Readonly<Record<string, ProbeEntry>>;

export const must = (what: string): ProbeEntry => ({ what, mustHit: true });
export const optional = (what: string): ProbeEntry => ({ what, mustHit: false });

/** Where a probe not in its catalog is counted: a gap in the catalog, which reports and tests name. */
export const UNREGISTERED = "unregistered";

/** Fields whose short value says which way a logged branch went (`reason: no_server`, `kind: bad-player-id`). */
const REFINING_FIELDS = ["reason", "kind", "result", "how", "state", "status"] as const;
const WORD = /^[a-z][a-z0-9_-]*$/;

/** The catalog's most specific name for `base` refined by `detail`, or `base`, or null when neither is listed. */
function listed(catalog: ProbeCatalog, base: string, detail: string | undefined): string | null {
  if (detail !== undefined && catalog[`${base}.${detail}`]) return `${base}.${detail}`;
  return catalog[base] ? base : null;
}

/**
 * A logger whose every event is also a probe hit, `<prefix><event>` refined by the first short word among the
 * event's refining fields when the catalog lists that refinement: every logged branch counts, without a second
 * call at each site. Events the catalog lacks count as `<prefix>unregistered` and still log.
 */
export function probingLogger(logger: Logger, probes: Probes, catalog: ProbeCatalog, prefix: string): Logger {
  return {
    log(level: LogLevel, event: string, fields: LogFields = {}): void {
      const refinement = REFINING_FIELDS.map((field) => fields[field]).find((value) => typeof value === "string" && WORD.test(value));
      probes.hit(listed(catalog, `${prefix}${event}`, refinement as string | undefined) ?? `${prefix}${UNREGISTERED}`);
      logger.log(level, event, fields);
    },
  };
}

/**
 * Hits the probe of a script's reply: `<prefix><script>.<status>`, refined by its second word where the
 * catalog lists it (`enqueue.queued.repaired`). A reply that is not a status word counts as unregistered.
 */
export function probeScriptReply(probes: Probes, catalog: ProbeCatalog, prefix: string, script: string, reply: RedisReply): void {
  const [status, detail] = Array.isArray(reply) ? reply : [];
  const base = `${prefix}${script}.${typeof status === "string" ? status : "?"}`;
  probes.hit(listed(catalog, base, typeof detail === "string" ? detail : undefined) ?? `${prefix}${UNREGISTERED}`);
}

/** Per catalog and prefix: every world starts instances, and the catalog never changes. */
const probedByCatalog = new WeakMap<ProbeCatalog, Map<string, ReadonlySet<string>>>();

/** The scripts the catalog lists status words of under `prefix`. */
function probedScripts(catalog: ProbeCatalog, prefix: string): ReadonlySet<string> {
  let byPrefix = probedByCatalog.get(catalog);
  if (byPrefix === undefined) probedByCatalog.set(catalog, (byPrefix = new Map()));
  let probed = byPrefix.get(prefix);
  if (probed === undefined) {
    probed = new Set(Object.keys(catalog).filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length).split(".")[0] as string));
    byPrefix.set(prefix, probed);
  }
  return probed;
}

/**
 * A Redis connection whose script replies are also probe hits (`probeScriptReply`), for the scripts the catalog
 * lists status words of; others (their replies are lists of ids) go by unprobed.
 */
export function probingRedis(redis: RedisPort, probes: Probes, catalog: ProbeCatalog, prefix: string): RedisPort {
  const probed = probedScripts(catalog, prefix);
  return {
    call: (command, ...args) => redis.call(command, ...args),
    psubscribe: (pattern, listener) => redis.psubscribe(pattern, listener),
    subscribe: (channel, listener) => redis.subscribe(channel, listener),
    // Optional methods too: a wrapper that dropped one would leave the server deaf to what it tells.
    ...(redis.onResubscribed ? { onResubscribed: (listener: () => void) => redis.onResubscribed?.(listener) } : {}),
    async runScript(script, keys, args) {
      const reply = await redis.runScript(script, keys, args);
      const name = script.name.slice(script.name.indexOf(":") + 1);
      if (probed.has(name)) probeScriptReply(probes, catalog, prefix, name, reply);
      return reply;
    },
  };
}
