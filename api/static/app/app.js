// kg's app: incidents, comparisons, documents and entities, read from the same JSON endpoints
// as every client (GET /incidents, /figures, /documents, /entities). Routes live in the URL's
// hash (#/incidents/…), so any page can be bookmarked and the service serves one shell at /.
// Charts use Observable Plot when the install vendored it; without it the tables carry it all.

const BASE = window.KG_ID_BASE;
const view = document.getElementById("view");
const PAGE = 50; // rows per page of a list
const COMPARE_PAGES = 5; // pages of figures a comparison reads at the most
const MANY_POINTS = 60; // above this, chart points leave the Tab order to the table's links

const CATEGORIES = ["killed", "injured", "displaced", "trapped", "captured", "troops",
  "equipment", "territory", "other"];
const HEDGES = { exact: "", approx: "about", at_least: "at least", more_than: "more than",
  less_than: "less than", up_to: "up to", nearly: "nearly" };
// A floor (at least, more than) points up, a ceiling (up to, less than, nearly) is a square.
const SYMBOLS = { exact: "circle", approx: "diamond", at_least: "triangle", more_than: "triangle",
  less_than: "square", up_to: "square", nearly: "square" };
const BASES = { sentence: "stated in the sentence", coreference: "by coreference",
  quotation: "speaker of the quotation", continuation: "inherited from the paragraph",
  headline: "headline tag" };
const EVENT_TYPES = ["attack", "air-strike", "missile-strike", "drone-strike", "shelling",
  "bombing", "armed-clash", "capture", "evacuation"];
const UNATTRIBUTED = "unattributed";
// Figures no one is named for are the outlet's own: one series per document.
const seriesOf = (row) => row.source || `${UNATTRIBUTED}: ${String(row.document).replace(/\.[a-z]+$/, "")}`;

// ---- small helpers ----------------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

class ApiError extends Error {}

async function api(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== "" && v != null) url.searchParams.set(k, v);
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.message || `${response.status} ${response.statusText}`);
  return { data: body, more: response.headers.get("X-KG-Truncated") === "true" };
}

const idOf = (iri) => (iri && iri.startsWith(BASE) ? iri.slice(BASE.length) : null);
const entityHref = (iri) => (idOf(iri) ? `#/entities/${idOf(iri)}` : null);
const incidentHref = (iri) => (idOf(iri) ? `#/incidents/${idOf(iri).replace(/^incident\//, "")}` : null);
const documentHref = (doc, start, end) =>
  `#/documents/${encodeURIComponent(doc)}` + (start != null ? `?start=${start}&end=${end}` : "");
const hedged = (row) => [HEDGES[row.qualifier] || "", Number(row.value).toLocaleString("en")].join(" ").trim();
const words = (type) => (type || "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
const day = (value) => (value ? String(value).slice(0, 10) : "");
const link = (href, text, attrs = {}) => (href ? h("a", { href, ...attrs }, text) : h("span", {}, text));

function hashParams() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  return { path: path || "/", params: Object.fromEntries(new URLSearchParams(query)) };
}

// A document id from the URL; null when the URL's escapes are broken (a mangled link).
function decoded(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function hashOf(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null));
  return `#${path}${query.toString() ? `?${query}` : ""}`;
}

function go(path, params = {}) {
  location.hash = hashOf(path, params);
}

// A page as a handler makes it; route() shows it unless another route has started since.
function page(title, ...children) {
  return { title, children: children.flat(), after: null };
}

function show({ title, children, after }) {
  document.title = `${title} — kg`;
  const heading = h("h1", { tabindex: "-1" }, title);
  view.replaceChildren(heading, ...children.filter((c) => c !== null && c !== undefined && c !== false));
  heading.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  if (after) after();
}

function table(columns, rows, caption) {
  const head = h("tr", {}, columns.map(([label]) => h("th", { scope: "col" }, label)));
  const body = rows.map((row) => h("tr", {}, columns.map(([, cell]) => h("td", {}, cell(row)))));
  return h("div", { class: "scroll" },
    h("table", {}, caption ? h("caption", {}, caption) : null, h("thead", {}, head), h("tbody", {}, body)));
}

