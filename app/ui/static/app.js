// screenpilot web UI: plain DOM code, no build step, no external assets (works offline).
"use strict";
const $ = (sel) => document.querySelector(sel);
const SVG = "http://www.w3.org/2000/svg";
const OK = "#ff0000", FAIL = "#ff00ff";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// The same drawing as agent/report/overlay.py: marks are in image pixels, the viewBox scales them.
function drawMarks(svg, marks, width, height) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  const r = Math.max(6, 0.012 * Math.max(width, height));
  for (const m of marks) {
    const color = m.ok === false ? FAIL : OK;
    const stroke = { stroke: color, "stroke-width": r / 3, fill: "none" };
    const p = m.points;
    if (m.kind === "box") {
      svg.append(svgEl("rect", { x: p[0][0], y: p[0][1], width: p[1][0] - p[0][0], height: p[1][1] - p[0][1], ...stroke }));
    } else if (m.kind === "path") {
      svg.append(svgEl("polyline", { points: p.map((q) => q.join(",")).join(" "), "stroke-dasharray": `${r},${r / 2}`, ...stroke }));
      svg.append(svgEl("circle", { cx: p[0][0], cy: p[0][1], r, ...stroke }));
      const e = p[p.length - 1];
      svg.append(svgEl("circle", { cx: e[0], cy: e[1], r: r / 2, fill: color }));
    } else {
      svg.append(svgEl("circle", { cx: p[0][0], cy: p[0][1], r, ...stroke }));
      svg.append(svgEl("circle", { cx: p[0][0], cy: p[0][1], r: r / 3, fill: color }));
    }
    if (m.label) {
      const at = m.kind === "box" ? p[0] : p[p.length - 1];
      const t = svgEl("text", { x: at[0] + r * 1.4, y: at[1] - r * 1.2, "font-size": r * 2, fill: color, stroke: "white", "stroke-width": r / 4, "paint-order": "stroke" });
      t.textContent = m.label;
      svg.append(t);
    }
  }
}

function parseOptions(text) {
  const out = {};
  for (const line of text.split(/\n|,(?=\s*[A-Za-z_][\w-]*=)/)) {
    const s = line.trim();
    if (!s) continue;
    const i = s.indexOf("=");
    if (i <= 0) throw new Error(`option "${s}" is not KEY=VALUE`);
    out[s.slice(0, i).trim().replace(/-/g, "_")] = s.slice(i + 1).trim();
  }
  return out;
}

async function postJSON(url, body) {
  const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

// -- tabs ---------------------------------------------------------------------------------
function showTab(name) {
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.id === "tab-" + name));
  document.querySelectorAll(".tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  if (name === "runs") loadRuns();
}
document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => { history.replaceState(null, "", "#" + b.dataset.tab); showTab(b.dataset.tab); }));

// -- registry -----------------------------------------------------------------------------
async function loadRegistry() {
  const reg = await (await fetch("/api/registry")).json();
  const fill = (select, names, chosen) => {
    select.replaceChildren(...names.map((n) => el("option", { value: n }, n)));
    select.value = chosen;
  };
  fill($("#ground-policy"), reg.policies, reg.default_policy);
  fill($("#run-policy"), reg.policies, reg.default_policy);
  fill($("#run-env"), reg.environments, reg.default_env);
  const lines = (o) => Object.entries(o || {}).map(([k, v]) => `${k}=${v}`).join("\n");
  $("#ground-options").value = lines(reg.default_policy_options);
  $("#run-options").value = lines(reg.default_policy_options);
  $("#max-steps").value = reg.default_max_steps;
  // A run that starts with nothing changed works: each environment brings its own example
  // task and options, and switching environments swaps them unless the user edited them.
  let shown = { task: "", options: "" };
  const applyEnvDefaults = () => {
    const env = $("#run-env").value;
    const next = { task: reg.default_tasks[env] || "", options: lines(reg.default_env_options[env]) };
    if ($("#task").value === shown.task) $("#task").value = next.task;
    if ($("#env-options").value === shown.options) $("#env-options").value = next.options;
    shown = next;
  };
  $("#run-env").addEventListener("change", applyEnvDefaults);
  applyEnvDefaults();
}

// -- grounding ----------------------------------------------------------------------------
let imageData = null;
function setImage(file) {
  if (!file || !file.type.startsWith("image/")) return;
  const reader = new FileReader();
  reader.onload = () => {
    imageData = reader.result;
    $("#ground-img").src = imageData;
    $("#ground-frame").classList.remove("empty");
    $("#ground-marks").replaceChildren();
    $("#ground-result").replaceChildren();
  };
  reader.readAsDataURL(file);
}
$("#image-input").addEventListener("change", (e) => setImage(e.target.files[0]));
document.addEventListener("paste", (e) => {
  for (const item of e.clipboardData.items) if (item.type.startsWith("image/")) { setImage(item.getAsFile()); showTab("ground"); }
});
$("#ground-frame").addEventListener("dragover", (e) => e.preventDefault());
$("#ground-frame").addEventListener("drop", (e) => { e.preventDefault(); setImage(e.dataTransfer.files[0]); });

