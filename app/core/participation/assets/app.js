/* InnoAtlas workshop participation: the phone page.
 * Every text that comes from the server (site names, indicator names, participants'
 * comments, pins, nicknames) is put in the page with textContent or as an SVG text
 * node's textContent: never parsed as markup, never an attribute that could run. */
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const base = location.pathname.replace(/[^/]*$/, "");
  const state = {
    scene: null, settings: {}, strings: {}, actions: new Map(), hidden: new Set(),
    key: null, participant: null, myDots: {}, selected: null, mode: null, point: null,
    category: "good",
  };
  const $ = (id) => document.getElementById(id);

  function t(name, values) {
    let text = state.strings[name] || name;
    if (values) for (const k of Object.keys(values)) text = text.split("{" + k + "}").join(String(values[k]));
    return text;
  }
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs || {})) node.setAttribute(k, String(attrs[k]));
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function toast(text) {
    const box = $("toast");
    box.textContent = text; box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { box.hidden = true; }, 2500);
  }

  async function api(path, body) {
    const headers = { "Content-Type": "application/json" };
    if (state.key) headers["X-Participant"] = state.key;
    const response = await fetch(base + path, {
      method: body === undefined ? "GET" : "POST", headers,
      body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) throw Object.assign(new Error("refused"), { code: data.error || "", status: response.status });
    return data;
  }

  async function join() {
    const storeKey = "innoatlas-participant:" + base;
    try {
      const saved = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (saved && saved.key) { state.key = saved.key; state.participant = saved.participant; }
    } catch (e) { /* private mode */ }
    let scene = await api("scene");
    if (!scene.me) {
      const joined = await api("join", {});
      state.key = joined.key; state.participant = joined.participant;
      try { localStorage.setItem(storeKey, JSON.stringify({ key: state.key, participant: state.participant })); } catch (e) { /* ignore */ }
      scene = await api("scene");
    }
    applyScene(scene);
  }

  function applyScene(scene) {
    state.scene = scene;
    state.strings = scene.strings || {};
    state.settings = scene.settings || {};
    state.actions = new Map();
    for (const a of scene.actions || []) state.actions.set(a.id, a);
    if (scene.me) state.myDots = scene.me.dots || {};
    document.documentElement.lang = scene.language === "ko" ? "ko" : "en";
    $("title").textContent = scene.title || t("title");
    document.title = scene.title || t("title");
    const caveat = $("caveat");
    caveat.textContent = scene.caveat || ""; caveat.hidden = !scene.caveat;
    $("sites-heading").textContent = t("sites");
    $("give").textContent = t("give_dot");
    $("take").textContent = t("take_dot");
    $("comments-heading").textContent = t("comments");
    $("comment-send").textContent = t("send");
    $("card-close").textContent = t("close");
    $("pin-button").textContent = t("pin");
    $("propose-button").textContent = t("propose");
    $("pin-send").textContent = t("send");
    $("pin-cancel").textContent = t("cancel");
    $("pin-text").placeholder = t("text");
    $("comment-text").placeholder = t("comment");
    $("nickname").placeholder = t("nickname");
    $("nickname").maxLength = state.settings.max_nickname || 24;
    $("pin-text").maxLength = state.settings.max_text || 280;
    $("comment-text").maxLength = state.settings.max_text || 280;
    const categories = $("categories");
    clear(categories);
    for (const name of ["good", "problem", "idea"]) {
      const b = el("button", t(name));
      b.type = "button"; b.dataset.category = name;
      b.addEventListener("click", () => { state.category = name; renderCategories(); });
      categories.appendChild(b);
    }
    renderCategories();
    setCount(scene.count || 0);
    render();
  }

  function renderCategories() {
    for (const b of $("categories").children) b.setAttribute("aria-pressed", String(b.dataset.category === state.category));
  }
  function setCount(count) { $("count").textContent = t("participants", { count }); }
  function allowed(kind) { return (state.settings.permissions || []).indexOf(kind) >= 0; }
  function visible() { return Array.from(state.actions.values()).filter((a) => !state.hidden.has(a.id)); }
  function tally() {
    const dots = {};
    for (const a of visible()) if (a.kind === "vote") dots[a.site_id] = (dots[a.site_id] || 0) + a.dots;
    return dots;
  }
  function spent() { return Object.values(state.myDots).reduce((s, v) => s + v, 0); }

  /* map coordinates (EPSG:5186 metres) -> SVG: y grows downwards */
  function view() {
    const b = state.scene.bounds;
    return { x0: b[0], y1: b[3], w: Math.max(1, b[2] - b[0]), h: Math.max(1, b[3] - b[1]) };
  }
  function toSvg(x, y) { const v = view(); return [x - v.x0, v.y1 - y]; }

  function render() {
    if (!state.scene) return;
    const v = view();
    const map = $("map");
    clear(map);
    map.setAttribute("viewBox", "0 0 " + v.w + " " + v.h);
    map.setAttribute("preserveAspectRatio", "xMidYMid meet");
    const r = Math.max(v.w, v.h) / 40;
    map.appendChild(svg("rect", { x: 0, y: 0, width: v.w, height: v.h, fill: "#e8edf2" }));
    for (const ring of state.scene.outlines || []) {
      const points = ring.map((p) => toSvg(p[0], p[1]).join(",")).join(" ");
      map.appendChild(svg("polygon", { points, class: "outline" }));
    }
    for (const a of visible()) {
      if ((a.kind !== "pin" && a.kind !== "propose") || a.x === null) continue;
      const [px, py] = toSvg(a.x, a.y);
      let mark;
      if (a.kind === "pin") mark = svg("path", { d: "M" + px + " " + py + " l" + (-r / 2) + " " + (-r) + " a" + (r / 2) + " " + (r / 2) + " 0 1 1 " + r + " 0 z", class: "pin-" + a.category });
      else mark = svg("rect", { x: px - r / 2, y: py - r / 2, width: r, height: r, class: "proposal" });
      const title = svg("title", {});
      title.textContent = (a.nickname ? a.nickname + ": " : "") + (a.text || t(a.category || "propose"));
      mark.appendChild(title);
      map.appendChild(mark);
    }
    const sites = (state.scene.sites || []).slice().sort((a, b) => (a.rank || 999) - (b.rank || 999));
    for (const s of sites) {
      if (s.x === null) continue;
      const [sx, sy] = toSvg(s.x, s.y);
      const g = svg("g", { class: "site" + (state.selected === s.site_id ? " selected" : ""), tabindex: 0 });
      g.dataset.site = s.site_id;
      g.appendChild(svg("circle", { cx: sx, cy: sy, r }));
      const label = svg("text", { x: sx, y: sy, "font-size": r * 1.1 });
      label.textContent = s.rank ? String(s.rank) : "•";
      g.appendChild(label);
      const title = svg("title", {});
      title.textContent = s.name;
      g.appendChild(title);
      g.addEventListener("click", (event) => { event.stopPropagation(); if (!state.mode) openCard(s.site_id); });
      map.appendChild(g);
    }
    const dots = tally();
    const list = $("site-list");
    clear(list);
    for (const s of sites) {
      const li = el("li");
      li.dataset.site = s.site_id;
      li.appendChild(el("span", (s.rank ? "#" + s.rank + " " : "") + s.name));
      li.appendChild(el("span", t("dots", { count: dots[s.site_id] || 0 }), "tally"));
      li.addEventListener("click", () => openCard(s.site_id));
      list.appendChild(li);
    }
    const left = Math.max(0, (state.settings.dot_budget || 0) - spent());
    $("dots").textContent = allowed("vote") ? (state.settings.voting_open ? t("dots_left", { count: left }) : t("voting_closed")) : "";
    $("pin-button").hidden = !allowed("pin");
    $("propose-button").hidden = !allowed("propose");
    $("pin-button").setAttribute("aria-pressed", String(state.mode === "pin"));
    $("propose-button").setAttribute("aria-pressed", String(state.mode === "propose"));
    if (state.selected) renderCard();
  }

  function site(id) { return (state.scene.sites || []).find((s) => s.site_id === id); }

  function openCard(id) {
    state.selected = id;
    $("card").hidden = false;
    render();
    $("card").scrollIntoView({ behavior: "smooth", block: "start" });
  }

  function renderCard() {
    const s = site(state.selected);
    if (!s) { $("card").hidden = true; state.selected = null; return; }
    $("card-title").textContent = s.name;
    $("card-rank").textContent = s.rank ? t("rank", { rank: s.rank }) : "";
    const dl = $("card-indicators");
    clear(dl);
    for (const pair of s.indicators || []) { dl.appendChild(el("dt", pair[0])); dl.appendChild(el("dd", pair[1])); }
    const dots = tally()[s.site_id] || 0;
    $("card-dots").textContent = t("dots", { count: dots });
    const canVote = allowed("vote") && state.settings.voting_open;
    $("give").hidden = $("take").hidden = !allowed("vote");
    $("give").disabled = !canVote || spent() >= (state.settings.dot_budget || 0);
    $("take").disabled = !canVote || !(state.myDots[s.site_id] > 0);
    $("comment-form").hidden = !allowed("comment");
    const ul = $("card-comments");
    clear(ul);
    for (const a of visible()) {
      if (a.kind !== "comment" || a.site_id !== s.site_id) continue;
      const li = el("li");
      if (a.nickname) li.appendChild(el("span", a.nickname, "who"));
      li.appendChild(el("span", a.text));
      ul.appendChild(li);
    }
  }

  async function send(body) {
    const nickname = $("nickname").value.trim();
    if (nickname) body.nickname = nickname;
    try {
      const answer = await api("action", body);
      state.actions.set(answer.action.id, answer.action);
      if (answer.dots) state.myDots = answer.dots;
      toast(t("sent"));
      render();
      return true;
    } catch (err) {
      const key = "error_" + (err.code || "");
      toast(state.strings[key] || t("refused"));
      return false;
    }
  }

  function setMode(mode) {
    state.mode = state.mode === mode ? null : mode;
    state.point = null;
    $("hint").textContent = t("tap_map");
    $("hint").hidden = !state.mode;
    $("pin-form").hidden = true;
    $("categories").hidden = state.mode !== "pin";
    render();
  }

  function mapPoint(event) {
    const map = $("map");
    const m = map.getScreenCTM();
    if (!m) return null;
    const p = map.createSVGPoint();
    p.x = event.clientX; p.y = event.clientY;
    const q = p.matrixTransform(m.inverse());
    const v = view();
    if (q.x < 0 || q.y < 0 || q.x > v.w || q.y > v.h) return null;
    return { x: v.x0 + q.x, y: v.y1 - q.y };
  }

  function listen() {
    const source = new EventSource(base + "events");
    source.onopen = () => { $("status").textContent = ""; };
    source.onerror = () => { $("status").textContent = t("offline"); };
    source.onmessage = (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (event.type === "action" && event.action) state.actions.set(event.action.id, event.action);
      else if (event.type === "hide") state.hidden.add(event.id);
      else if (event.type === "show") { state.hidden.delete(event.id); if (event.action) state.actions.set(event.action.id, event.action); }
      else if (event.type === "settings") state.settings = event.settings || state.settings;
      else if (event.type === "count") { setCount(event.count); return; }
      else if (event.type === "scene" && event.scene) { const me = { dots: state.myDots }; event.scene.me = me; applyScene(event.scene); return; }
      render();
    };
  }

  function wire() {
    $("give").addEventListener("click", () => send({ kind: "vote", site_id: state.selected, dots: 1 }));
    $("take").addEventListener("click", () => send({ kind: "vote", site_id: state.selected, dots: -1 }));
    $("card-close").addEventListener("click", () => { state.selected = null; $("card").hidden = true; render(); });
    $("comment-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = $("comment-text").value.trim();
      if (text && await send({ kind: "comment", site_id: state.selected, text })) $("comment-text").value = "";
    });
    $("pin-button").addEventListener("click", () => setMode("pin"));
    $("propose-button").addEventListener("click", () => setMode("propose"));
    $("map").addEventListener("click", (event) => {
      if (!state.mode) return;
      const point = mapPoint(event);
      if (!point) return;
      state.point = point;
      $("pin-form").hidden = false;
      $("pin-text").focus();
    });
    $("pin-send").addEventListener("click", async () => {
      if (!state.point) return;
      const body = { kind: state.mode, x: state.point.x, y: state.point.y, text: $("pin-text").value.trim() };
      if (state.mode === "pin") body.category = state.category;
      if (await send(body)) { $("pin-text").value = ""; setMode(state.mode); }
    });
    $("pin-cancel").addEventListener("click", () => setMode(state.mode));
    try { $("nickname").value = localStorage.getItem("innoatlas-nickname") || ""; } catch (e) { /* ignore */ }
    $("nickname").addEventListener("change", () => { try { localStorage.setItem("innoatlas-nickname", $("nickname").value); } catch (e) { /* ignore */ } });
  }

  wire();
  join().then(listen).catch(() => { $("status").textContent = t("offline"); setTimeout(() => location.reload(), 4000); });
})();