function pager(path, params, shown, more) {
  const offset = Number(params.offset || 0);
  const prev = offset > 0 ? h("a", { href: hashOf(path, { ...params, offset: Math.max(0, offset - PAGE) }), rel: "prev" }, "← Previous") : null;
  const next = more ? h("a", { href: hashOf(path, { ...params, offset: offset + shown }), rel: "next" }, "Next →") : null;
  return h("nav", { class: "pager", "aria-label": "Pages" }, prev, h("span", {}, shown ? `${offset + 1}–${offset + shown}` : "none"), next);
}

function field(label, input) {
  return h("label", { class: "field" }, h("span", {}, label), input);
}

function filterForm(path, params, fields) {
  const form = h("form", { class: "filters", onsubmit: (e) => {
    e.preventDefault();
    go(path, Object.fromEntries(new FormData(form)));
  } }, fields, h("button", { type: "submit" }, "Show"));
  return form;
}

const select = (name, options, chosen, any = "any") =>
  h("select", { name }, any !== null ? h("option", { value: "" }, any) : null,
    options.map(([value, label]) => h("option", { value, selected: value === chosen }, label)));

const input = (name, value, attrs = {}) => h("input", { name, value: value || "", ...attrs });

// ---- the chart ---------------------------------------------------------------------------------

// One point per reported figure, x its publication date, y its value, one colour per series
// (a source, or a category), hedges as symbols, each series' latest figure ringed, each point a
// link to the sentence it came from. `rows`: {series, value, qualifier, date, document, start,
// end, latest}.
function chart(rows, { label, yLabel }) {
  const dated = rows.filter((r) => r.date);
  if (!window.Plot || !dated.length) return null;
  const data = dated.map((r) => ({ ...r, when: new Date(day(r.date)), value: Number(r.value),
    hedge: r.qualifier === "exact" ? "exact" : HEDGES[r.qualifier] || r.qualifier,
    text: `${hedged(r)}${r.category ? ` ${r.category}` : ""}: ${r.series}, published ${day(r.date)}${r.latest ? " (latest)" : ""}` }));
  const hedges = [...new Set(data.map((d) => d.qualifier))].sort();
  const width = Math.max(320, Math.min(view.clientWidth || 800, 900));
  const times = data.map((d) => d.when.getTime());
  const DAY = 86400000;
  const [first, last] = [Math.min(...times) - DAY / 2, Math.max(...times) + DAY / 2];
  const days = Math.round((last - first) / DAY);
  // Points that would sit on one another (one day, one value) are set side by side.
  const same = new Map();
  for (const d of data) {
    const key = `${d.when.getTime()} ${d.value}`;
    same.set(key, [...(same.get(key) || []), d]);
  }
  for (const group of same.values()) {
    group.forEach((d, k) => { d.when = new Date(d.when.getTime() + (k - (group.length - 1) / 2) * (last - first) / 60); });
  }
  const plot = Plot.plot({
    width, height: 300, marginLeft: 60, marginRight: 20, style: { fontSize: "13px" },
    ariaLabel: label,
    x: { type: "utc", label: "Published", domain: [new Date(first), new Date(last)],
      ticks: days <= 10 ? d3.utcDay.every(1) : Math.min(days, 8), tickFormat: days > 400 ? "%Y-%m" : "%b %-d" },
    y: { label: yLabel, grid: true, zero: true, nice: true },
    color: { legend: true, type: "categorical" },
    symbol: { legend: true, domain: hedges.map((q) => (q === "exact" ? "exact" : HEDGES[q] || q)),
      range: hedges.map((q) => SYMBOLS[q] || "circle") },
    marks: [
      Plot.ruleY([0]),
      Plot.line(data, { x: "when", y: "value", z: "series", stroke: "series", strokeOpacity: 0.35, sort: "when" }),
      Plot.dot(data.filter((d) => d.latest), { x: "when", y: "value", r: 10, stroke: "series", strokeWidth: 2, fill: "none", ariaHidden: true }),
      Plot.dot(data, { x: "when", y: "value", r: 5, symbol: "hedge", stroke: "series", fill: "series", fillOpacity: 0.5,
        strokeWidth: 1.5, href: (d) => documentHref(d.document, d.start, d.end), ariaLabel: "text", title: "text",
        className: "point" }),
    ],
  });
  plot.classList.add("chart");
  if (data.length > MANY_POINTS) {
    // The table beneath holds the same links: keep the Tab order short.
    for (const a of plot.querySelectorAll("a")) a.setAttribute("tabindex", "-1");
  }
  return h("figure", { class: "chart-box" }, plot,
    h("figcaption", {}, "Each point is one reported figure, on the day its article was published; ",
      "a ring marks each source's latest figure; the shape shows the hedge. Follow a point to its sentence."));
}

