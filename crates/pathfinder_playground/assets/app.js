// The playground page. Talks only to its own origin (/api/...); builds every
// piece of text into the page with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const code = $("code");
const highlight = $("highlight");
const gutter = $("gutter");
const tooltip = $("tooltip");
const DEFAULT_SOURCE = `from django.http import HttpResponse


def login(request):
    response = HttpResponse("welcome")
    response.set_cookie("sessionid", request.session.session_key)
    return response
`;

let findings = [];
let docsRule = null;
let scanTimer = null;
let scanSerial = 0;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

// ---- The URL fragment: #rules=...&path=...&code=<base64url of UTF-8> ----

function encodeCode(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCode(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const state = {};
  try {
    if (params.has("code")) state.code = decodeCode(params.get("code"));
  } catch (error) {
    setStatus("the link's code could not be read");
  }
  if (params.has("rules")) state.rules = params.get("rules");
  if (params.has("path")) state.path = params.get("path");
  return state;
}

function writeFragment() {
  const params = new URLSearchParams();
  params.set("rules", $("rules").value);
  params.set("path", $("path").value);
  params.set("code", encodeCode(code.value));
  history.replaceState(null, "", "#" + params.toString());
}

// ---- Python highlighting ----

const KEYWORDS = new Set(("and as assert async await break class continue def del elif else except " +
  "finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case").split(" "));
const CONSTANTS = new Set(["True", "False", "None", "self"]);
const TOKEN = /(#[^\n]*)|([rbufRBUF]{0,2}(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?))|(\b\d[\d_]*(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/g;

// Token classes by UTF-16 offset ranges: [start, end, class].
function tokens(text) {
  const out = [];
  for (const match of text.matchAll(TOKEN)) {
    let kind = null;
    if (match[1]) kind = "com";
    else if (match[2]) kind = "str";
    else if (match[3]) kind = "num";
    else if (KEYWORDS.has(match[4])) kind = "kw";
    else if (CONSTANTS.has(match[4])) kind = "const";
    if (kind) out.push([match.index, match.index + match[0].length, kind]);
  }
  return out;
}

// UTF-16 offset of each line start, and of a one-based line and column
// counted in Unicode scalar values (the API's positions).
function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function offsetOf(text, starts, line, column) {
  let offset = starts[Math.min(line - 1, starts.length - 1)];
  for (let seen = 1; seen < column && offset < text.length && text[offset] !== "\n"; seen++) {
    offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
  }
  return offset;
}

function render() {
  const text = code.value;
  const starts = lineStarts(text);
  // Mark boundaries: token classes and finding ranges, split into segments.
  const marks = [];
  for (const [start, end, kind] of tokens(text)) marks.push({ start, end, kind });
  findings.forEach((finding, index) => {
    const start = offsetOf(text, starts, finding.line, finding.column);
    let end = offsetOf(text, starts, finding.end_line, finding.end_column);
    if (end <= start) end = Math.min(text.length, start + 1);
    marks.push({ start, end, finding: index });
  });
  const cuts = new Set([0, text.length]);
  for (const mark of marks) { cuts.add(mark.start); cuts.add(mark.end); }
  const points = [...cuts].filter((p) => p <= text.length).sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = marks.filter((m) => m.start <= from && m.end >= to);
    const kind = covering.find((m) => m.kind);
    const finding = covering.find((m) => m.finding !== undefined);
    const piece = text.slice(from, to);
    if (!kind && !finding) { fragment.append(piece); continue; }
    const span = el("span", { class: [kind ? kind.kind : "", finding ? "finding" : ""].join(" ").trim() }, piece);
    if (finding) {
      span.dataset.finding = String(finding.finding);
      span.dataset.line = String(findings[finding.finding].line);
    }
    fragment.append(span);
  }
  // A trailing newline needs a character after it to take up a line.
  fragment.append("\n ");
  highlight.replaceChildren(fragment);
  const flagged = new Set(findings.map((f) => f.line));
  const numbers = document.createDocumentFragment();
  for (let line = 1; line <= starts.length; line++) {
    numbers.append(flagged.has(line) ? el("span", { class: "flagged" }, line) : String(line), "\n");
  }
  gutter.replaceChildren(numbers);
  syncScroll();
}

function syncScroll() {
  highlight.scrollTop = code.scrollTop;
  highlight.scrollLeft = code.scrollLeft;
  gutter.scrollTop = code.scrollTop;
}

// ---- Findings ----

function isBad(state) {
  return !["true", "secure", "set", "strict", "lax", "bounded", "ok"].includes(String(state).toLowerCase());
}

function attributeTable(finding) {
  const rows = Object.entries(finding.attributes || {}).map(([name, detail]) =>
    el("tr", {},
      el("td", {}, el("code", {}, name)),
      el("td", { class: finding.insecure.includes(name) ? "state-bad" : "state-good" }, detail.state),
      el("td", {}, detail.reason)));
  return el("table", { class: "attributes" }, ...rows);
}

function applyEdits(text, edits) {
  const starts = lineStarts(text);
  const spans = edits.map((edit) => ({
    start: offsetOf(text, starts, edit.start.line, edit.start.column),
    end: offsetOf(text, starts, edit.end.line, edit.end.column),
    content: edit.content,
  })).sort((a, b) => b.start - a.start);
  for (const span of spans) text = text.slice(0, span.start) + span.content + text.slice(span.end);
  return text;
}

// The lines the fix changes, as removed and added lines.
function fixDiff(text, fix) {
  const before = text.split("\n");
  const after = applyEdits(text, fix.edits).split("\n");
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const lines = [];
  for (const line of before.slice(head, before.length - tail)) lines.push(el("div", { class: "del" }, "- " + line));
  for (const line of after.slice(head, after.length - tail)) lines.push(el("div", { class: "add" }, "+ " + line));
  return el("pre", { class: "diff" }, el("div", { class: "hunk" }, `@@ line ${head + 1} @@`), ...lines);
}

function showFindings(report) {
  const list = $("findings");
  const text = code.value;
  $("count").textContent = `(${findings.length})`;
  list.replaceChildren(...findings.map((finding, index) => {
    const fix = finding.fix;
    return el("li", {
      class: "finding-item",
      "data-rule": finding.rule_id,
      "data-line": finding.line,
      "data-insecure": finding.insecure.join(","),
    },
      el("div", { class: "finding-head" },
        el("span", { class: "severity" }, finding.severity),
        `${finding.rule_id} · line ${finding.line}`),
      el("div", { class: "message" }, finding.message),
      attributeTable(finding),
      fix ? el("div", { class: "fix" },
        el("div", {}, `Fix (${fix.applicability}): ${fix.title}`),
        fixDiff(text, fix),
        el("button", { class: "apply", type: "button", onclick: () => applyFix(index) }, "Apply")) : null);
  }));
  if (findings.length === 0) list.replaceChildren(el("li", { class: "empty" }, "No findings."));
  $("notices").replaceChildren(...report.notices.map((notice) => el("p", { class: "notice" }, notice.reason)));
  if (findings.length > 0 && !$("rules").value.startsWith("python/PYTHON-")) showDocs(findings[0].rule_id);
}

function applyFix(index) {
  const finding = findings[index];
  if (!finding || !finding.fix) return;
  code.value = applyEdits(code.value, finding.fix.edits);
  changed(0);
}

async function scanNow() {
  const serial = ++scanSerial;
  const ruleset = $("rules").value ? [$("rules").value] : [];
  setStatus("scanning…");
  try {
    const report = await api("/api/scan", { source: code.value, path: $("path").value, ruleset });
    if (serial !== scanSerial) return;
    findings = report.findings;
    render();
    showFindings(report);
    setStatus(`${findings.length} finding${findings.length === 1 ? "" : "s"}`);
    document.body.dataset.scanned = String(serial);
  } catch (error) {
    if (serial !== scanSerial) return;
    setStatus(error.message);
  }
}

function changed(delay) {
  render();
  writeFragment();
  clearTimeout(scanTimer);
  scanTimer = setTimeout(scanNow, delay);
}

function setStatus(text) { $("status").textContent = text; }

// ---- Hover: the finding under the mouse, with each attribute's state ----

function hover(event) {
  const style = getComputedStyle(code);
  const lineHeight = parseFloat(style.lineHeight);
  const probe = el("span", {}, "M".repeat(10));
  highlight.append(probe);
  const charWidth = probe.getBoundingClientRect().width / 10;
  probe.remove();
  const box = code.getBoundingClientRect();
  const padding = parseFloat(style.paddingLeft);
  const line = Math.floor((event.clientY - box.top - parseFloat(style.paddingTop) + code.scrollTop) / lineHeight) + 1;
  const column = Math.floor((event.clientX - box.left - padding + code.scrollLeft) / charWidth) + 1;
  const finding = findings.find((f) =>
    (line > f.line || (line === f.line && column >= f.column)) &&
    (line < f.end_line || (line === f.end_line && column < f.end_column)));
  if (!finding) { tooltip.hidden = true; return; }
  tooltip.replaceChildren(
    el("div", { class: "finding-head" }, `${finding.rule_id}: ${finding.message}`),
    attributeTable(finding));
  const pane = $("editor-pane").getBoundingClientRect();
  tooltip.style.left = `${event.clientX - pane.left + 12}px`;
  tooltip.style.top = `${event.clientY - pane.top + 16}px`;
  tooltip.hidden = false;
}

// ---- Rule documentation (a small Markdown subset, built as DOM) ----

function inline(text) {
  const parts = [];
  for (const piece of text.split(/(`[^`]+`)/)) {
    if (piece.startsWith("`") && piece.endsWith("`") && piece.length > 1) parts.push(el("code", {}, piece.slice(1, -1)));
    else if (piece) parts.push(piece.replace(/\*\*([^*]+)\*\*/g, "$1").replace(/\[([^\]]+)\]\([^)]*\)/g, "$1"));
  }
  return parts;
}

function markdown(text) {
  const out = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("```")) {
      const body = [];
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.push(lines[i]);
      out.push(el("pre", {}, el("code", {}, body.join("\n"))));
    } else if (/^#{1,6} /.test(line)) {
      const level = Math.min(6, line.indexOf(" ") + 2);
      out.push(el("h" + level, {}, ...inline(line.replace(/^#+ /, ""))));
    } else if (line.startsWith("|")) {
      const rows = [];
      for (; i < lines.length && lines[i].startsWith("|"); i++) {
        if (/^\|[\s:|-]+\|$/.test(lines[i])) continue;
        const cells = lines[i].slice(1, -1).split("|").map((cell) => el("td", {}, ...inline(cell.trim())));
        rows.push(el("tr", {}, ...cells));
      }
      i--;
      out.push(el("table", {}, ...rows));
    } else if (/^\s*[-*] /.test(line)) {
      const items = [];
      for (; i < lines.length && /^\s*[-*] /.test(lines[i]); i++) {
        let item = lines[i].replace(/^\s*[-*] /, "");
        while (i + 1 < lines.length && /^ {2,}\S/.test(lines[i + 1])) item += " " + lines[++i].trim();
        items.push(el("li", {}, ...inline(item)));
      }
      i--;
      out.push(el("ul", {}, ...items));
    } else if (line.trim()) {
      let paragraph = line;
      while (i + 1 < lines.length && lines[i + 1].trim() && !/^(#|```|\||\s*[-*] )/.test(lines[i + 1])) paragraph += " " + lines[++i];
      out.push(el("p", {}, ...inline(paragraph)));
    }
  }
  return out;
}

async function showDocs(id) {
  if (!id || id === docsRule) return;
  docsRule = id;
  try {
    const rule = await api(`/api/rules/${encodeURIComponent(id)}`);
    if (docsRule !== id) return;
    $("docs").dataset.rule = rule.id;
    $("docs").replaceChildren(
      el("h3", {}, `${rule.id}: ${rule.title}`),
      el("p", {}, `Severity ${rule.severity} · CWE ${rule.cwe.join(", ")} · OWASP ${rule.owasp.join(", ")}`),
      ...markdown(rule.docs));
  } catch (error) {
    $("docs").replaceChildren(el("p", {}, error.message));
  }
}

// ---- Rule picker and examples ----

async function loadRules(selected) {
  const { rules, bundles } = await api("/api/rules");
  const picker = $("rules");
  picker.replaceChildren(
    el("option", { value: "" }, "All rules"),
    el("optgroup", { label: "Bundles" }, ...bundles.filter((b) => b.name !== "python/all")
      .map((b) => el("option", { value: b.name }, `${b.name} — ${b.description}`))),
    el("optgroup", { label: "Rules" }, ...rules.map((r) => el("option", { value: "python/" + r.id }, `${r.id} — ${r.title}`))));
  picker.value = selected || "";
  if (picker.value !== (selected || "")) picker.value = "";
  const examples = $("examples");
  const groups = rules.map((rule) => {
    return el("optgroup", { label: rule.id }, ...rule.examples.map((example) => {
      const option = el("option", { value: `${rule.id}:${example.kind}` }, `${rule.id} — ${example.kind}`);
      exampleSources.set(option.value, example);
      return option;
    }));
  });
  examples.append(...groups);
}

const exampleSources = new Map();

function openExample() {
  const key = $("examples").value;
  const example = exampleSources.get(key);
  if (!example) return;
  code.value = example.source;
  $("path").value = example.path;
  $("rules").value = "python/" + key.split(":")[0];
  showDocs(key.split(":")[0]);
  $("examples").value = "";
  changed(0);
}

function ruleChanged() {
  const value = $("rules").value;
  if (value.startsWith("python/PYTHON-")) showDocs(value.slice("python/".length));
  changed(0);
}

async function start() {
  const state = readFragment();
  code.value = state.code !== undefined ? state.code : DEFAULT_SOURCE;
  if (state.path) $("path").value = state.path;
  code.addEventListener("input", () => changed(250));
  code.addEventListener("scroll", syncScroll);
  code.addEventListener("mousemove", hover);
  code.addEventListener("mouseleave", () => { tooltip.hidden = true; });
  code.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {
      event.preventDefault();
      code.setRangeText("    ", code.selectionStart, code.selectionEnd, "end");
      changed(250);
    }
  });
  $("path").addEventListener("input", () => changed(250));
  $("rules").addEventListener("change", ruleChanged);
  $("examples").addEventListener("change", openExample);
  window.addEventListener("hashchange", () => {
    const next = readFragment();
    if (next.code !== undefined && next.code !== code.value) {
      code.value = next.code;
      if (next.rules !== undefined) $("rules").value = next.rules;
      if (next.path) $("path").value = next.path;
      changed(0);
    }
  });
  render();
  try {
    await loadRules(state.rules);
  } catch (error) {
    setStatus(error.message);
  }
  const picked = $("rules").value;
  showDocs(picked.startsWith("python/PYTHON-") ? picked.slice(7) : "PYTHON-DJANGO-SEC-070");
  changed(0);
}

start();
