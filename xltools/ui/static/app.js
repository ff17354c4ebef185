// The local page: plain JS, no library, nothing fetched from outside this computer.
"use strict";
const T = JSON.parse(document.getElementById("texts").textContent);
let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
const $ = (id) => document.getElementById(id);
const tr = (k) => (T[lang] || T.zh)[k] || k;
const STATE_ORDER = ["overdue", "soon", "ok", "ongoing", "done", "unjudged"];

function applyTexts() {
  document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = tr(e.dataset.t); });
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = tr("ui-title");
}

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
  const el = $(id);
  el.textContent = text;
  el.classList.toggle("error", !!failed);
}

function link(path) {
  const a = document.createElement("a");
  a.href = "/api/download?path=" + encodeURIComponent(path);
  a.textContent = tr("ui-open") + "：" + path.split(/[\\/]/).pop();
  a.className = "open";
  return a;
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

function row(cells, tbody) {
  const tr_ = document.createElement("tr");
  cells.forEach((c) => {
    const td = document.createElement("td");
    if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? "" : c;
    tr_.appendChild(td);
  });
  tbody.appendChild(tr_);
  return tr_;
}

// ---------------------------------------------------------------- tabs, language, picker
function show(tab) {
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
  entries.forEach((e) => {
    const li = document.createElement("li");
    li.textContent = (e.dir ? "📁 " : "📄 ") + e.name;
    li.className = e.dir ? "dir" : "file";
    li.addEventListener("click", () => {
      if (e.dir) browse(e.path);
      else if ($(pickFor).dataset.pick === "file") { $(pickFor).value = e.path; $("picker").close(); }
    });
    list.appendChild(li);
  });
  $("picker-choose").hidden = !j.dir;
}

// ---------------------------------------------------------------- 校验
let findings = [];
function drawFindings() {
  const tbody = $("findings").querySelector("tbody");
  tbody.textContent = "";
  const word = $("validate-filter").value.trim(), sev = $("validate-severity").value;
  findings.filter((f) => (!sev || f.severity === sev) &&
      (!word || [f.file, f.sheet, f.cell, f.value, f.message, f.suggestion].join(" ").includes(word)))
    .forEach((f) => {
      row([tr("ui-severity-" + f.severity), f.file.split(/[\\/]/).pop(), f.sheet, f.cell, f.value, f.message,
           f.suggestion], tbody).className = f.severity;
    });
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

async function upload(file) {
  const form = new FormData();
  form.append("file", file);
  form.append("lang", lang);
  const r = await fetch("/api/upload", {method: "POST", body: form});
  const j = await r.json();
  if (!r.ok) throw new Error(j.error);
  $("validate-path").value = j.path;
  await validate();
}

// ---------------------------------------------------------------- 合并汇总
async function merge(replace) {
  $("merge-refused").hidden = true;
  $("merge-bar").style.width = "0%";
  const job = await call("/api/merge", {folder: $("merge-folder").value, output: $("merge-output").value, replace});
  const j = await follow(job, "merge-bar", "merge-file");
  if (j.state === "refused") {
    $("merge-tasks").textContent = tr("ui-merge-removes").replace("{removed}", j.result.removed)
      .replace("{previous}", j.result.previous) + "\n" + j.result.lines.join("\n");
    $("merge-refused").hidden = false;
    say("merge-msg", "");
  } else if (j.state === "failed") {
    say("merge-msg", tr("ui-failed") + "：" + j.error, true);
  } else {
    say("merge-msg", j.result.message);
    $("merge-msg").appendChild(document.createElement("br"));
    $("merge-msg").appendChild(link(j.result.file));
    $("dash-path").value = j.result.file;
    ["split-path", "collect-path", "report-path", "remind-path", "history-path"].forEach((id) => {
      if (!$(id).value) $(id).value = j.result.file;
    });
  }
}

// ---------------------------------------------------------------- 看板
let dash = null;
function bars(target, rows, key) {
  const box = $(target);
  box.textContent = "";
  const max = Math.max(1, ...rows.map((r) => Object.values(r.counts).reduce((a, b) => a + b, 0)));
  rows.forEach((r) => {
    const line = document.createElement("div");
    line.className = "barline";
    line.dataset.name = r.name;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = r.name;
    name.title = r.name;
    const track = document.createElement("span");
    track.className = "track";
    let total = 0;
    STATE_ORDER.forEach((s) => {
      const n = r.counts[s] || 0;
      total += n;
      if (!n) return;
      const seg = document.createElement("span");
      seg.className = "seg " + s;
      seg.style.width = (100 * n / max) + "%";
      seg.title = dash.states[s] + " " + n;
      track.appendChild(seg);
    });
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = total;
    line.append(name, track, count);
    line.addEventListener("click", () => listTasks(r.name, key));
    box.appendChild(line);
  });
}

function listTasks(name, key) {
  const lines = key === "district" ? dash.lines.filter((x) => (x.district || "") === name || (!x.district && !name))
    : (dash.unit_lines[name] || []).map((i) => dash.lines[i]);
  drawList(name + tr("ui-tasks-of"), lines.map((x) => [x.district, x.seq, x.task, x.lead, dash.states[x.state],
                                                       x.state === "overdue" ? x.days : ""]));
}

function drawList(title, rows) {
  $("dash-list-title").textContent = title;
  const tbody = $("dash-list").querySelector("tbody");
  tbody.textContent = "";
  rows.forEach((r) => row(r, tbody));
}

async function dashboard() {
  dash = await call("/api/dashboard", {path: $("dash-path").value});
  $("dash").hidden = false;
  say("dash-msg", "");
  $("dash-title").textContent = dash.plan + "　" + tr("ui-as-of") + dash.as_of;
  const tiles = $("dash-states");
  tiles.textContent = "";
  const total = Object.values(dash.total).reduce((a, b) => a + b, 0);
  [["total", tr("ui-total"), total]].concat(STATE_ORDER.map((s) => [s, dash.states[s], dash.total[s]]))
    .forEach(([k, label, n]) => {
      const d = document.createElement("div");
      d.className = "tile " + k;
      d.dataset.state = k;
      d.innerHTML = "<b></b><span></span>";
      d.querySelector("b").textContent = n;
      d.querySelector("span").textContent = label;
      d.addEventListener("click", () => drawList(label, dash.lines.filter((x) => k === "total" || x.state === k)
        .map((x) => [x.district, x.seq, x.task, x.lead, dash.states[x.state], x.state === "overdue" ? x.days : ""])));
      tiles.appendChild(d);
    });
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
}

async function simple(path, data, msg) {
  const j = await call(path, data);
  say(msg, j.message);
  if (j.file) { $(msg).appendChild(document.createElement("br")); $(msg).appendChild(link(j.file)); }
  (j.files || []).forEach((f) => { $(msg).appendChild(document.createElement("br")); $(msg).appendChild(link(f.file)); });
  return j;
}

function drawUnits(head, rows) {
  const table = $("units-table");
  table.querySelector("thead").textContent = "";
  row(head.map(tr), table.querySelector("thead"));
  const tbody = table.querySelector("tbody");
  tbody.textContent = "";
  rows.forEach((r) => row(r, tbody));
}

async function learn(save) {
  const j = await call("/api/units/learn", {path: $("units-path").value, save});
  drawUnits(["ui-unit-name", "ui-unit-count", "ui-unit-kind", "ui-unit-alias-of"],
            j.proposals.map((p) => [p.name, p.count, p.kind, p.alias_of || ""]));
  say("units-msg", (j.failed || []).join("\n") + (j.saved ? tr("ui-saved") + j.saved : ""));
  $("units-save").disabled = !j.proposals.length;
}

document.addEventListener("DOMContentLoaded", () => {
  applyTexts();
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => show(b.dataset.tab)));
  show((location.hash || "#validate").slice(1));
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    applyTexts();
    // what the server said is in the old language: ask again
    if (dash) dashboard().catch((e) => say("dash-msg", e.message, true));
    if (findings.length) validate().catch((e) => say("validate-msg", e.message, true)); else drawFindings();
  });
  document.querySelectorAll(".browse").forEach((b) => b.addEventListener("click", () => {
    pickFor = b.dataset.for;
    $("picker-choose").dataset.t = "ui-choose-folder";
    $("picker").showModal();
    const v = $(pickFor).value;
    browse(v ? ($(pickFor).dataset.pick === "folder" ? v : v.replace(/[\\/][^\\/]*$/, "")) : "")
      .catch(() => browse(""));
  }));
  $("picker-up").addEventListener("click", () => browse($("picker").dataset.parent));
  $("picker-close").addEventListener("click", () => $("picker").close());
  $("picker-choose").addEventListener("click", () => {
    const dir = $("picker").dataset.dir;
    $(pickFor).value = $(pickFor).dataset.pick === "folder" ? dir : $(pickFor).value;
    $("picker").close();
  });

  run("validate-run", "validate-msg", validate);
  run("validate-copy", "validate-msg", async () => {
    const j = await call("/api/annotate", {path: $("validate-path").value});
    $("validate-msg").textContent = tr("ui-saved") + j.file + " ";
    $("validate-msg").appendChild(link(j.file));
  });
  $("validate-filter").addEventListener("input", drawFindings);
  $("validate-severity").addEventListener("change", drawFindings);
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) upload(e.dataTransfer.files[0]).catch((x) => say("validate-msg", x.message, true));
  });

  run("flag-run", "flag-msg", () => simple("/api/flag", {path: $("flag-path").value}, "flag-msg"));
  run("merge-run", "merge-msg", () => merge(false));
  run("merge-confirm", "merge-msg", () => merge(true));
  run("dash-run", "dash-msg", dashboard);
  run("newplan-run", "newplan-msg", () => simple("/api/newplan", {year: $("newplan-year").value,
    district: $("newplan-district").value, folder: $("newplan-folder").value, from: $("newplan-from").value},
    "newplan-msg"));
  run("split-run", "split-msg", () => jobButton("/api/split", {path: $("split-path").value, by: $("split-by").value},
    "split-bar", "split-msg", (r) => { if (!$("collect-folder").value) $("collect-folder").value = r.folder; }));
  run("collect-run", "collect-msg", () => jobButton("/api/collect", {path: $("collect-path").value,
    folder: $("collect-folder").value}, "collect-bar", "collect-msg"));
  run("report-run", "report-msg", () => simple("/api/report", {path: $("report-path").value}, "report-msg"));
  run("remind-run", "remind-msg", () => simple("/api/remind", {path: $("remind-path").value}, "remind-msg"));
  run("units-view", "units-msg", async () => {
    const j = await call("/api/units", {});
    drawUnits(["ui-unit-name", "ui-unit-kind", "ui-unit-aliases", "ui-district"],
              j.units.map((u) => [u.name, u.kind, u.aliases, u.district]));
    say("units-msg", tr("ui-units-path").replace("{file}", j.file));
  });
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