// ---- pages ---------------------------------------------------------------------------------------

async function incidentsPage(params) {
  const { data, more } = await api("/incidents", { place: params.place, type: params.type,
    from: params.from, to: params.to, limit: PAGE, offset: params.offset });
  return page("Incidents",
    h("p", { class: "lede" }, "Attacks that several reports describe, linked across documents; newest first."),
    filterForm("/incidents", params, [
      field("Place", input("place", params.place, { type: "search", maxlength: 200 })),
      field("Type", select("type", EVENT_TYPES.map((t) => [t, t.replace("-", " ")]), params.type)),
      field("From", input("from", params.from, { type: "date" })),
      field("To", input("to", params.to, { type: "date" })),
    ]),
    data.length ? table([
      ["Date", (r) => day(r.date)],
      ["Incident", (r) => link(incidentHref(r.incident), r.label)],
      ["Type", (r) => words(r.type)],
      ["Place", (r) => r.place || ""],
      ["Country", (r) => r.country || ""],
      ["Documents", (r) => r.documents],
      ["Figures", (r) => r.claims],
    ], data) : h("p", {}, "No incident matches."),
    pager("/incidents", params, data.length, more));
}

function sourceCell(source) {
  return source.source_iri
    ? link(entityHref(source.source_iri), source.source, { class: "source-link" })
    : h("span", { class: "muted" }, UNATTRIBUTED);
}

const cut = (more) => (more ? h("p", { class: "flag", role: "note" }, "The service's row cap cut this page: some figures are not shown.") : null);

async function incidentPage(id) {
  const { data, more } = await api(`/incidents/${encodeURIComponent(id)}`);
  const sections = data.categories.map((cat) => {
    const rows = cat.sources.flatMap((s) => s.figures.map((f) => ({ ...f, category: cat.category,
      source: s.source, source_iri: s.source_iri, series: seriesOf({ ...f, source: s.source }) })));
    const flag = cat.disagree
      ? h("p", { class: "flag", role: "note" }, h("strong", {}, "Sources disagree: "),
        `their latest figures range from ${Number(cat.low).toLocaleString("en")} to ${Number(cat.high).toLocaleString("en")}, beyond their hedges.`)
      : h("p", { class: "agree" }, cat.sources.length > 1 ? "The sources' latest figures agree within their hedges." : "One source.");
    return h("section", { class: "category", "aria-labelledby": `cat-${cat.category}` },
      h("h2", { id: `cat-${cat.category}` }, cat.category),
      flag,
      chart(rows, { label: `${cat.category}: each source's figures over time`, yLabel: cat.category }),
      table([
        ["Source", (r) => sourceCell(r)],
        ["Published", (r) => day(r.date)],
        ["Figure", (r) => h("span", {}, hedged(r), r.latest ? h("span", { class: "latest", title: "this source's latest figure" }, "latest") : null)],
        ["How the source was found", (r) => BASES[r.source_basis] || ""],
        ["Sentence", (r) => link(documentHref(r.document, r.start, r.end), r.sentence, { class: "sentence" })],
      ], rows, `Every ${cat.category} figure, by source in order of publication`));
  });
  const reports = new Map();
  for (const cat of data.categories) {
    for (const s of cat.sources) for (const f of s.figures) reports.set(f.document, day(f.date));
  }
  return page(data.label,
    h("p", { class: "lede" }, data.date ? `On ${day(data.date)}. ` : "", "Every figure reported about this incident, per source, in order of publication."),
    cut(more),
    sections.length ? sections : h("p", {}, "No figures are linked to this incident."),
    reports.size ? h("section", {}, h("h2", {}, "Reports"),
      h("ul", {}, [...reports].sort((a, b) => a[1].localeCompare(b[1])).map(([doc, date]) =>
        h("li", {}, link(documentHref(doc), doc), h("span", { class: "muted" }, ` ${date}`))))) : null);
}