$("#ground-btn").addEventListener("click", async () => {
  const out = $("#ground-result");
  if (!imageData) { out.replaceChildren(el("div", { class: "error" }, "Choose or paste a screenshot first.")); return; }
  out.replaceChildren(el("p", {}, "Asking the policy…"));
  $("#ground-btn").disabled = true;
  try {
    const res = await postJSON("/api/ground", {
      image: imageData, instruction: $("#instruction").value, policy: $("#ground-policy").value,
      options: parseOptions($("#ground-options").value), mode: $("#ground-mode").value,
      scale_factor: parseFloat($("#ground-scale").value) || 1,
    });
    drawMarks($("#ground-marks"), res.marks, res.image_size[0], res.image_size[1]);
    const parts = [el("p", { id: "ground-summary" }, `${res.marks.length} mark(s) · ${(res.latency_s * 1000).toFixed(0)} ms`)];
    if (res.error) parts.push(el("div", { class: "error" }, res.error));
    for (const a of res.actions) parts.push(el("div", { class: "action" }, el("code", {}, a)));
    if (res.thought) parts.push(el("p", { class: "thought" }, res.thought));
    if (res.raw) parts.push(el("details", {}, el("summary", {}, "Raw model output"), el("pre", {}, res.raw)));
    out.replaceChildren(...parts);
  } catch (err) {
    out.replaceChildren(el("div", { class: "error" }, err.message));
  } finally {
    $("#ground-btn").disabled = false;
  }
});

// -- live runs ----------------------------------------------------------------------------
let source = null, liveId = null;
function stepCard(s) {
  const frame = el("div", { class: "frame" });
  if (s.shot_url) {
    const img = el("img", { src: s.shot_url, alt: `step ${s.index + 1}` });
    const svg = svgEl("svg", { class: "marks" });
    frame.append(img, svg);
    if (s.image_size) drawMarks(svg, s.marks, s.image_size[0], s.image_size[1]);
  }
  const info = el("div", {}, el("h3", {}, `Step ${s.index + 1}`));
  if (s.thought) info.append(el("p", { class: "thought" }, s.thought));
  const list = el("ul", {});
  for (const a of s.actions) list.append(el("li", { class: a.ok ? "ok" : "fail" }, `${a.ok ? "✓" : "✗"} ${a.text} ${a.message}`));
  info.append(list);
  if (s.error) info.append(el("div", { class: "error" }, s.error));
  if (s.raw) info.append(el("details", {}, el("summary", {}, "Raw model output"), el("pre", {}, s.raw)));
  return el("article", { class: "live-step " + (s.ok ? "ok" : "fail"), "data-index": s.index }, frame, info);
}

function follow(runId, stoppable) {
  if (source) source.close();
  liveId = runId;
  $("#live-steps").replaceChildren();
  const status = $("#run-status");
  status.textContent = `running ${runId}…`;
  status.dataset.state = "running";
  $("#stop-btn").disabled = !stoppable;
  source = new EventSource("/api/events/" + encodeURIComponent(runId).replace(/%2F/g, "/"));
  source.addEventListener("step", (e) => $("#live-steps").append(stepCard(JSON.parse(e.data))));
  source.addEventListener("end", (e) => {
    const r = JSON.parse(e.data);
    status.replaceChildren(el("span", { class: "badge " + r.status }, r.status), ` ${r.reason} (${r.steps} steps) `,
      el("a", { href: "/report/" + runId, id: "live-report" }, "report"));
    status.dataset.state = r.status;
    $("#stop-btn").disabled = true;
    source.close();
  });
  source.addEventListener("error", (e) => {
    if (e.data) { status.replaceChildren(el("span", { class: "error" }, JSON.parse(e.data).error)); status.dataset.state = "error"; }
    $("#stop-btn").disabled = true;
    source.close();
  });
}

$("#run-btn").addEventListener("click", async () => {
  try {
    const res = await postJSON("/api/live", {
      task: $("#task").value, env: $("#run-env").value, env_options: parseOptions($("#env-options").value),
      policy: $("#run-policy").value, policy_options: parseOptions($("#run-options").value),
      max_steps: parseInt($("#max-steps").value, 10) || 30,
    });
    follow(res.run_id, true);
  } catch (err) {
    $("#run-status").replaceChildren(el("span", { class: "error" }, err.message));
  }
});
$("#stop-btn").addEventListener("click", () => liveId && postJSON(`/api/live/${liveId}/stop`, {}));

// -- past runs ----------------------------------------------------------------------------
async function loadRuns() {
  const runs = await (await fetch("/api/runs")).json();
  const rows = runs.map((r) => {
    const started = r.created ? new Date(r.created * 1000).toLocaleString() : "";
    const watch = el("button", { type: "button", class: "watch" }, "watch");
    watch.addEventListener("click", () => { showTab("run"); follow(r.path, r.stoppable); });
    return el("tr", { "data-path": r.path },
      el("td", {}, el("a", { href: "/report/" + r.path, class: "report-link" }, r.path)),
      el("td", {}, r.kind === "benchmark" ? `benchmark · ${r.episodes} episodes` : r.task),
      el("td", {}, r.status ? el("span", { class: "badge " + r.status }, r.status) : ""),
      el("td", {}, r.steps ?? ""), el("td", {}, started), el("td", {}, r.kind === "run" ? watch : "",
        r.video ? el("a", { href: r.video, class: "video-link" }, " ▶ video") : ""));
  });
  $("#runs-table tbody").replaceChildren(...rows);
}
$("#refresh-runs").addEventListener("click", loadRuns);

loadRegistry().then(() => showTab((location.hash || "#ground").slice(1)));
