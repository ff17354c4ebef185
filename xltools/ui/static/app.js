// The local page: plain JS, no library, nothing fetched from outside this computer.
// No domain logic: every number and word comes from the server (the library's calls).
"use strict";
const T = JSON.parse(document.getElementById("texts").textContent);
let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
const $ = (id) => document.getElementById(id);
const tr = (k) => (T[lang] || T.zh)[k] || k;
const fill = (text, params) => text.replace(/\{(\w+)\}/g, (m, k) => (k in params ? params[k] : m));
const STATE_ORDER = ["overdue", "soon", "ok", "ongoing", "done", "unjudged"];
const SINCE_LINES = 300;              // the page lists this many 变更 lines; the sheet has them all

function el(tag, props, children) {
  const e = document.createElement(tag);
  Object.entries(props || {}).forEach(([k, v]) => {
    if (k === "dataset") Object.assign(e.dataset, v); else if (k === "on") Object.entries(v).forEach(
      ([ev, f]) => e.addEventListener(ev, f)); else e[k] = v;
  });
  (children || []).forEach((c) => e.append(c));
  return e;
}

function applyTexts() {
  document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = tr(e.dataset.t); });
  document.querySelectorAll("[data-t-placeholder]").forEach((e) => { e.placeholder = tr(e.dataset.tPlaceholder); });
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = tr("ui-title");
}

// ---------------------------------------------------------------- the templates
// The tab buttons, the path fields and the table heads, made once from the HTML's data-…
function build() {
  document.querySelectorAll("section.tab").forEach((s) => $("tabs").append(
    el("button", {dataset: {tab: s.id.slice(4), t: s.dataset.title}})));
  document.querySelectorAll("[data-field]").forEach((row) => {
    const id = row.dataset.field, pick = row.dataset.pick;
    const input = el("input", {id, className: "path", dataset: {pick,
      tPlaceholder: id === "drop-folder" ? "" : pick === "file" ? "ui-drop-file" : "ui-drop-many"}});
    row.prepend(el("label", {dataset: {t: row.dataset.label}}), input,
                el("button", {className: "browse", dataset: {for: id, t: "ui-browse"}}));
    row.classList.add("droppable");
    row.addEventListener("dragover", (e) => { e.preventDefault(); row.classList.add("over"); });
    row.addEventListener("dragleave", () => row.classList.remove("over"));
    row.addEventListener("drop", (e) => {
      e.preventDefault();
      row.classList.remove("over");
      dropped(id, [...e.dataTransfer.files]).catch((x) => say(msgOf(row), x.message, true));
    });
  });
  // a file dropped beside a field is not opened by the browser (it would leave the page)
  ["dragover", "drop"].forEach((ev) => document.addEventListener(ev, (e) => e.preventDefault()));
  document.querySelectorAll("table[data-head]").forEach((table) => {
    const head = el("tr", {}, table.dataset.head.split(" ").map((k) => el("th", {dataset: {t: k}})));
    table.append(el("thead", {}, [head]), el("tbody"));
  });
}

function msgOf(row) {
  const tab = row.closest("section");
  return tab ? tab.id.slice(4).replace("dashboard", "dash") + "-msg" : null;
}