async function comparePage(params) {
  const category = params.category || "killed";
  const form = filterForm("/compare", params, [
    field("Category", select("category", CATEGORIES.map((c) => [c, c]), category, null)),
    field("Place", input("place", params.place, { type: "search", maxlength: 200 })),
    field("Country (ISO code)", input("country", params.country, { pattern: "[A-Za-z]{2}", size: 3, maxlength: 2 })),
    field("From", input("from", params.from, { type: "date" })),
    field("To", input("to", params.to, { type: "date" })),
    field("Source found", select("basis", Object.entries(BASES), params.basis)),
  ]);
  const rows = [];
  let more = true;
  for (let n = 0; more && n < COMPARE_PAGES; n++) {
    const got = await api("/figures", { category, place: params.place, country: params.country,
      from: params.from, to: params.to, basis: params.basis, limit: 1000, offset: rows.length });
    rows.push(...got.data);
    more = got.more;
  }
  const series = rows.map((r) => ({ ...r, series: seriesOf(r) }));
  const latest = new Map();
  for (const r of series) if (r.date && (!latest.has(r.series) || day(r.date) >= day(latest.get(r.series).date))) latest.set(r.series, r);
  for (const r of latest.values()) r.latest = true;
  return page("Compare sources",
    h("p", { class: "lede" }, "Every source's figures side by side over time, for one category."),
    form,
    more ? h("p", { class: "flag", role: "note" }, `Showing the first ${rows.length} figures; narrow the filters to see all.`) : null,
    chart(series, { label: `${category}: every source's figures over time`, yLabel: category }),
    rows.length ? table([
      ["Source", (r) => sourceCell(r)],
      ["Published", (r) => day(r.date)],
      ["Figure", (r) => `${hedged(r)} ${r.measure || ""}`],
      ["How found", (r) => BASES[r.source_basis] || ""],
      ["Incident", (r) => (r.incident ? link(incidentHref(r.incident), "incident") : "")],
      ["Sentence", (r) => link(documentHref(r.document, r.start, r.end), r.sentence, { class: "sentence" })],
    ], series) : h("p", {}, "No figure matches."));
}

async function documentsPage(params) {
  const { data, more } = await api("/documents", { q: params.q, limit: PAGE, offset: params.offset });
  return page("Documents",
    filterForm("/documents", params, [field("Title or id", input("q", params.q, { type: "search", maxlength: 200 }))]),
    data.length ? table([
      ["Published", (r) => day(r.date)],
      ["Title", (r) => link(documentHref(r.document), r.title || r.document)],
      ["Figures", (r) => r.figures],
      ["Quotations", (r) => r.quotes],
    ], data) : h("p", {}, "No document matches."),
    pager("/documents", params, data.length, more));
}

// Highlights nest: furniture holds nothing, a quotation holds figures and mentions, a figure holds
// mentions. A span that crosses its container's end is cut there.
const RANK = { furniture: 0, quote: 1, figure: 2, said: 3, mention: 4 };

// Where a figure's source is written in its own sentence ("the service said"): the claim keeps
// the words, and the sentence is found back in the text before the figure.
function saidBy(doc) {
  const found = new Map();
  for (const f of doc.figures) {
    if (!f.source_text || !["sentence", "coreference"].includes(f.source_basis)) continue;
    const from = doc.text.lastIndexOf(f.sentence, f.start);
    if (from < 0) continue;
    // The words whole ("He", never the "he" of "the"), first in the sentence.
    const escaped = f.source_text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const words = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "u");
    const match = words.exec(f.sentence);
    if (!match) continue;
    const at = from + match.index;
    found.set(at, { kind: "said", start: at, end: at + f.source_text.length, row: f });
  }
  return [...found.values()];
}

