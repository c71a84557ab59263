import cancelVsComplete from "../../scenarios/cancel-vs-complete.ts";
import completeVsStale from "../../scenarios/complete-vs-stale.ts";
import malformedInput from "../../scenarios/malformed-input.ts";
import staleSweep from "../../scenarios/stale-sweep.ts";
import type { Scenario, WorldOptions } from "../../sim/scenario/options.ts";
import type { ActTiming } from "./world.ts";

export const DEFECTS = ["cancel-vs-complete", "complete-vs-stale", "stale-sweep", "malformed-input"] as const;
export type Defect = (typeof DEFECTS)[number];

export function isDefect(name: string): name is Defect {
  return (DEFECTS as readonly string[]).includes(name);
}

/**
 * `race`: the scenario's world (players, behaviours, instances, servers, config, skew, corruption) with the
 * racing client actions fired at one instant, which is how a fast-check user sets a race up for
 * fc.scheduler: it has no clock, so only work pending at the same instant competes for its choices.
 * `scenario`: the scenario exactly as the harness runs it, actions moved onto coincidences as its world does.
 * `drawn`: the scenario with every action when the player drew it: what a fast-check user who writes a world for
 * fc.scheduler gets, since seeking coincidences needs a view of every pending timer that fc.scheduler lacks.
 */
export type SetupKind = "race" | "scenario" | "drawn";
export const SETUP_KINDS: readonly SetupKind[] = ["race", "scenario", "drawn"];

export interface DefectSetup {
  scenario: Scenario;
  options: WorldOptions;
  /** A fresh timing for each run (it may keep per-run state); absent: the players' own draws. */
  timing?: () => ActTiming;
}

/**
 * cancel-vs-complete (seed defect 2). Two instances, four players (normal, quits-during-loading, twice), two
 * dedicated servers, as the scenario. Race: one second after start_loading every normal player sends
 * loading_complete and every quitter closes its socket, at the same instant, so HandleLoadingComplete and
 * CancelLoadingSession (or two HandleLoadingCompletes, when SPOP pairs two normal players) contend for the
 * session lock. A quitter never sends its own loading_complete (it would fire after it left).
 * Broken when the loser's message is dropped: the ready player is later timed out by the sweep
 * (ready-respected) or a disconnected player is re-queued (no-lost-player).
 */
function cancelVsCompleteRace(): ActTiming {
  return ({ player, label, delayMs }) => {
    if (label === "loading complete") return player.behaviour === "quits-during-loading" ? 2_000 : 1_000;
    if (label === "quit during loading") return 1_000;
    return delayMs;
  };
}

/**
 * complete-vs-stale (seed defects 1 and 3). Three instances with clocks skewed up to 25 s either way, six
 * slow loaders, two dedicated servers, as the scenario, but all joining within 2 s so every session is
 * created by the first ticks (5 to 15 s). Race: in each session the first member to hear start_loading is
 * ready after 40 s; the other sends loading_complete exactly when the 60 s stale sweep fires on all three
 * instances, still in time (the deadline is 60 s after creation, minus the oracle's 5 s grace). The sweep's
 * lock, its skewed judgement of `created_at` and the ready signal race; broken when a player who was ready
 * in time is timed out (ready-respected).
 */
function completeVsStaleRace(): ActTiming {
  const firstMemberSeen = new Set<string>();
  return ({ player, label, delayMs, now, config }) => {
    if (label !== "loading complete" || player.view.state !== "loading") return delayMs;
    const session = player.view.session;
    if (!firstMemberSeen.has(session)) {
      firstMemberSeen.add(session);
      return 40_000;
    }
    const sweep = Math.ceil((now + 1) / config.staleSweepMs) * config.staleSweepMs;
    const lastInTime = config.loadingTimeoutMs - 5_000;
    return sweep - now <= lastInTime ? sweep - now : 40_000;
  };
}

/**
 * stale-sweep (seed defect 3). Two instances, six players (normal and quits-before-match alternating), two
 * dedicated servers, as the scenario. Race: every quitter closes its socket exactly at the next match tick
 * after it joined, so its DequeuePlayer races TryMatch on both instances. Broken when SPOP takes the quitter
 * first: its session has a member nobody will cancel, and the sweep later re-queues it (no-lost-player) and
 * times out its partner who was ready (ready-respected).
 */
function staleSweepRace(): ActTiming {
  return ({ label, delayMs, now, config }) => {
    if (label !== "quit before match") return delayMs;
    return Math.ceil((now + 1) / config.matchTickMs) * config.matchTickMs - now;
  };
}

/** The setup of one defect: its scenario, and in `race` setups the timing that fires the racing inputs together. */
export function setupFor(defect: Defect, kind: SetupKind): DefectSetup {
  const setup = raceOrScenario(defect, kind);
  return kind === "drawn" ? { ...setup, options: { ...setup.options, coincidence: 0 } } : setup;
}

function raceOrScenario(defect: Defect, kind: SetupKind): DefectSetup {
  switch (defect) {
    case "cancel-vs-complete":
      return { scenario: cancelVsComplete, options: cancelVsComplete.options, timing: kind === "race" ? cancelVsCompleteRace : undefined };
    case "complete-vs-stale":
      return kind === "race"
        ? { scenario: completeVsStale, options: { ...completeVsStale.options, joinWindowMs: 2_000 }, timing: completeVsStaleRace }
        : { scenario: completeVsStale, options: completeVsStale.options };
    case "stale-sweep":
      return { scenario: staleSweep, options: staleSweep.options, timing: kind === "race" ? staleSweepRace : undefined };
    case "malformed-input":
      // Seed defect 4, the scenario as it is in every setup: two instances, five players (one with a non-UUID
      // id that also sends garbage frames, three normal, one asking for an unknown mode), one foreign write of
      // garbage into the queue or the server registry. No race is needed: the bad id is queued, and whichever
      // tick pops it panics in parseUuidOrPanic (no-crash).
      return { scenario: malformedInput, options: malformedInput.options };
  }
}
