// The trace report's viewer. Plain browser script, no dependencies: the page must work opened from disk.
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("trace-data").textContent);
  const COLOURS = DATA.colours;
  const LANE_H = 22;
  const AXIS_H = 30;
  const GUTTER = 230;
  const PAD = 14;
  const STEP_W = 8;
  const GAP_LABEL_MS = 100;
  const ROW_H = 24;
  const CHECKPOINT_EVERY = 256;
  const MAX_KEYS_SHOWN = 400;
  /** More dedicated servers than this, or more players than PLAYERS_FOLDED, and their lanes start folded. */
  const SERVERS_FOLDED = 6;
  const PLAYERS_FOLDED = 24;
  const MARK_REFUSED = 1;
  const MARK_DROPPED = 2;
  const MARK_COLOURS = ["", "#d92d20", "#b42318", "#111111", "#7a5af8"];

  // ---------- small helpers ----------
  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [name, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (name === "text") node.textContent = value;
        else if (name === "class") node.className = value;
        else if (name === "style") node.setAttribute("style", value);
        else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
        else node.setAttribute(name, value === true ? "" : value);
      }
    }
    for (const child of children || []) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  /** replaceChildren would print a skipped (null) child as the text "null". */
  function fill(node, ...children) {
    node.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
  }
  const fontFamily = getComputedStyle(document.documentElement).fontFamily || "sans-serif";
  const seconds = (ms) => (ms / 1000).toFixed(3) + " s";
  function shortGap(ms) {
    if (ms < 1000) return "+" + ms + " ms";
    if (ms < 60000) return "+" + (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + " s";
    return "+" + (ms / 60000).toFixed(1) + " min";
  }
  const UUID = /\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
  const abbrev = (text) => text.replace(UUID, "$1");
  function pretty(text) {
    const trimmed = text.trim();
    if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && trimmed.length > 60) {
      try { return JSON.stringify(JSON.parse(trimmed), null, 2); } catch (e) { /* not JSON: shown as is */ }
    }
    return text;
  }
  function lowerBound(array, value, key) {
    let lo = 0;
    let hi = array.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key(array[mid]) < value) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  function copy(text, button) {
    const done = () => { const old = button.textContent; button.textContent = "copied"; setTimeout(() => { button.textContent = old; }, 1200); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
    else fallbackCopy(text, done);
  }
  function fallbackCopy(text, done) {
    const area = el("textarea", { style: "position:fixed;left:-9999px" });
    area.value = text;
    document.body.append(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* clipboard unavailable */ }
    area.remove();
  }
  /** Where a violation was found, with the time of the step it names: an end-of-run check comes after it. */
  function whereFound(v) {
    return v.afterRun
      ? "found at " + seconds(v.at) + " by the end-of-run check, after step " + v.step + " (" + seconds(v.stepAt) + ")"
      : "step " + v.step + " · " + seconds(v.at);
  }

  // ---------- hash: #step=N, #view=shrunk&step=N ----------
  function readHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    const step = params.has("step") ? Number(params.get("step")) : null;
    return { view: params.get("view"), step: Number.isInteger(step) ? step : null };
  }
  function writeHash(viewName, step) {
    const hash = (viewName === DATA.views[0].name ? "" : "view=" + viewName + "&") + (step === null ? "" : "step=" + step);
    if (location.hash.replace(/^#/, "") !== hash) history.replaceState(null, "", "#" + hash);
  }

  // ---------- page header ----------
  const first = DATA.views[0];
  function commandLine(label, text) {
    const button = el("button", { text: "copy", title: "copy to the clipboard" });
    button.addEventListener("click", () => copy(text, button));
    return el("div", { class: "cmd" }, [el("span", { class: "cmd-label", text: label }), el("code", { text, title: text }), button]);
  }
  const firstViolation = first.violations[0];
  document.body.append(el("header", { class: "page" }, [
    el("div", {}, [
      el("div", { class: "app", text: "match-race-sim · trace report" }),
      el("h1", {}, [first.scenario, el("span", { class: "pill", text: first.server }), el("span", { class: "verdict " + first.verdict, text: first.verdict.toUpperCase() })]),
      firstViolation ? el("div", { class: "cause", text: firstViolation.cause }) : null,
      el("div", { class: "meta" }, [
        el("span", {}, ["seed ", el("b", { text: String(first.seed) })]),
        el("span", {}, ["strategy ", el("b", { text: first.strategy })]),
        el("span", {}, ["steps ", el("b", { text: String(first.steps.length) })]),
        el("span", {}, ["players ", el("b", { text: String(first.players) })]),
        el("span", {}, ["violations ", el("b", { text: String(first.violations.length) })]),
        el("span", { class: "mono", title: first.hash }, ["hash ", el("b", { text: first.hash.slice(0, 16) + "…" })]),
      ]),
    ]),
    el("div", { class: "repro" }, [
      first.replay ? commandLine("replay", first.replay) : null,
      first.run ? commandLine("re-run", first.run) : null,
      DATA.views[1] && DATA.views[1].replay ? commandLine("shrunk", DATA.views[1].replay) : null,
    ]),
  ]));

  const views = new Map();
  const tabs = el("nav", { class: "tabs" });
  const tabList = DATA.views.map((data) => ({ name: data.name, title: data.title, count: data.steps.length + " steps · " + data.players + " players" }));
  if (DATA.diff) tabList.push({ name: "diff", title: "What shrinking removed", count: "" });
  if (tabList.length > 1) {
    for (const tab of tabList) {
      const button = el("button", { "data-view": tab.name }, [tab.title, tab.count ? el("span", { class: "count", text: tab.count }) : null]);
      button.addEventListener("click", () => show(tab.name, null));
      tabs.append(button);
    }
    document.body.append(tabs);
  }
  const mainNode = el("main");
  document.body.append(mainNode);

  function show(name, step) {
    for (const view of views.values()) view.root.hidden = true;
    let view = views.get(name);
    if (!view) {
      if (name === "diff" && DATA.diff) view = createDiffView(DATA.diff);
      else {
        const data = DATA.views.find((v) => v.name === name) || DATA.views[0];
        name = data.name;
        view = views.get(name) || createView(data);
      }
      views.set(name, view);
      mainNode.append(view.root);
    }
    view.root.hidden = false;
    for (const button of tabs.children) button.classList.toggle("active", button.getAttribute("data-view") === name);
    view.activate(step);
  }

  // ---------- what shrinking removed ----------
  function createDiffView(diff) {
    const root = el("section", { class: "view" });
    const table = el("table", { class: "diff" }, [
      el("thead", {}, [el("tr", {}, [el("th", { text: "" }), el("th", { text: "original" }), el("th", { text: "shrunk" })])]),
      el("tbody", {}, diff.rows.map(([what, before, after]) => el("tr", { class: before === after ? "same" : "changed" }, [el("th", { text: what }), el("td", { text: before }), el("td", { text: after })]))),
    ]);
    const kept = el("table", { class: "diff players" }, [
      el("thead", {}, [el("tr", {}, [el("th", { text: "player kept" }), el("th", { text: "mode" }), el("th", { text: "behaviour" })])]),
      el("tbody", {}, diff.kept.map((p) => el("tr", {}, [
        el("th", { class: "mono", text: p.id }),
        el("td", { text: p.mode }),
        el("td", {}, p.before === p.after ? [p.after] : [el("s", { text: p.before }), " → " + p.after]),
      ]))),
    ]);
    const removed = el("div", { class: "removed" }, [
      el("b", { text: "Players removed: " }),
      diff.removed.length === 0 ? "none" : diff.removed.map(([behaviour, count]) => count + " " + behaviour).join(", "),
    ]);
    const shrunkView = DATA.views[1];
    const note = el("p", { class: "hint" }, [
      "The shrunk trace breaks the same invariant through the same cause (the same signature): ",
      el("b", { text: shrunkView && shrunkView.violations[0] ? shrunkView.violations[0].cause : "" }),
      ". A kept player keeps its id, game mode and draws; the shrunk world is replayed from its own decision list.",
    ]);
    root.append(el("div", { class: "card diff-card" }, [el("h2", { text: "What shrinking removed" }), note, table, removed, kept]));
    return { root, activate: () => writeHash("diff", null) };
  }

  // ---------- one trace's view ----------
  function createView(data) {
    const steps = data.steps;
    const n = steps.length;
    const lanes = data.lanes;
    const kinds = data.kinds;
    const redisLane = lanes.findIndex((lane) => lane.lane === "redis");
    const T = new Float64Array(n);
    const LANE = new Int32Array(n);
    const KIND = new Uint8Array(n);
    const MARK = new Uint8Array(n);
    const FROM = new Int32Array(n);
    const xs = new Float64Array(n);
    const gaps = [];
    const arrivals = new Map(); // step -> the steps that arrived from it
    for (let i = 0; i < n; i++) {
      const s = steps[i];
      T[i] = s[0]; LANE[i] = s[1]; KIND[i] = s[2]; MARK[i] = s[5]; FROM[i] = s[7];
      if (s[7] >= 0) { if (!arrivals.has(s[7])) arrivals.set(s[7], []); arrivals.get(s[7]).push(i); }
      if (i === 0) { xs[i] = 0; continue; }
      const dt = T[i] - T[i - 1];
      // Time is mostly idle: gaps grow with the log of their length, and every step keeps its own width.
      const gap = dt <= 0 ? 0 : Math.min(64, 3 + 9 * Math.log10(1 + dt));
      xs[i] = xs[i - 1] + STEP_W + gap;
      if (dt >= GAP_LABEL_MS) gaps.push(i);
    }
    const span = n > 0 ? xs[n - 1] + STEP_W : STEP_W;
    const laneSteps = lanes.map(() => []);
    for (let i = 0; i < n; i++) {
      laneSteps[LANE[i]].push(i);
      if (redisLane >= 0 && kinds[KIND[i]] === "redis" && LANE[i] !== redisLane) laneSteps[redisLane].push(i);
    }

    // Redis contents: a snapshot every CHECKPOINT_EVERY steps, the rest replayed from the nearest one.
    const changesAt = new Map(data.redis.map(([step, change]) => [step, change]));
    const checkpoints = [];
    {
      const state = new Map();
      for (let i = 0; i < n; i++) {
        if (i % CHECKPOINT_EVERY === 0) checkpoints.push(new Map(state));
        const change = changesAt.get(i);
        if (change) for (const [key, value] of change) { if (value === null) state.delete(key); else state.set(key, value); }
      }
    }
    function redisAfter(step) {
      const base = Math.floor(step / CHECKPOINT_EVERY);
      const state = new Map(checkpoints[base] || []);
      for (let i = base * CHECKPOINT_EVERY; i <= step; i++) {
        const change = changesAt.get(i);
        if (change) for (const [key, value] of change) { if (value === null) state.delete(key); else state.set(key, value); }
      }
      return state;
    }

    let activeViolation = data.violations.length > 0 ? 0 : -1;
    let involved = new Uint8Array(n);
    let story = new Map(); // step -> its number in the active violation's story
    let involvedPlayers = new Set(); // lane indices
    let violationKeys = new Set();
    const violationSteps = new Set(data.violations.map((v) => v.step));
    function setActiveViolation(index) {
      activeViolation = index;
      involved = new Uint8Array(n);
      story = new Map();
      involvedPlayers = new Set();
      violationKeys = new Set();
      const v = data.violations[index];
      if (v) {
        for (const i of v.involved) involved[i] = 1;
        v.story.forEach(([i], k) => story.set(i, k + 1));
        const ids = new Set(v.players);
        lanes.forEach((lane, k) => { if (lane.lane.startsWith("player:") && ids.has(lane.lane.slice(7))) involvedPlayers.add(k); });
        for (const k of v.keys) violationKeys.add(k);
      }
      for (const card of violationList.querySelectorAll(".violation")) card.classList.toggle("active", Number(card.getAttribute("data-index")) === index);
      buildRows();
      overviewDirty = true;
      table.refresh();
    }

    let selected = -1;
    let zoom = 1;
    let onlyInvolvedLanes = false;

    // ---------- DOM ----------
    const root = el("section", { class: "view" });
    const violationList = el("div", { class: "card violations" });
    root.append(violationList);
    violationList.append(el("div", { class: "view-meta" }, [
      el("b", { text: data.title }),
      el("span", { text: n + " steps" }),
      el("span", { class: "mono", title: data.hash, text: "hash " + data.hash.slice(0, 16) + "…" }),
      el("span", { text: "seed " + data.seed + " · " + data.strategy + " · " + data.players + " players" }),
      data.replay ? el("code", { text: data.replay }) : null,
    ]));
    if (data.violations.length === 0) violationList.append(el("div", { class: "none", text: "No violation in this trace." }));
    const violationCards = el("div", { class: "violation-cards" });
    violationList.append(violationCards);
    function stepLink(step, text) {
      const link = el("a", { href: "#step=" + step, class: "step-link", text: text || "step " + step, title: "select step " + step });
      link.addEventListener("click", (event) => { event.preventDefault(); event.stopPropagation(); select(step, { center: true }); });
      return link;
    }
    function storyNode(v) {
      const list = el("ol", { class: "story-steps" }, v.story.map(([step, text]) => el("li", {}, [
        el("span", { class: "when", text: seconds(steps[step][0]) }),
        stepLink(step),
        el("span", { class: "what", text }),
      ])));
      return el("div", { class: "story" }, [
        el("div", { class: "headline", text: v.headline + ":" }),
        list,
        el("div", { class: "end" }, [v.story.length > 0 ? "then " : "", v.end + "."]),
      ]);
    }
    data.violations.forEach((v, index) => {
      const card = el("div", { class: "violation", "data-index": String(index), title: "show this violation" }, [
        el("span", { class: "inv", text: v.invariant }),
        el("span", { class: "sig", text: v.signature, title: "bug signature: " + v.signatureSummary }),
        el("span", { class: "msg", text: abbrev(v.message) }),
        el("span", { class: "where", text: whereFound(v) }),
        el("div", { class: "cause-line", text: v.cause }),
        storyNode(v),
      ]);
      card.addEventListener("click", () => { setActiveViolation(index); select(v.step, { center: true }); });
      violationCards.append(card);
    });

    const workbench = el("div", { class: "workbench" });
    root.append(workbench);
    const column = el("div", { class: "column" });
    workbench.append(column);
    const timelineCard = el("div", { class: "card timeline-card" });
    column.append(timelineCard);

    const zoomOut = el("button", { text: "−", title: "zoom out (ctrl + wheel)" });
    const zoomIn = el("button", { text: "+", title: "zoom in (ctrl + wheel)" });
    const zoomFit = el("button", { text: "fit", title: "whole trace in view" });
    const zoomOne = el("button", { text: "1:1", title: "every step its own width" });
    const toViolation = el("button", { text: "⚑ violation", title: "select the violating step (v)" });
    const laneToggle = el("input", { type: "checkbox" });
    const arrowsToggle = el("input", { type: "checkbox", checked: true });
    const legend = el("div", { class: "legend" });
    for (const kind of kinds) legend.append(el("span", {}, [el("i", { style: "background:" + COLOURS[kind] }), kind]));
    legend.append(el("span", {}, [el("i", { class: "halo" }), "involved"]));
    legend.append(el("span", {}, [el("i", { class: "story" }), "key step"]));
    legend.append(el("span", {}, [el("i", { class: "viol" }), "violation"]));
    legend.append(el("span", {}, [el("i", { class: "refused" }), "refused / dropped / failed"]));
    legend.append(el("span", {}, [el("i", { class: "arrow" }), "message → arrival"]));
    timelineCard.append(el("div", { class: "toolbar" }, [
      el("div", { class: "group" }, [zoomOut, zoomIn, zoomFit, zoomOne]),
      el("div", { class: "sep" }),
      toViolation,
      el("label", { title: "hide the players the violation's cause does not involve" }, [laneToggle, "involved players only"]),
      el("label", { title: "arrows from a message to its arrival, a request to its reply, a lock's holder to a refusal" }, [arrowsToggle, "arrows"]),
      legend,
    ]));
    const scroller = el("div", { class: "tl-scroller", tabindex: "0" });
    const canvas = el("canvas");
    const spacer = el("div", { class: "tl-spacer" });
    scroller.append(spacer, canvas);
    timelineCard.append(scroller);
    const overview = el("canvas", { class: "overview", title: "whole trace: click or drag to move" });
    timelineCard.append(overview);
    timelineCard.append(el("div", { class: "hint", text: "Steps are laid out in order; idle time is compressed (gaps labelled on the axis). Click a group's name to fold or unfold its lanes. Hover a mark for what it did, click to select; ← → step, v violation, ctrl + wheel zoom." }));
    const tooltip = el("div", { class: "tooltip" });
    timelineCard.append(tooltip);

    const side = el("aside", { class: "card side" });
    workbench.append(side);
    const stepDetail = el("div", { class: "step-detail" });
    const redisPanel = el("div", { class: "redis-panel" });
    side.append(stepDetail, redisPanel);
    const keyFilter = el("input", { type: "search", placeholder: "filter keys" });
    const redisCount = el("span", { class: "n" });
    const redisTitle = el("h3", { text: "Redis" });
    const redisChanges = el("div", { class: "rp-changes" });
    const redisKeys = el("div", { class: "redis-keys" });
    redisPanel.append(el("div", { class: "rp-head" }, [redisTitle, redisCount, keyFilter]), redisChanges, redisKeys);
    keyFilter.addEventListener("input", () => renderRedis());

    // ---------- lanes, grouped and foldable ----------
    // Groups: the page's own (instances, redis, dedicated servers, world) and players split in two, the players
    // the active violation involves and the others. A folded group is one row holding all its lanes' steps.
    const GROUP_INVOLVED = data.groups.length;
    const GROUP_OTHERS = data.groups.length + 1;
    const groupTitles = data.groups.concat(["players involved", "other players"]);
    const playerGroup = data.groups.indexOf("players");
    const serverGroup = data.groups.indexOf("dedicated servers");
    const folded = new Set();
    if (lanes.filter((lane) => lane.group === serverGroup).length > SERVERS_FOLDED) folded.add(serverGroup);
    const manyPlayers = lanes.filter((lane) => lane.group === playerGroup).length > PLAYERS_FOLDED;
    if (manyPlayers && data.violations.length > 0) folded.add(GROUP_OTHERS);
    let rows = []; // { group, lanes: [lane indices], first: whether it opens its group }
    const rowOf = new Int32Array(lanes.length);
    let rowSteps = [];
    function groupOfLane(k) {
      const lane = lanes[k];
      if (lane.group !== playerGroup || data.violations.length === 0) return lane.group;
      return involvedPlayers.has(k) ? GROUP_INVOLVED : GROUP_OTHERS;
    }
    function buildRows() {
      rows = [];
      rowOf.fill(-1);
      const order = [];
      lanes.forEach((_, k) => order.push(k));
      order.sort((a, b) => groupOfLane(a) - groupOfLane(b) || a - b);
      for (const k of order) {
        const group = groupOfLane(k);
        if (onlyInvolvedLanes && group === GROUP_OTHERS) continue;
        const last = rows[rows.length - 1];
        if (folded.has(group) && last && last.group === group) {
          last.lanes.push(k);
        } else {
          rows.push({ group, lanes: [k], first: !last || last.group !== group });
        }
        rowOf[k] = rows.length - 1;
      }
      rowSteps = rows.map((row) => {
        if (row.lanes.length === 1) return laneSteps[row.lanes[0]];
        const merged = [];
        for (const k of row.lanes) for (const i of laneSteps[k]) merged.push(i);
        return merged.sort((a, b) => a - b);
      });
      layout();
    }
    function toggleGroup(group) {
      if (folded.has(group)) folded.delete(group); else folded.add(group);
      buildRows();
    }
    laneToggle.addEventListener("change", () => { onlyInvolvedLanes = laneToggle.checked; buildRows(); });
    arrowsToggle.addEventListener("change", () => draw());

    // ---------- geometry ----------
    const dpr = () => window.devicePixelRatio || 1;
    const fitZoom = () => Math.max(0.02, (scroller.clientWidth - GUTTER - 2 * PAD) / span);
    const xOf = (i) => GUTTER + PAD + xs[i] * zoom - scroller.scrollLeft;
    const markWidth = () => Math.max(1.5, STEP_W * zoom - (zoom >= 0.5 ? 1 : 0));
    function layout() {
      // Few lanes get a short timeline; many scroll inside a fixed height.
      scroller.style.height = Math.max(180, Math.min(480, AXIS_H + rows.length * LANE_H + 14)) + "px";
      spacer.style.width = GUTTER + 2 * PAD + span * zoom + "px";
      spacer.style.height = AXIS_H + rows.length * LANE_H + 6 + "px";
      draw();
    }
    function setZoom(next, anchorX) {
      const min = Math.min(fitZoom(), 1);
      next = Math.max(min, Math.min(6, next));
      const ax = anchorX === undefined ? scroller.clientWidth / 2 : anchorX;
      const content = (scroller.scrollLeft + ax - GUTTER - PAD) / zoom;
      zoom = next;
      overviewDirty = true;
      layout();
      scroller.scrollLeft = content * zoom - ax + GUTTER + PAD;
      draw();
    }
    zoomIn.addEventListener("click", () => setZoom(zoom * 1.6));
    zoomOut.addEventListener("click", () => setZoom(zoom / 1.6));
    zoomFit.addEventListener("click", () => setZoom(fitZoom()));
    zoomOne.addEventListener("click", () => { setZoom(1); if (selected >= 0) reveal(selected, true); });
    toViolation.addEventListener("click", () => { const v = data.violations[Math.max(0, activeViolation)]; if (v) select(v.step, { center: true }); });
    scroller.addEventListener("wheel", (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const box = scroller.getBoundingClientRect();
      setZoom(zoom * Math.pow(1.0015, -event.deltaY), event.clientX - box.left);
    }, { passive: false });
    scroller.addEventListener("scroll", () => { hideTooltip(); draw(); });

    // ---------- drawing ----------
    function visibleRange(width) {
      const left = (scroller.scrollLeft - PAD - STEP_W) / zoom;
      const right = (scroller.scrollLeft + width - GUTTER - PAD) / zoom;
      const i0 = lowerBound(xs, left, (x) => x);
      let i1 = lowerBound(xs, right, (x) => x);
      if (i1 >= n) i1 = n - 1;
      return [i0, i1];
    }
    /** The rows a step is drawn in: its lane's, and Redis's for a command. */
    function rowsOfStep(i) {
      const own = rowOf[LANE[i]];
      if (redisLane >= 0 && kinds[KIND[i]] === "redis" && LANE[i] !== redisLane) return [own, rowOf[redisLane]];
      return [own];
    }
    function draw() {
      const width = scroller.clientWidth;
      const height = scroller.clientHeight;
      if (width === 0) return;
      const ratio = dpr();
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
        canvas.style.width = width + "px";
        canvas.style.height = height + "px";
      }
      canvas.style.left = scroller.scrollLeft + "px";
      canvas.style.top = scroller.scrollTop + "px";
      const ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const top = scroller.scrollTop;
      const firstRow = Math.max(0, Math.floor(top / LANE_H));
      const lastRow = Math.min(rows.length - 1, Math.ceil((top + height - AXIS_H) / LANE_H));
      const rowY = (row) => AXIS_H + row * LANE_H - top;

      // lane stripes, a rule between groups
      for (let row = firstRow; row <= lastRow; row++) {
        const r = rows[row];
        ctx.fillStyle = r.group === GROUP_INVOLVED ? "#fffbeb" : r.lanes.length > 1 ? "#f2f4f7" : row % 2 ? "#fafbfc" : "#ffffff";
        ctx.fillRect(GUTTER, rowY(row), width - GUTTER, LANE_H);
        if (row > 0 && r.first) {
          ctx.fillStyle = "#d0d5dd";
          ctx.fillRect(0, rowY(row), width, 1);
        }
      }
      if (n === 0) { drawGutter(ctx, firstRow, lastRow, rowY, height); return; }
      const [i0, i1] = visibleRange(width);
      const w = markWidth();

      // compressed idle time
      const g0 = lowerBound(gaps, i0, (g) => g);
      for (let k = g0; k < gaps.length && gaps[k] <= i1 + 1; k++) {
        const i = gaps[k];
        const xa = xOf(i - 1) + w + 1;
        const xb = xOf(i) - 1;
        if (xb - xa < 2) continue;
        ctx.fillStyle = "rgba(152,162,179,0.10)";
        ctx.fillRect(xa, AXIS_H, xb - xa, height - AXIS_H);
        ctx.strokeStyle = "rgba(152,162,179,0.45)";
        ctx.setLineDash([2, 3]);
        ctx.beginPath(); ctx.moveTo(Math.round((xa + xb) / 2) + 0.5, AXIS_H); ctx.lineTo(Math.round((xa + xb) / 2) + 0.5, height); ctx.stroke();
        ctx.setLineDash([]);
      }

      // marks
      const markH = LANE_H - 8;
      for (let i = i0; i <= i1; i++) {
        const x = xOf(i);
        const kindColour = COLOURS[kinds[KIND[i]]];
        const drawn = rowsOfStep(i);
        for (let r = 0; r < drawn.length; r++) {
          const row = drawn[r];
          if (row < 0 || row < firstRow || row > lastRow) continue;
          const y = rowY(row) + 4;
          if (involved[i]) {
            ctx.fillStyle = "#fcd34d";
            ctx.fillRect(x - 2, y - 3, w + 4, markH + 6);
          }
          ctx.globalAlpha = r === 0 ? 1 : 0.6;
          ctx.fillStyle = kindColour;
          ctx.fillRect(x, y, w, markH);
          ctx.globalAlpha = 1;
          if (MARK[i] && w >= 3) {
            ctx.fillStyle = MARK_COLOURS[MARK[i]];
            ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + Math.min(w, 7), y); ctx.lineTo(x, y + Math.min(w, 7)); ctx.closePath(); ctx.fill();
          }
        }
      }

      // what a refused or dropped step the violation involves went through, in a word left of it
      ctx.font = "600 10px " + fontFamily;
      ctx.textBaseline = "middle";
      for (let i = i0; i <= i1; i++) {
        if ((MARK[i] !== MARK_REFUSED && MARK[i] !== MARK_DROPPED) || !involved[i]) continue;
        const row = rowOf[LANE[i]];
        if (row < firstRow || row > lastRow || row < 0) continue;
        const label = MARK[i] === MARK_REFUSED ? "refused" : "dropped";
        const tw = ctx.measureText(label).width;
        const x = xOf(i) - tw - 6;
        ctx.fillStyle = "rgba(255,255,255,0.9)";
        ctx.fillRect(x - 2, rowY(row) + LANE_H / 2 - 6, tw + 4, 12);
        ctx.fillStyle = MARK_COLOURS[MARK[i]];
        ctx.fillText(label, x, rowY(row) + LANE_H / 2);
      }

      if (arrowsToggle.checked) drawArrows(ctx, rowY, w);

      // the story's key steps, numbered as it tells them
      ctx.font = "700 10px " + fontFamily;
      for (const [i, number] of story) {
        if (i < i0 || i > i1) continue;
        const row = rowOf[LANE[i]];
        if (row < firstRow || row > lastRow || row < 0) continue;
        const x = xOf(i);
        const y = rowY(row);
        ctx.strokeStyle = "#b45309"; ctx.lineWidth = 2;
        ctx.strokeRect(x - 2.5, y + 1.5, w + 5, LANE_H - 3);
        ctx.lineWidth = 1;
        ctx.fillStyle = "#b45309";
        ctx.beginPath(); ctx.arc(x + w + 9, y + LANE_H / 2, 7, 0, Math.PI * 2); ctx.fill();
        ctx.fillStyle = "#ffffff";
        const label = String(number);
        ctx.fillText(label, x + w + 9 - ctx.measureText(label).width / 2, y + LANE_H / 2 + 0.5);
      }

      // violating steps and the selection
      for (const v of violationSteps) {
        if (v < i0 - 1 || v > i1 + 1) continue;
        const x = xOf(v) + w / 2;
        ctx.fillStyle = "rgba(217,45,32,0.85)";
        ctx.fillRect(Math.round(x) - 1, AXIS_H, 2, height - AXIS_H);
        const row = rowOf[LANE[v]];
        if (row >= 0) {
          ctx.strokeStyle = "#d92d20"; ctx.lineWidth = 2.5;
          ctx.strokeRect(xOf(v) - 4, rowY(row) + 0.5, w + 8, LANE_H - 1);
          ctx.lineWidth = 1;
        }
      }
      if (selected >= i0 - 1 && selected <= i1 + 1 && selected >= 0) {
        const x = xOf(selected);
        ctx.strokeStyle = "#101828"; ctx.setLineDash([3, 3]);
        ctx.beginPath(); ctx.moveTo(Math.round(x + w / 2) + 0.5, AXIS_H); ctx.lineTo(Math.round(x + w / 2) + 0.5, height); ctx.stroke();
        ctx.setLineDash([]);
        const row = rowOf[LANE[selected]];
        if (row >= 0) { ctx.strokeStyle = "#2f6fde"; ctx.lineWidth = 2; ctx.strokeRect(x - 3, rowY(row) + 2, w + 6, LANE_H - 4); ctx.lineWidth = 1; }
      }

      drawAxis(ctx, width, i0, i1, w);
      drawGutter(ctx, firstRow, lastRow, rowY, height);
      drawOverview();
    }

    /**
     * Arrows from where a step came from to where it arrived: a message to its delivery, a request to its reply,
     * a lock's holder to the step it refused. For the selected step (both ways) and for the active story.
     */
    function drawArrows(ctx, rowY, w) {
      const pairs = [];
      const add = (from, to) => { if (from >= 0 && to >= 0) pairs.push([from, to]); };
      if (selected >= 0) {
        add(FROM[selected], selected);
        for (const j of arrivals.get(selected) || []) add(selected, j);
      }
      for (const i of story.keys()) add(FROM[i], i);
      for (const [from, to] of pairs) {
        const ra = rowOf[LANE[from]];
        const rb = rowOf[LANE[to]];
        if (ra < 0 || rb < 0) continue;
        const x1 = xOf(from) + w / 2;
        const y1 = rowY(ra) + LANE_H / 2;
        const x2 = xOf(to) + w / 2;
        const y2 = rowY(rb) + LANE_H / 2;
        const held = MARK[to] === MARK_REFUSED;
        ctx.strokeStyle = held ? "#d92d20" : "#1d4ed8";
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = 1.8;
        if (held) ctx.setLineDash([4, 3]);
        const bend = Math.max(12, Math.min(60, Math.abs(x2 - x1) / 3));
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2 + (y2 > y1 ? -6 : y2 < y1 ? 6 : 0));
        ctx.stroke();
        ctx.setLineDash([]);
        // the head points along the curve's end, into the arrival
        const tipY = y2 + (y2 > y1 ? -5 : y2 < y1 ? 5 : 0);
        const angle = Math.atan2(tipY - y1, x2 - (x2 - bend));
        ctx.beginPath();
        ctx.moveTo(x2, tipY);
        ctx.lineTo(x2 - 9 * Math.cos(angle - 0.45), tipY - 9 * Math.sin(angle - 0.45));
        ctx.lineTo(x2 - 9 * Math.cos(angle + 0.45), tipY - 9 * Math.sin(angle + 0.45));
        ctx.closePath();
        ctx.fill();
        ctx.lineWidth = 1;
      }
    }
    function drawAxis(ctx, width, i0, i1, w) {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, width, AXIS_H);
      ctx.fillStyle = "#e3e6eb";
      ctx.fillRect(0, AXIS_H - 1, width, 1);
      ctx.font = "11px " + fontFamily;
      ctx.textBaseline = "middle";
      // gap labels, then absolute times where there is room, each time once
      const g0 = lowerBound(gaps, i0, (g) => g);
      ctx.fillStyle = "#98a2b3";
      for (let k = g0; k < gaps.length && gaps[k] <= i1 + 1; k++) {
        const i = gaps[k];
        const xa = xOf(i - 1) + w;
        const xb = xOf(i);
        const label = shortGap(T[i] - T[i - 1]);
        const tw = ctx.measureText(label).width;
        if (xb - xa < tw + 6) continue;
        ctx.fillText(label, (xa + xb) / 2 - tw / 2, 21);
      }
      ctx.fillStyle = "#344054";
      let lastX = -1e9;
      let lastLabel = "";
      for (let i = i0; i <= i1; i++) {
        const x = xOf(i);
        const label = seconds(T[i]);
        if (x < GUTTER || x - lastX < 96 || label === lastLabel) continue;
        const tw = ctx.measureText(label).width;
        ctx.fillRect(Math.round(x), 3, 1, 6);
        ctx.fillText(label, x + 3, 9);
        lastX = x + tw;
        lastLabel = label;
      }
      for (const v of violationSteps) {
        if (v < i0 - 1 || v > i1 + 1) continue;
        const x = xOf(v) + w / 2;
        const label = "✖ " + (data.violations.find((item) => item.step === v) || {}).invariant;
        const tw = ctx.measureText(label).width + 10;
        const left = Math.min(Math.max(GUTTER, x - tw / 2), width - tw);
        ctx.fillStyle = "#d92d20";
        ctx.fillRect(left, 13, tw, 16);
        ctx.fillStyle = "#ffffff";
        ctx.fillText(label, left + 5, 21);
      }
    }
    function drawGutter(ctx, firstRow, lastRow, rowY, height) {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, AXIS_H, GUTTER, height - AXIS_H);
      ctx.fillStyle = "#e3e6eb";
      ctx.fillRect(GUTTER - 1, 0, 1, height);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, GUTTER - 1, AXIS_H - 1);
      ctx.fillStyle = "#667085";
      ctx.font = "600 11px " + fontFamily;
      ctx.textBaseline = "middle";
      ctx.fillText("lane", 12, 15);
      for (let row = firstRow; row <= lastRow; row++) {
        const r = rows[row];
        const y = rowY(row) + LANE_H / 2;
        if (y < AXIS_H) continue;
        const named = r.group === GROUP_INVOLVED;
        if (named) { ctx.fillStyle = "#fffbeb"; ctx.fillRect(0, rowY(row), GUTTER - 1, LANE_H); ctx.fillStyle = "#f59e0b"; ctx.fillRect(0, rowY(row), 3, LANE_H); }
        const isFolded = r.lanes.length > 1 || folded.has(r.group);
        let x = 10;
        if (r.first) {
          ctx.font = "10px " + fontFamily;
          ctx.fillStyle = "#667085";
          ctx.fillText(isFolded ? "▸" : "▾", x, y);
        }
        x += 12;
        let count = 0;
        for (const k of r.lanes) count += laneSteps[k].length;
        if (r.lanes.length > 1) {
          ctx.font = "600 12px " + fontFamily;
          ctx.fillStyle = "#344054";
          ctx.fillText(groupTitles[r.group] + " (" + r.lanes.length + ")", x, y);
        } else {
          const lane = lanes[r.lanes[0]];
          ctx.font = "11px " + fontFamily;
          ctx.fillStyle = "#98a2b3";
          const kind = lane.lane.split(":")[0];
          if (r.first || kind !== "player") ctx.fillText(kind === "ds" ? "server" : kind, x, y);
          ctx.font = (named ? "700 " : "500 ") + "12px " + fontFamily;
          ctx.fillStyle = named ? "#93370d" : "#1d2330";
          const nameX = x + 48;
          ctx.fillText(lane.name, nameX, y);
          if (lane.note) {
            const nameW = ctx.measureText(lane.name).width;
            ctx.font = "10.5px " + fontFamily;
            ctx.fillStyle = "#667085";
            const room = GUTTER - 36 - nameX - nameW;
            let note = lane.note;
            while (note.length > 3 && ctx.measureText(note).width > room) note = note.slice(0, -2);
            if (note !== lane.note) note = note.slice(0, -1) + "…";
            ctx.fillText(note, nameX + nameW + 6, y);
          }
        }
        ctx.fillStyle = "#c0c6d0";
        ctx.font = "10px " + fontFamily;
        const text = String(count);
        ctx.fillText(text, GUTTER - 8 - ctx.measureText(text).width, y);
      }
    }

    // ---------- overview ----------
    let overviewDirty = true;
    let overviewCache = null;
    function drawOverview() {
      const width = overview.clientWidth;
      const height = overview.clientHeight;
      if (width === 0) return;
      const ratio = dpr();
      if (overviewDirty || !overviewCache || overviewCache.width !== Math.round(width * ratio)) {
        overviewCache = document.createElement("canvas");
        overviewCache.width = Math.round(width * ratio);
        overviewCache.height = Math.round(height * ratio);
        const c = overviewCache.getContext("2d");
        c.setTransform(ratio, 0, 0, ratio, 0, 0);
        c.fillStyle = "#fafbfc";
        c.fillRect(0, 0, width, height);
        const inner = width - GUTTER - 2 * PAD;
        const band = height - 12;
        const rowH = Math.max(0.5, band / Math.max(1, rows.length));
        for (let i = 0; i < n; i++) {
          const row = rowOf[LANE[i]];
          if (row < 0) continue;
          c.fillStyle = COLOURS[kinds[KIND[i]]];
          c.fillRect(GUTTER + PAD + (xs[i] / span) * inner, 3 + row * (band / Math.max(1, rows.length)), 1, Math.max(1, rowH));
        }
        c.fillStyle = "#f59e0b";
        for (let i = 0; i < n; i++) if (involved[i]) c.fillRect(GUTTER + PAD + (xs[i] / span) * inner, height - 7, 1.5, 5);
        c.fillStyle = "#d92d20";
        for (const v of violationSteps) c.fillRect(GUTTER + PAD + (xs[v] / span) * inner - 1, 0, 2, height);
        c.fillStyle = "#667085";
        c.font = "600 11px " + fontFamily;
        c.textBaseline = "middle";
        c.fillText("whole trace", 12, height / 2 - 6);
        c.font = "11px " + fontFamily;
        c.fillText(seconds(n ? T[n - 1] : 0) + " · " + n + " steps", 12, height / 2 + 8);
        overviewDirty = false;
      }
      overview.width = Math.round(width * ratio);
      overview.height = Math.round(height * ratio);
      const ctx = overview.getContext("2d");
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(overviewCache, 0, 0);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      const inner = width - GUTTER - 2 * PAD;
      const total = span * zoom;
      const viewLeft = Math.max(0, scroller.scrollLeft - PAD) / total;
      const viewWidth = (scroller.clientWidth - GUTTER) / total;
      ctx.strokeStyle = "#2f6fde";
      ctx.lineWidth = 1.5;
      ctx.fillStyle = "rgba(47,111,222,0.10)";
      const vx = GUTTER + PAD + viewLeft * inner;
      const vw = Math.max(4, Math.min(1, viewWidth) * inner);
      ctx.fillRect(vx, 1, vw, height - 2);
      ctx.strokeRect(vx, 1, vw, height - 2);
    }
    function overviewJump(event) {
      const box = overview.getBoundingClientRect();
      const inner = box.width - GUTTER - 2 * PAD;
      const fraction = (event.clientX - box.left - GUTTER - PAD) / inner;
      scroller.scrollLeft = fraction * span * zoom + PAD - (scroller.clientWidth - GUTTER) / 2;
    }
    let dragging = false;
    overview.addEventListener("mousedown", (event) => { dragging = true; overviewJump(event); });
    window.addEventListener("mousemove", (event) => { if (dragging && !root.hidden) overviewJump(event); });
    window.addEventListener("mouseup", () => { dragging = false; });

    // ---------- hit testing, tooltip ----------
    function rowAt(event) {
      const box = scroller.getBoundingClientRect();
      const my = event.clientY - box.top;
      if (my < AXIS_H) return -1;
      const row = Math.floor((my - AXIS_H + scroller.scrollTop) / LANE_H);
      return row >= 0 && row < rows.length ? row : -1;
    }
    function hit(event) {
      const box = scroller.getBoundingClientRect();
      const mx = event.clientX - box.left;
      if (mx < GUTTER) return -1;
      const row = rowAt(event);
      if (row < 0) return -1;
      const list = rowSteps[row];
      if (list.length === 0) return -1;
      const w = markWidth();
      const target = (mx - GUTTER - PAD + scroller.scrollLeft - w / 2) / zoom;
      const k = lowerBound(list, target, (i) => xs[i]);
      let best = -1;
      let bestDistance = Infinity;
      for (const candidate of [k - 1, k, k + 1]) {
        if (candidate < 0 || candidate >= list.length) continue;
        const i = list[candidate];
        const distance = Math.abs(xOf(i) + w / 2 - mx);
        if (distance < bestDistance) { bestDistance = distance; best = i; }
      }
      return bestDistance <= Math.max(5, w / 2 + 2) ? best : -1;
    }
    function hideTooltip() { tooltip.style.display = "none"; }
    scroller.addEventListener("mousemove", (event) => {
      const i = hit(event);
      if (i < 0) {
        hideTooltip();
        const box = scroller.getBoundingClientRect();
        const onGroup = event.clientX - box.left < GUTTER && rowAt(event) >= 0 && rows[rowAt(event)].first;
        scroller.style.cursor = onGroup ? "pointer" : "default";
        return;
      }
      scroller.style.cursor = "pointer";
      const s = steps[i];
      fill(tooltip,
        el("div", { class: "tt-head", text: "#" + i + " · " + seconds(s[0]) + " · " + abbrev(lanes[s[1]].lane) + " · " + kinds[s[2]] }),
        el("div", { class: "tt-label", text: s[3] }),
        s[6] ? el("div", { class: "tt-mark", text: s[6] }) : null,
        s[4] ? el("div", { class: "tt-detail", text: s[4].length > 400 ? s[4].slice(0, 399) + "…" : s[4] }) : null,
      );
      tooltip.style.display = "block";
      const card = timelineCard.getBoundingClientRect();
      let left = event.clientX - card.left + 14;
      const top = event.clientY - card.top + 16;
      if (left + 520 > card.width) left = Math.max(4, event.clientX - card.left - 14 - Math.min(520, tooltip.offsetWidth));
      tooltip.style.left = left + "px";
      tooltip.style.top = top + "px";
    });
    scroller.addEventListener("mouseleave", hideTooltip);
    scroller.addEventListener("click", (event) => {
      const box = scroller.getBoundingClientRect();
      if (event.clientX - box.left < GUTTER) {
        const row = rowAt(event);
        if (row >= 0 && rows[row].first) toggleGroup(rows[row].group);
        return;
      }
      const i = hit(event);
      if (i >= 0) select(i, {});
    });

    // ---------- selection ----------
    function reveal(i, center) {
      const x = GUTTER + PAD + xs[i] * zoom;
      const visibleLeft = scroller.scrollLeft + GUTTER + 20;
      const visibleRight = scroller.scrollLeft + scroller.clientWidth - 20;
      if (center || x < visibleLeft || x > visibleRight) scroller.scrollLeft = x - GUTTER - (scroller.clientWidth - GUTTER) / 2;
      const row = rowOf[LANE[i]];
      if (row >= 0) {
        const y = AXIS_H + row * LANE_H;
        if (y < scroller.scrollTop + AXIS_H || y + LANE_H > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = Math.max(0, y - scroller.clientHeight / 2);
      }
    }
    function select(i, options) {
      if (n === 0) return;
      selected = Math.max(0, Math.min(n - 1, i));
      reveal(selected, options.center === true);
      renderStep();
      renderRedis();
      table.follow(selected);
      writeHash(data.name, selected);
      draw();
    }
    function neighbour(direction, sameLane) {
      if (selected < 0) return 0;
      if (!sameLane) return selected + direction;
      const list = laneSteps[LANE[selected]];
      const k = lowerBound(list, selected, (i) => i) + direction;
      return k >= 0 && k < list.length ? list[k] : selected;
    }
    function renderStep() {
      const s = steps[selected];
      const kind = kinds[s[2]];
      const badges = [];
      const vio = data.violations.filter((v) => v.step === selected);
      for (const v of vio) badges.push(el("span", { class: "badge viol", text: "✖ " + v.invariant }));
      const late = vio.find((v) => v.afterRun);
      const endNote = late ? el("div", { class: "end-note", text: "Found at " + seconds(late.at) + " by the end-of-run check, after this last step ran (" + seconds(s[0]) + ")." }) : null;
      if (involved[selected] && vio.length === 0) badges.push(el("span", { class: "badge inv", text: "involved" }));
      if (MARK[selected]) badges.push(el("span", { class: "badge deleted", text: s[6] }));
      const detailName = { redis: "reply", "frame-in": "frame", "frame-out": "frame", deliver: "message", fault: "effect", "http-request": "request body", "http-reply": "reply body", "http-timeout": "result", close: "result" }[kind] || "detail";
      const nav = el("div", { class: "step-nav" });
      const navButton = (text, direction, sameLane) => {
        const button = el("button", { text });
        button.addEventListener("click", () => select(neighbour(direction, sameLane), {}));
        return button;
      };
      nav.append(navButton("◀ prev", -1, false), navButton("next ▶", 1, false), navButton("◀ in lane", -1, true), navButton("in lane ▶", 1, true));
      const came = FROM[selected] >= 0 ? [MARK[selected] === MARK_REFUSED ? "held by " : "from ", stepLink(FROM[selected]), " (" + abbrev(lanes[LANE[FROM[selected]]].lane) + ")"] : null;
      const went = arrivals.get(selected) || [];
      const links = came || went.length ? el("div", { class: "links" }, [
        came ? el("span", {}, came) : null,
        went.length ? el("span", {}, ["led to "].concat(went.slice(0, 8).flatMap((j, k) => (k ? [", ", stepLink(j)] : [stepLink(j)])), went.length > 8 ? [" …"] : [])) : null,
      ]) : null;
      fill(stepDetail,
        el("div", { class: "head" }, [
          el("span", { class: "idx", text: "Step #" + selected }),
          el("span", { class: "chip" + (kind === "timer" ? " light" : ""), style: "background:" + COLOURS[kind], text: kind }),
          el("span", { class: "when", text: seconds(s[0]) + " · " + abbrev(lanes[s[1]].lane) }),
        ]),
        badges.length ? el("div", { class: "head", style: "margin-top:5px" }, badges) : null,
        endNote,
        links,
        el("div", { class: "field" }, [el("div", { class: "name", text: "what" }), el("pre", { text: s[3] })]),
        s[4] ? el("div", { class: "field" }, [el("div", { class: "name", text: detailName }), el("pre", { text: pretty(s[4]) })]) : null,
        nav,
      );
    }
    function formatValue(value) {
      switch (value.type) {
        case "string": return value.value;
        case "hash": return Object.entries(value.value).map(([field, v]) => field + " = " + v).join("\n");
        case "set": return value.value.join("\n");
        case "zset": return value.value.map(([member, score]) => member + "  (" + score + ")").join("\n");
        case "list": return value.value.map((item, k) => k + ": " + item).join("\n");
        default: return JSON.stringify(value.value);
      }
    }
    function renderRedis() {
      if (selected < 0) return;
      redisTitle.textContent = "Redis after step #" + selected;
      if (data.redisMissing) {
        redisCount.textContent = "";
        redisChanges.textContent = "";
        redisKeys.replaceChildren(el("div", { class: "rk-more", text: "Redis's contents are not shown: " + data.redisMissing + "." }));
        return;
      }
      const state = redisAfter(selected);
      const change = changesAt.get(selected) || [];
      const changed = new Set(change.filter(([, v]) => v !== null).map(([k]) => k));
      const deleted = change.filter(([, v]) => v === null).map(([k]) => k);
      redisCount.textContent = state.size + " key" + (state.size === 1 ? "" : "s");
      redisChanges.textContent = change.length === 0 ? "This step changed no key." : "This step changed " + change.map(([k, v]) => abbrev(k) + (v === null ? " (deleted)" : "")).join(", ") + ".";
      const filter = keyFilter.value.trim().toLowerCase();
      const rank = (key) => (changed.has(key) ? 0 : violationKeys.has(key) ? 1 : 2);
      const keys = [...state.keys()].filter((k) => !filter || k.toLowerCase().includes(filter)).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
      const nodes = [];
      for (const key of deleted) {
        if (filter && !key.toLowerCase().includes(filter)) continue;
        nodes.push(el("div", { class: "rk deleted" }, [el("div", { class: "rk-head" }, [el("span", { class: "rk-name", text: key }), el("span", { class: "badge deleted", text: "deleted by this step" })])]));
      }
      for (const key of keys.slice(0, MAX_KEYS_SHOWN)) {
        const value = state.get(key);
        nodes.push(el("div", { class: "rk" + (changed.has(key) ? " changed" : "") }, [
          el("div", { class: "rk-head" }, [
            el("span", { class: "rk-name", text: key }),
            el("span", { class: "rk-type", text: value.type }),
            changed.has(key) ? el("span", { class: "badge changed", text: "changed" }) : null,
            violationKeys.has(key) ? el("span", { class: "badge vkey", text: "⚑ in violation" }) : null,
          ]),
          el("div", { class: "rk-value", text: formatValue(value) }),
        ]));
      }
      if (keys.length > MAX_KEYS_SHOWN) nodes.push(el("div", { class: "rk-more", text: "… " + (keys.length - MAX_KEYS_SHOWN) + " more keys: use the filter" }));
      if (nodes.length === 0) nodes.push(el("div", { class: "rk-more", text: state.size === 0 ? "Redis is empty at this step." : "No key matches the filter." }));
      redisKeys.replaceChildren(...nodes);
    }

    // ---------- step table (virtualised) ----------
    const table = (function () {
      const card = el("div", { class: "card table-card" });
      const laneSelect = el("select", {}, [el("option", { value: "", text: "all lanes" })]);
      lanes.forEach((lane, index) => laneSelect.append(el("option", { value: String(index), text: abbrev(lane.lane) + (lane.note ? " (" + lane.note + ")" : "") })));
      const kindSelect = el("select", {}, [el("option", { value: "", text: "all kinds" })]);
      kinds.forEach((kind, index) => kindSelect.append(el("option", { value: String(index), text: kind })));
      const search = el("input", { type: "search", placeholder: "filter: text in label or detail" });
      const onlyInvolved = el("input", { type: "checkbox" });
      const count = el("span", { class: "count" });
      card.append(el("div", { class: "table-tools" }, [el("b", { text: "Steps" }), laneSelect, kindSelect, search, el("label", {}, [onlyInvolved, " involved only"]), count]));
      const columns = [["#", (i) => i], ["time", (i) => T[i]], ["lane", (i) => lanes[LANE[i]].lane], ["kind", (i) => kinds[KIND[i]]], ["what", (i) => steps[i][3]], ["detail", (i) => steps[i][4]]];
      const head = el("div", { class: "trow thead" });
      let sortColumn = 0;
      let sortDesc = false;
      columns.forEach(([name], index) => {
        const cell = el("span", { text: name, title: "sort by " + name });
        cell.addEventListener("click", () => { if (sortColumn === index) sortDesc = !sortDesc; else { sortColumn = index; sortDesc = false; } refresh(); });
        head.append(cell);
      });
      const body = el("div", { class: "tbody" });
      const inner = el("div", { style: "position:relative" });
      body.append(inner);
      card.append(head, body);
      column.append(card);
      let order = [];
      let positionOf = new Map();
      /** The step at the top of the table: where it stays, or the nearest step shown, when a filter changes. */
      function topStep() {
        const k = Math.floor(body.scrollTop / ROW_H);
        return k < order.length ? order[k] : -1;
      }
      function refresh() {
        const anchor = selected >= 0 ? selected : topStep();
        const lane = laneSelect.value === "" ? -1 : Number(laneSelect.value);
        const kind = kindSelect.value === "" ? -1 : Number(kindSelect.value);
        const text = search.value.trim().toLowerCase();
        order = [];
        for (let i = 0; i < n; i++) {
          if (lane >= 0 && LANE[i] !== lane && !(lane === redisLane && kinds[KIND[i]] === "redis")) continue;
          if (kind >= 0 && KIND[i] !== kind) continue;
          if (onlyInvolved.checked && !involved[i] && !violationSteps.has(i)) continue;
          const s = steps[i];
          if (text && !(s[3].toLowerCase().includes(text) || s[4].toLowerCase().includes(text) || s[6].toLowerCase().includes(text) || lanes[LANE[i]].lane.toLowerCase().includes(text) || lanes[LANE[i]].note.includes(text))) continue;
          order.push(i);
        }
        if (sortColumn !== 0 || sortDesc) {
          const key = columns[sortColumn][1];
          order.sort((a, b) => { const ka = key(a); const kb = key(b); const c = ka < kb ? -1 : ka > kb ? 1 : a - b; return sortDesc ? -c : c; });
        }
        positionOf = new Map(order.map((i, k) => [i, k]));
        head.querySelectorAll("span").forEach((cell, index) => { cell.classList.toggle("sorted", index === sortColumn); cell.classList.toggle("desc", index === sortColumn && sortDesc); });
        count.textContent = order.length + " of " + n + " steps";
        inner.style.height = order.length * ROW_H + "px";
        // Keep the place: the selected step (or the one that was on top) stays in view, or the nearest after it.
        if (anchor >= 0 && order.length > 0) {
          let k = positionOf.get(anchor);
          if (k === undefined) k = sortColumn === 0 && !sortDesc ? Math.min(order.length - 1, lowerBound(order, anchor, (i) => i)) : 0;
          body.scrollTop = Math.max(0, k * ROW_H - body.clientHeight / 2);
        }
        render();
      }
      function render() {
        const start = Math.max(0, Math.floor(body.scrollTop / ROW_H) - 8);
        const end = Math.min(order.length, Math.ceil((body.scrollTop + body.clientHeight) / ROW_H) + 8);
        const nodes = [];
        for (let k = start; k < end; k++) {
          const i = order[k];
          const s = steps[i];
          const classes = ["trow"];
          if (involved[i]) classes.push("involved");
          if (violationSteps.has(i)) classes.push("viol");
          if (i === selected) classes.push("selected");
          const row = el("div", { class: classes.join(" "), style: "top:" + k * ROW_H + "px" }, [
            el("span", { class: "num", text: String(i) }),
            el("span", { class: "num", text: seconds(s[0]) }),
            el("span", { text: abbrev(lanes[s[1]].lane), title: lanes[s[1]].lane + (lanes[s[1]].note ? " (" + lanes[s[1]].note + ")" : "") }),
            el("span", {}, [el("span", { class: "chip" + (kinds[s[2]] === "timer" ? " light" : ""), style: "background:" + COLOURS[kinds[s[2]]], text: kinds[s[2]] })]),
            el("span", { class: "mono", text: s[3], title: s[3] }),
            el("span", { class: "mono" + (s[5] ? " marked" : ""), text: s[6] ? s[6] + " · " + s[4] : s[4], title: (s[6] ? s[6] + "\n" : "") + s[4].slice(0, 600) }),
          ]);
          row.addEventListener("click", () => select(i, {}));
          nodes.push(row);
        }
        inner.replaceChildren(...nodes);
      }
      function follow(i) {
        const k = positionOf.get(i);
        if (k !== undefined) {
          const y = k * ROW_H;
          if (y < body.scrollTop || y + ROW_H > body.scrollTop + body.clientHeight) body.scrollTop = Math.max(0, y - body.clientHeight / 2);
        }
        render();
      }
      body.addEventListener("scroll", render);
      for (const control of [laneSelect, kindSelect, onlyInvolved]) control.addEventListener("change", refresh);
      search.addEventListener("input", refresh);
      return { refresh, follow };
    })();

    function onKey(event) {
      if (root.hidden || event.target.closest("input, select, textarea")) return;
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        select(neighbour(event.key === "ArrowRight" ? 1 : -1, event.shiftKey), {});
      } else if (event.key === "v") {
        const v = data.violations[Math.max(0, activeViolation)];
        if (v) select(v.step, { center: true });
      }
    }
    document.addEventListener("keydown", onKey);
    window.addEventListener("resize", () => { if (!root.hidden) { overviewDirty = true; layout(); } });

    // Opens on what the story tells: from its first key step to the violation, as wide as fits.
    function focusStory() {
      const v = data.violations[Math.max(0, activeViolation)];
      if (!v || n === 0) { zoom = Math.max(fitZoom(), 0.45); layout(); return; }
      const from = v.story.length > 0 ? Math.min(v.story[0][0], v.step) : Math.max(0, v.step - 40);
      const room = scroller.clientWidth - GUTTER - 2 * PAD - 80;
      zoom = Math.max(fitZoom(), Math.min(1, room / (xs[v.step] - xs[from] + STEP_W)));
      layout();
      scroller.scrollLeft = Math.max(0, PAD + xs[from] * zoom - 40);
    }

    let activated = false;
    function activate(step) {
      if (!activated) {
        activated = true;
        buildRows();
        if (activeViolation >= 0) setActiveViolation(activeViolation); else table.refresh();
        focusStory();
      } else {
        overviewDirty = true;
        layout();
      }
      const target = step !== null ? step : selected >= 0 ? selected : activeViolation >= 0 ? data.violations[activeViolation].step : 0;
      select(target, { center: step !== null });
    }
    return { root, activate };
  }

  function fromHash() {
    const wanted = readHash();
    show(wanted.view || DATA.views[0].name, wanted.step);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