function spans(doc) {
  const sources = new Set([...doc.figures.map((f) => f.source_iri), ...doc.quotes.map((q) => q.speaker_iri)].filter(Boolean));
  return [
    ...doc.furniture.map(([start, end]) => ({ kind: "furniture", start, end })),
    ...doc.quotes.map((q) => ({ kind: "quote", start: q.start, end: q.end, row: q })),
    ...doc.figures.map((f) => ({ kind: "figure", start: f.start, end: f.end, row: f })),
    ...saidBy(doc),
    ...doc.mentions.map((m) => ({ kind: "mention", start: m.start, end: m.end, row: m, source: sources.has(m.entity),
      // A mention that holds a figure's start is no link: the figure inside it must stay
      // focusable without leaving the page.
      plain: doc.figures.some((f) => f.start >= m.start && f.start < m.end) })),
  ].sort((a, b) => a.start - b.start || b.end - a.end || RANK[a.kind] - RANK[b.kind]);
}

function figureNote(f) {
  return [`${f.category}: ${hedged(f)} ${f.measure || ""}`.trim(),
    f.source ? `source: ${f.source} (${BASES[f.source_basis] || "found"})` : `source: ${UNATTRIBUTED}`,
    f.certainty_level ? `certainty: ${f.certainty_level}` : null,
    f.as_of ? `as of ${day(f.as_of)}` : null].filter(Boolean).join("; ");
}

function highlight(span, panel) {
  const data = { start: span.start, end: span.end };
  if (span.kind === "furniture") return h("span", { class: "furniture", title: "page furniture: not read for facts", dataset: data });
  if (span.kind === "said") {
    return h("span", { class: "said", title: `the source of a figure: ${span.row.source}`, dataset: data });
  }
  if (span.kind === "mention") {
    const href = span.plain ? null : entityHref(span.row.entity);
    return h(href ? "a" : "span", { href, class: `mention${span.source ? " source" : ""}`,
      title: `${span.row.label} (${span.row.type})${span.source ? ": a source here" : ""}`, dataset: data });
  }
  const note = span.kind === "figure" ? figureNote(span.row) : `quotation; speaker: ${span.row.speaker || "unknown"}`;
  const el = h("mark", { class: span.kind === "figure" ? `figure cat-${span.row.category}` : "quote",
    tabindex: "0", title: note, dataset: span.kind === "figure" ? { ...data, category: span.row.category } : data });
  const show = () => showFact(panel, span);
  el.addEventListener("focus", show);
  el.addEventListener("click", show);
  return el;
}

function showFact(panel, span) {
  const r = span.row;
  const items = span.kind === "figure"
    ? [h("p", {}, h("strong", {}, `${hedged(r)} ${r.measure || ""}`), ` (${r.category})`),
      h("p", {}, "Source: ", r.source_iri ? link(entityHref(r.source_iri), r.source) : UNATTRIBUTED,
        r.source_basis ? ` — ${BASES[r.source_basis]}` : "", r.cue ? `, “${r.cue}”` : ""),
      r.certainty_level ? h("p", {}, `Certainty: ${r.certainty_level}`) : null,
      r.incident ? h("p", {}, link(incidentHref(r.incident), "The incident it is about →")) : null]
    : [h("p", {}, h("strong", {}, "Quotation")),
      h("p", {}, "Speaker: ", r.speaker_iri ? link(entityHref(r.speaker_iri), r.speaker) : "unknown",
        r.speaker_basis ? ` — ${BASES[r.speaker_basis]}` : "")];
  panel.replaceChildren(h("h2", {}, "Selected"), ...items);
}

function render(text, list, from, to, panel) {
  const out = document.createDocumentFragment();
  let cursor = from;
  let i = 0;
  while (i < list.length) {
    const s = list[i];
    const start = Math.max(s.start, cursor);
    if (start >= to) break;
    if (s.end <= start) { i++; continue; }
    const end = Math.min(s.end, to);
    out.append(text.slice(cursor, start));
    let j = i + 1;
    while (j < list.length && list[j].start < end) j++;
    const el = highlight(s, panel);
    el.append(render(text, list.slice(i + 1, j), start, end, panel));
    out.append(el);
    cursor = end;
    i = j;
  }
  out.append(text.slice(cursor, to));
  return out;
}

