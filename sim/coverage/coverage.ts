import { UNREGISTERED, type ProbeCatalog } from "../../src/probes/catalog.ts";

/** Hits per probe name: of one run, or merged over a campaign. */
export type Hits = Readonly<Record<string, number>>;

/** A coverage file (`--coverage FILE`): every probe of the catalog with its hits and whether it must be hit. */
export interface CoverageFile {
  probes: Record<string, { hits: number; mustHit: boolean }>;
}

/** What a campaign's JSON says of coverage. */
export interface CoverageSummary {
  probes: number;
  hit: number;
  neverHit: string[];
}

export function mergeHits(into: Record<string, number>, more: Hits): void {
  for (const [probe, hits] of Object.entries(more)) into[probe] = (into[probe] ?? 0) + hits;
}

/** Every catalog probe with its hits, plus any probe hit that the catalog lacks (the catalog's gaps). */
export function coverageFile(catalog: ProbeCatalog, hits: Hits): CoverageFile {
  const probes: CoverageFile["probes"] = {};
  for (const [name, entry] of Object.entries(catalog)) probes[name] = { hits: hits[name] ?? 0, mustHit: entry.mustHit };
  for (const [name, count] of Object.entries(hits)) if (!(name in probes)) probes[name] = { hits: count, mustHit: false };
  return { probes: Object.fromEntries(Object.entries(probes).sort(([a], [b]) => a.localeCompare(b))) };
}

/** The catalog's probes never hit, the must-hit ones first, then the optional ones. */
export function neverHit(file: CoverageFile): { must: string[]; optional: string[] } {
  const never = Object.entries(file.probes).filter(([, probe]) => probe.hits === 0);
  return { must: never.filter(([, probe]) => probe.mustHit).map(([name]) => name), optional: never.filter(([, probe]) => !probe.mustHit).map(([name]) => name) };
}

/** Probes hit that the catalog does not list: a branch logged under a name nobody registered. */
export function unregistered(file: CoverageFile): string[] {
  return Object.entries(file.probes)
    .filter(([name, probe]) => probe.hits > 0 && name.endsWith(`.${UNREGISTERED}`))
    .map(([name]) => name);
}

export function summary(file: CoverageFile): CoverageSummary {
  const names = Object.keys(file.probes);
  const never = neverHit(file);
  return { probes: names.length, hit: names.filter((name) => (file.probes[name]?.hits ?? 0) > 0).length, neverHit: [...never.must, ...never.optional] };
}

/** Two coverage files of one catalog (shards of a campaign) as one: hits add up, must-hit if either says so. */
export function mergeFiles(files: readonly CoverageFile[]): CoverageFile {
  const probes: CoverageFile["probes"] = {};
  for (const file of files) {
    for (const [name, probe] of Object.entries(file.probes)) {
      const known = probes[name];
      probes[name] = known ? { hits: known.hits + probe.hits, mustHit: known.mustHit || probe.mustHit } : { ...probe };
    }
  }
  return { probes: Object.fromEntries(Object.entries(probes).sort(([a], [b]) => a.localeCompare(b))) };
}