// ---------------------------------------------------------------- talking to the server
async function call(path, data, method) {
  const init = method === "GET" ? {} : {method: "POST", headers: {"Content-Type": "application/json"},
                                         body: JSON.stringify(Object.assign({lang}, data || {}))};
  const r = await fetch(path, init);
  let j;
  try { j = await r.json(); } catch (e) { j = {error: r.status + " " + r.statusText}; }
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

function say(id, text, failed) {
  if (!id || !$(id)) { if (failed) alert(text); return; }
  $(id).textContent = text;
  $(id).classList.toggle("error", !!failed);
}

// A result: open it with the computer's own program (WPS/Excel, the file manager), or download it.
function result(path, folder) {
  const name = path.split(/[\\/]/).pop();
  const box = el("span", {className: "result", dataset: {path}}, [name + " "]);
  box.append(el("button", {className: "open-here", textContent: tr(folder ? "ui-open-folder" : "ui-open-with"),
    on: {click: async (e) => {
      const note = box.querySelector(".note");
      try { await call("/api/open", {path}); note.textContent = fill(tr("ui-opened"), {file: name}); }
      catch (x) { note.textContent = x.message; }
    }}}));
  if (!folder) box.append(" ", el("a", {className: "open", href: "/api/download?path=" + encodeURIComponent(path),
                                        textContent: tr("ui-download")}));
  box.append(el("span", {className: "note hint"}));
  return box;
}

function addResult(msg, path, folder) {
  $(msg).append(el("br"), result(path, folder));
}

function run(button, id, work) {
  $(button).addEventListener("click", async () => {
    $(button).disabled = true;
    say(id, tr("ui-working"));
    try { await work(); } catch (e) { say(id, tr("ui-failed") + "：" + e.message, true); }
    $(button).disabled = false;
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function follow(job, bar, note) {
  for (;;) {
    const j = await call("/api/job/" + job.id, null, "GET");
    const pct = j.total ? Math.round(100 * j.done / j.total) : (j.state === "running" ? 0 : 100);
    $(bar).style.width = (j.state === "done" ? 100 : pct) + "%";
    $(bar).textContent = j.total ? j.done + "/" + j.total : "";
    if (note && j.file) $(note).textContent = j.file;
    if (j.state !== "running") return j;
    await sleep(250);
  }
}

function rows(table, list) {
  const tbody = $(table).querySelector("tbody");
  tbody.textContent = "";
  list.forEach((cells) => {
    tbody.append(el("tr", {}, cells.map((c) => c instanceof Node ? el("td", {}, [c])
      : el("td", {textContent: c === null || c === undefined ? "" : c}))));
  });
  return [...tbody.rows];
}

// ---------------------------------------------------------------- tabs, picker, dropped files
function show(tab) {
  if (!$("tab-" + tab)) tab = "validate";
  document.querySelectorAll(".tab").forEach((s) => { s.hidden = s.id !== "tab-" + tab; });
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("on", b.dataset.tab === tab));
  history.replaceState(null, "", "#" + tab);
}

let pickFor = null;
async function browse(dir) {
  const j = await call("/api/list?dir=" + encodeURIComponent(dir || ""), null, "GET");
  const list = $("picker-list");
  list.textContent = "";
  $("picker-dir").textContent = j.dir || "";
  $("picker").dataset.dir = j.dir || "";
  $("picker").dataset.parent = j.parent || "";
  $("picker-up").disabled = !j.dir;
  const entries = j.dir ? j.entries : j.roots.map((r) => ({name: r, path: r, dir: true}));
  entries.forEach((e) => list.append(el("li", {textContent: (e.dir ? "📁 " : "📄 ") + e.name,
    className: e.dir ? "dir" : "file", on: {click: () => {
      if (e.dir) browse(e.path);
      else if ($(pickFor).dataset.pick === "file") { $(pickFor).value = e.path; $("picker").close(); }
    }}})));
  $("picker-choose").hidden = !j.dir;
}

// Files dropped on a field: saved into the chosen folder (inside the allowed ones), then the
// field names the file (or, for a folder field, that folder).  Read by the actions, never run.
async function dropped(field, files) {
  if (!files.length) return;
  const folder = $("drop-folder").value;
  let first = null;
  for (const file of files) {
    const form = new FormData();
    form.append("file", file);
    form.append("folder", folder);
    form.append("lang", lang);
    const r = await fetch("/api/upload", {method: "POST", body: form});
    const j = await r.json();
    if (!r.ok) throw new Error(j.error);
    first = first || j;
  }
  if (field !== "drop-folder") $(field).value = $(field).dataset.pick === "file" ? first.path : first.folder;
  const msg = msgOf($(field).closest(".row"));
  if (msg) say(msg, fill(tr("ui-dropped"), {file: first.path}));
  if (field === "validate-path") await validate();
}

// ---------------------------------------------------------------- 校验
let findings = [];
function drawFindings() {
  const word = $("validate-filter").value.trim(), sev = $("validate-severity").value;
  const shown = findings.filter((f) => (!sev || f.severity === sev) &&
      (!word || [f.file, f.sheet, f.cell, f.value, f.message, f.suggestion].join(" ").includes(word)));
  rows("findings", shown.map((f) => [tr("ui-severity-" + f.severity), f.file.split(/[\\/]/).pop(), f.sheet, f.cell,
                                     f.value, f.message, f.suggestion]))
    .forEach((r, i) => { r.className = shown[i].severity; });
}

async function validate() {
  const j = await call("/api/validate", {path: $("validate-path").value});
  findings = j.report.findings;
  drawFindings();
  const unreadable = j.report.unreadable.map((u) => u.message).join("\n");
  say("validate-msg", (unreadable ? unreadable + "\n" : "") +
      (findings.length || unreadable ? j.summary : tr("ui-no-findings") + " " + j.summary), !!unreadable);
  $("validate-copy").disabled = false;
}

// ---------------------------------------------------------------- 合并汇总
async function merge(replace) {
  $("merge-refused").hidden = true;
  $("merge-bar").style.width = "0%";
  const job = await call("/api/merge", {folder: $("merge-folder").value, output: $("merge-output").value, replace});
  const j = await follow(job, "merge-bar", "merge-file");
  if (j.state === "refused") {
    $("merge-tasks").textContent = fill(tr("ui-merge-removes"), j.result) + "\n" + j.result.lines.join("\n");
    $("merge-refused").hidden = false;
    say("merge-msg", "");
  } else if (j.state === "failed") {
    say("merge-msg", tr("ui-failed") + "：" + j.error, true);
  } else {
    say("merge-msg", j.result.message);
    addResult("merge-msg", j.result.file);
    ["dash-path", "split-path", "collect-path", "report-path", "remind-path", "history-path"].forEach((id) => {
      if (!$(id).value || id === "dash-path") $(id).value = j.result.file;
    });
  }
}

// ---------------------------------------------------------------- 看板
let dash = null;
const sum = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
const taskRow = (x) => [x.district, x.seq, x.task, x.lead, dash.states[x.state], x.state === "overdue" ? x.days : ""];

function tile(kind, label, n, onclick, before) {
  const t = el("div", {className: "tile " + kind, dataset: {state: kind}, on: onclick ? {click: onclick} : {}},
               [el("b", {textContent: n}), el("span", {textContent: label})]);
  if (before !== null && before !== undefined) {      // the count in the master before the last merge
    t.dataset.before = before;
    t.append(el("small", {className: "before", textContent: fill(tr("ui-before-n"),
      {n: before, d: (n - before > 0 ? "+" : "") + (n - before)})}));
  }
  return t;
}

function bars(target, list, key) {
  const max = Math.max(1, ...list.map((r) => sum(r.counts)));
  $(target).replaceChildren(...list.map((r) => {
    const segs = STATE_ORDER.filter((s) => r.counts[s]).map((s) => {
      const seg = el("span", {className: "seg " + s, title: dash.states[s] + " " + r.counts[s]});
      seg.style.width = (100 * r.counts[s] / max) + "%";       // CSSOM: allowed by the page's CSP
      return seg;
    });
    return el("div", {className: "barline", dataset: {name: r.name}, on: {click: () => listTasks(r.name, key)}},
              [el("span", {className: "name", textContent: r.name, title: r.name}),
               el("span", {className: "track"}, segs), el("span", {className: "count", textContent: sum(r.counts)})]);
  }));
}

function listTasks(name, key) {
  const lines = key === "district" ? dash.lines.filter((x) => (x.district || "") === name || (!x.district && !name))
    : (dash.unit_lines[name] || []).map((i) => dash.lines[i]);
  drawList(name + tr("ui-tasks-of"), lines.map(taskRow));
}

function drawList(title, list) {
  $("dash-list-title").textContent = title;
  rows("dash-list", list);
}

function drawSince(s) {
  $("since-counts").replaceChildren(...["added", "removed", "changed"].map((k) => el("span",
    {className: "change " + k, dataset: {kind: k}}, [tr("ui-change-" + k) + " ", el("b", {textContent: s[k]})])));
  $("since-counts").hidden = s.first;
  $("since-note").textContent = s.before ? fill(tr("ui-since-when"), {when: s.merged_at, previous: s.previous_merge})
    : s.note + " " + tr("ui-since-none");
  $("since-summary").textContent = fill(tr("ui-change-lines"), {n: s.lines.length});
  $("since-details").hidden = !s.lines.length;
  rows("since-lines", s.lines.slice(0, SINCE_LINES).map((x) => [tr("ui-change-" + x.kind), x.district, x.seq, x.column,
                                                                  x.old, x.new]));
}

async function dashboard() {
  dash = await call("/api/dashboard", {path: $("dash-path").value});
  $("dash").hidden = false;
  say("dash-msg", "");
  $("dash-title").textContent = dash.plan + "　" + tr("ui-as-of") + dash.as_of;
  const before = dash.since.before;
  const kinds = [["total", tr("ui-total"), sum(dash.total), before && sum(before)]].concat(
    STATE_ORDER.map((s) => [s, dash.states[s], dash.total[s], before && (before[s] || 0)]));
  $("dash-states").replaceChildren(...kinds.map(([k, label, n, b]) => tile(k, label, n, () => drawList(label,
    dash.lines.filter((x) => k === "total" || x.state === k).map(taskRow)), b)));
  drawSince(dash.since);
  bars("dash-districts", dash.by_district, "district");
  bars("dash-units", dash.by_unit.slice(0, 40), "unit");
  drawList(tr("ui-overdue-list"), dash.overdue.map((x) => [x.district, x.seq, x.task, x.lead, dash.states.overdue, x.days]));
}

// ---------------------------------------------------------------- the other buttons
async function jobButton(path, data, bar, msg, done) {
  $(bar).style.width = "0%";
  const j = await follow(await call(path, data), bar);
  if (j.state !== "done") throw new Error(j.error);
  say(msg, j.result.message);
  if (done) done(j.result);
  return j.result;
}

async function simple(path, data, msg) {
  const j = await call(path, data);
  say(msg, j.message);
  if (j.file) addResult(msg, j.file);
  if (j.folder) addResult(msg, j.folder, true);
  (j.files || []).forEach((f) => addResult(msg, f.file));
  return j;
}

// ---------------------------------------------------------------- 单位名录
let units = null, edits = [];

function editText(e) { return fill(tr("ui-edit-" + e.op), e); }

function drawUnits(head, list) {
  const table = $("units-table");
  table.querySelector("thead").replaceChildren(el("tr", {}, head.map((k) => el("th", {textContent: tr(k)}))));
  return rows("units-table", list);
}

// The registry as the server sent it, with the edits not yet saved shown on it.
function drawRegistry() {
  const shown = units.map((u) => Object.assign({}, u));
  edits.forEach((e) => {
    const u = shown.find((x) => x.name === e.name && (x.district || "") === (e.district || ""));
    if (e.op === "add") shown.push({name: e.name, kind: e.kind, aliases: "", district: e.district, added: true});
    else if (u && e.op === "rename") { u.name = e.value; u.changed = true; }
    else if (u && e.op === "alias") { u.aliases = u.aliases ? u.aliases + "、" + e.value : e.value; u.changed = true; }
    else if (u && e.op === "remove") u.removed = true;
  });
  drawUnits(["ui-unit-name", "ui-unit-kind", "ui-unit-aliases", "ui-district", "ui-unit-actions"],
            shown.map((u) => [u.name, u.kind, u.aliases, u.district, u.added || u.removed ? "" : actions(u)]))
    .forEach((r, i) => {
      r.dataset.name = shown[i].name;
      r.classList.toggle("removed", !!shown[i].removed);
      r.classList.toggle("edited", !!(shown[i].added || shown[i].changed));
    });
  $("units-edits").textContent = edits.map(editText).join("；");
  $("units-pending").hidden = !edits.length;
}

function actions(u) {
  const box = el("span", {className: "actions"});
  const ask = (op, placeholder) => {
    const input = el("input", {className: "short", placeholder: tr(placeholder)});
    const ok = el("button", {textContent: "✓", className: "ok", on: {click: () => {
      if (input.value.trim()) { edits.push({op, name: u.name, district: u.district, value: input.value.trim()}); }
      drawRegistry();
    }}});
    box.replaceChildren(input, ok);
    input.focus();
  };
  box.append(el("button", {className: "rename", textContent: tr("ui-unit-rename"), on: {click: () => ask("rename", "ui-unit-new-name")}}),
             el("button", {className: "alias", textContent: tr("ui-unit-alias"), on: {click: () => ask("alias", "ui-unit-new-alias")}}),
             el("button", {className: "remove", textContent: tr("ui-unit-remove"), on: {click: () => {
               edits.push({op: "remove", name: u.name, district: u.district}); drawRegistry(); }}}));
  return box;
}

async function viewUnits() {
  const j = await call("/api/units", {});
  units = j.units;
  if (!$("unit-add-kind").options.length) $("unit-add-kind").append(...j.kinds.map((k) => el("option", {value: k, textContent: k})));
  drawRegistry();
  say("units-msg", fill(tr("ui-units-path"), {file: j.file}));
}

async function learn(save) {
  const j = await call("/api/units/learn", {path: $("units-path").value, save});
  drawUnits(["ui-unit-name", "ui-unit-count", "ui-unit-kind", "ui-unit-alias-of"],
            j.proposals.map((p) => [p.name, p.count, p.kind, p.alias_of || ""]));
  say("units-msg", (j.failed || []).join("\n") + (j.saved ? tr("ui-saved") + j.saved : ""));
  $("units-save").disabled = !j.proposals.length;
}

// ---------------------------------------------------------------- wiring
document.addEventListener("DOMContentLoaded", () => {
  build();
  applyTexts();
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => show(b.dataset.tab)));
  show((location.hash || "#validate").slice(1));
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    applyTexts();
    // what the server said is in the old language: ask again
    if (dash) dashboard().catch((e) => say("dash-msg", e.message, true));
    if (findings.length) validate().catch((e) => say("validate-msg", e.message, true)); else drawFindings();
    if (units) drawRegistry();
  });
  document.querySelectorAll(".browse").forEach((b) => b.addEventListener("click", () => {
    pickFor = b.dataset.for;
    $("picker-list").textContent = "";            // never the last listing while the new one comes
    $("picker").showModal();
    const v = $(pickFor).value;
    browse(v ? ($(pickFor).dataset.pick === "folder" ? v : v.replace(/[\\/][^\\/]*$/, "")) : "")
      .catch(() => browse(""));
  }));
  $("picker-up").addEventListener("click", () => browse($("picker").dataset.parent));
  $("picker-close").addEventListener("click", () => $("picker").close());
  $("picker-choose").addEventListener("click", () => {
    if ($(pickFor).dataset.pick === "folder") $(pickFor).value = $("picker").dataset.dir;
    $("picker").close();
  });
  // dropped files go to the folder chosen last time, else the first allowed one
  $("drop-folder").value = localStorage.getItem("xltools-drop-folder") || "";
  $("drop-folder").addEventListener("change", () => localStorage.setItem("xltools-drop-folder", $("drop-folder").value));
  if (!$("drop-folder").value) call("/api/list", null, "GET").then((j) => { $("drop-folder").value = j.roots[0] || ""; });

  run("validate-run", "validate-msg", validate);
  run("validate-copy", "validate-msg", async () => {
    const j = await call("/api/annotate", {path: $("validate-path").value});
    say("validate-msg", tr("ui-saved") + j.file);
    addResult("validate-msg", j.file);
  });
  $("validate-filter").addEventListener("input", drawFindings);
  $("validate-severity").addEventListener("change", drawFindings);

  run("flag-run", "flag-msg", () => simple("/api/flag", {path: $("flag-path").value}, "flag-msg"));
  run("merge-run", "merge-msg", () => merge(false));
  run("merge-confirm", "merge-msg", () => merge(true));
  run("dash-run", "dash-msg", dashboard);
  run("newplan-run", "newplan-msg", () => simple("/api/newplan", {year: $("newplan-year").value,
    district: $("newplan-district").value, folder: $("newplan-folder").value, from: $("newplan-from").value},
    "newplan-msg"));
  run("split-run", "split-msg", () => jobButton("/api/split", {path: $("split-path").value, by: $("split-by").value},
    "split-bar", "split-msg", (r) => {
      addResult("split-msg", r.folder, true);
      if (!$("collect-folder").value) $("collect-folder").value = r.folder;
    }));
  run("collect-run", "collect-msg", () => jobButton("/api/collect", {path: $("collect-path").value,
    folder: $("collect-folder").value}, "collect-bar", "collect-msg", (r) => addResult("collect-msg", r.file)));
  run("report-run", "report-msg", () => simple("/api/report", {path: $("report-path").value}, "report-msg"));
  run("remind-run", "remind-msg", () => simple("/api/remind", {path: $("remind-path").value}, "remind-msg"));
  run("units-view", "units-msg", viewUnits);
  run("unit-add", "units-msg", async () => {
    if (!units) await viewUnits();
    const name = $("unit-add-name").value.trim();
    if (!name) return say("units-msg", tr("ui-no-path"), true);
    edits.push({op: "add", name, kind: $("unit-add-kind").value, district: $("unit-add-district").value.trim()});
    $("unit-add-name").value = "";
    drawRegistry();
    say("units-msg", "");
  });
  run("units-edit-save", "units-msg", async () => {
    const j = await call("/api/units/edit", {edits});
    edits = [];
    await viewUnits();
    say("units-msg", j.message);
  });
  $("units-edit-clear").addEventListener("click", () => { edits = []; drawRegistry(); });
  run("units-learn", "units-msg", () => learn(false));
  run("units-save", "units-msg", () => learn(true));
  run("history-run", "history-msg", async () => {
    const j = await call("/api/history", {path: $("history-path").value});
    $("history-lines").textContent = j.lines.join("\n");
    say("history-msg", "");
  });
  run("history-undo", "history-msg", async () => {
    const j = await call("/api/undo", {path: $("history-path").value});
    say("history-msg", j.message);
  });
});