async function documentPage(id, params) {
  const { data: doc } = await api(`/documents/${encodeURIComponent(id)}`);
  const panel = h("aside", { class: "panel", "aria-live": "polite", "aria-label": "The selected highlight" },
    h("h2", {}, "Selected"), h("p", { class: "muted" }, "Focus or click a highlighted figure or quotation."));
  const legend = h("ul", { class: "legend", "aria-label": "Highlights" },
    [...new Set(doc.figures.map((f) => f.category))].map((c) => h("li", {}, h("mark", { class: `figure cat-${c}` }, c))),
    h("li", {}, h("mark", { class: "quote" }, "quotation")),
    h("li", {}, h("span", { class: "said" }, "source, as written")),
    h("li", {}, h("span", { class: "mention source" }, "source entity")),
    h("li", {}, h("span", { class: "furniture" }, "page furniture")));
  const text = h("div", { class: "text" }, render(doc.text, spans(doc), 0, doc.text.length, panel));
  const shown = page(doc.title || doc.id,
    h("p", { class: "lede" }, [day(doc.date), doc.id].filter(Boolean).join(" · "), " · ",
      `${doc.figures.length} figures, ${doc.quotes.length} quotations`),
    legend,
    h("div", { class: "reader" }, h("article", { "aria-label": "Article text" }, text), panel));
  shown.after = () => {
    if (params.start == null) return;
    const target = text.querySelector(`mark.figure[data-start="${Number(params.start)}"][data-end="${Number(params.end)}"]`)
      || text.querySelector(`[data-start="${Number(params.start)}"]`);
    if (target) {
      target.classList.add("target");
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  };
  return shown;
}

// The entity among those it is named with: a small radial network, each node a link.
function network(entity, neighbours) {
  if (!neighbours.length) return h("p", {}, "Named with no other entity.");
  const size = 360, c = size / 2, radius = 130;
  const most = Math.max(...neighbours.map((n) => Number(n.sentences)));
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("class", "network");
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", `${entity.label} and the entities named in the same sentences`);
  const el = (tag, attrs) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
  neighbours.forEach((n, i) => {
    const angle = (2 * Math.PI * i) / neighbours.length - Math.PI / 2;
    const x = c + radius * Math.cos(angle), y = c + radius * Math.sin(angle);
    svg.append(el("line", { x1: c, y1: c, x2: x, y2: y, class: "edge", "stroke-width": 1 + (4 * Number(n.sentences)) / most }));
    const a = el("a", { href: `#/entities/${n.id}` });
    const title = el("title", {});
    title.textContent = `${n.label} (${n.type}): ${n.sentences} sentences together`;
    a.append(title, el("circle", { cx: x, cy: y, r: 6, class: `node ${n.type}` }));
    const t = el("text", { x, y: y + (Math.sin(angle) >= 0 ? 18 : -10), "text-anchor": "middle" });
    t.textContent = n.label.length > 18 ? `${n.label.slice(0, 17)}…` : n.label;
    a.append(t);
    svg.append(a);
  });
  svg.append(el("circle", { cx: c, cy: c, r: 9, class: "node centre" }));
  const centre = el("text", { x: c, y: c + 24, "text-anchor": "middle", class: "centre-label" });
  centre.textContent = entity.label;
  svg.append(centre);
  return svg;
}

async function entityPage(id) {
  const { data, more } = await api(`/entities/${id.split("/").map(encodeURIComponent).join("/")}`);
  const figures = data.figures.map((f) => ({ ...f, series: f.category }));
  return page(data.label,
    cut(more),
    h("p", { class: "lede" }, `${data.type} · ${data.documents.length} documents · ${data.figures.length} figures · ${data.quotes.length} quotations`),
    h("section", {}, h("h2", {}, "Figures given"),
      chart(figures, { label: `figures ${data.label} gave, by category`, yLabel: "figure" }),
      figures.length ? table([
        ["Published", (r) => day(r.date)],
        ["Category", (r) => r.category],
        ["Figure", (r) => link(documentHref(r.document, r.start, r.end), r.text)],
      ], figures) : h("p", {}, "None.")),
    h("section", {}, h("h2", {}, "Quotations"),
      data.quotes.length ? h("ul", { class: "quotes" }, data.quotes.map((q) =>
        h("li", {}, link(documentHref(q.document, q.start, q.end), `“${q.text}”`), h("span", { class: "muted" }, ` ${day(q.date)}`)))) : h("p", {}, "None.")),
    h("section", {}, h("h2", {}, "Named with"), network(data, data.neighbours)),
    h("section", {}, h("h2", {}, "Documents"),
      h("ul", {}, data.documents.map((d) => h("li", {}, link(documentHref(d), d))))),
    h("section", {}, h("h2", {}, "Canned queries"),
      h("ul", {}, data.queries.map((q) => h("li", {}, h("a", { href: q.path }, q.name), h("span", { class: "muted" }, ` — ${q.description}`))))));
}

async function searchPage(params) {
  const q = (params.q || "").trim();
  document.getElementById("q").value = q;
  if (!q) return page("Search", h("p", {}, "Type a name, a place or a title in the search box."));
  const [entities, incidents, documents] = await Promise.all([
    api("/entities", { q, limit: 20 }), api("/incidents", { place: q, limit: 20 }), api("/documents", { q, limit: 20 })]);
  const list = (rows, item) => (rows.length ? h("ul", {}, rows.map((r) => h("li", {}, item(r)))) : h("p", {}, "None."));
  return page(`Search: ${q}`,
    h("section", {}, h("h2", {}, "Entities"), list(entities.data, (r) => [link(`#/entities/${r.id}`, r.label), h("span", { class: "muted" }, ` ${r.type} · ${r.mentions} mentions`)])),
    h("section", {}, h("h2", {}, "Incidents"), list(incidents.data, (r) => [link(incidentHref(r.incident), r.label), h("span", { class: "muted" }, ` ${day(r.date)}`)])),
    h("section", {}, h("h2", {}, "Documents"), list(documents.data, (r) => [link(documentHref(r.document), r.title || r.document), h("span", { class: "muted" }, ` ${day(r.date)}`)])));
}

// ---- routing -----------------------------------------------------------------------------------

const ROUTES = [
  [/^\/(?:incidents)?$/, (m, p) => incidentsPage(p)],
  [/^\/incidents\/([a-z0-9-]+)$/, (m) => incidentPage(m[1])],
  [/^\/compare$/, (m, p) => comparePage(p)],
  [/^\/documents$/, (m, p) => documentsPage(p)],
  [/^\/documents\/(.+)$/, (m, p) => (decoded(m[1]) === null ? notFound() : documentPage(decoded(m[1]), p))],
  [/^\/entities\/([a-z0-9-]+(?:\/[a-z0-9-]+)+)$/, (m) => entityPage(m[1])],
  [/^\/search$/, (m, p) => searchPage(p)],
];

const notFound = () => page("Not found", h("p", {}, "No such page. ", h("a", { href: "#/" }, "Incidents")));

let latestRoute = 0;

async function route() {
  const ticket = ++latestRoute;
  const { path, params } = hashParams();
  view.setAttribute("aria-busy", "true");
  delete view.dataset.shown;
  let made;
  try {
    const found = ROUTES.find(([pattern]) => pattern.test(path));
    made = found ? await found[1](path.match(found[0]), params) : notFound();
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(error); // a fault of the app's: tests fail on it
    made = page("Not available", h("p", { role: "alert" },
      error instanceof ApiError ? error.message : "The service could not be reached, or sent what this page cannot read."));
  }
  if (ticket !== latestRoute) return; // a later route is on its way
  show(made);
  view.dataset.shown = location.hash || "#/"; // what is on screen: tests wait on it
  view.setAttribute("aria-busy", "false");
}

document.getElementById("search").addEventListener("submit", (e) => {
  e.preventDefault();
  go("/search", { q: document.getElementById("q").value });
});
window.addEventListener("hashchange", route);
route();
