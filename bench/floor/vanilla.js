// The practical floor: a minimal hand-written renderer of the same cards, summary,
// Topic select, search and "Available only" switch, in plain JavaScript, with the
// same markup and stylesheet in a shadow root. Kept for the benchmark only; never
// shipped. No error states, no languages, no tabs: only what the timings compare.
// The bench serves this file with the widget's CSS text in place of __CSS__.

const CSS = __CSS__;
const PAGE = 200; // cards rendered, like the widget; "Show more" adds a page
const collator = new Intl.Collator("en");
const sheet = new CSSStyleSheet();
sheet.replaceSync(CSS);

function token() {
  const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : "";
}

async function getJson(path) {
  const response = await fetch(`/api${path}`, {
    credentials: "include",
    headers: { Accept: "application/json", "X-XSRF-TOKEN": token() },
  });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

const initials = (name) => {
  const words = name.split(/[\s,-]+/).filter(Boolean);
  if (!words.length) return "?";
  const first = words[0][0].toUpperCase();
  return words.length > 1 ? first + words[words.length - 1][0].toUpperCase() : first;
};
const colour = (id) => (Math.imul(id >>> 0, 2654435761) >>> 24) % 12;
const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

function mount(host) {
  const shadow = host.attachShadow({ mode: "open" });
  shadow.adoptedStyleSheets = [sheet];
  const root = el("div", "pw-root");
  const panel = el("section", "panel");
  const header = el("header", "header");
  const heading = el("div", "heading");
  const summary = el("p", "summary");
  summary.setAttribute("role", "status");
  heading.append(summary, el("p", "updated"));
  const refreshButton = el("button", "icon-button refresh", "↻");
  refreshButton.setAttribute("aria-label", "Refresh");
  header.append(heading, refreshButton);
  const controls = el("div", "controls");
  const field = el("div", "field topic-field");
  const label = el("label", "", "Topic");
  label.htmlFor = "pw-topic";
  const select = el("select");
  select.id = "pw-topic";
  select.name = "topic";
  field.append(label, select);
  const row = el("div", "row");
  const search = el("input");
  search.type = "search";
  search.placeholder = "Search";
  search.setAttribute("aria-label", "Search by name");
  const searchField = el("div", "field search-field");
  searchField.append(search);
  const sw = el("label", "switch");
  const toggle = el("input");
  toggle.type = "checkbox";
  toggle.setAttribute("role", "switch");
  sw.append(toggle, el("span", "track"), el("span", "switch-label", "Available only"));
  row.append(searchField, sw);
  controls.append(field, row);
  const list = el("ul", "agents");
  const area = el("div", "list-area");
  area.append(list);
  panel.append(header, controls, area);
  root.append(panel);
  shadow.append(root);

  let agents = [];
  const names = new Map();
  const cards = new Map();
  let topic = "";
  let limit = PAGE;
  const more = el("button", "button show-more");
  more.addEventListener("click", () => { limit += PAGE; render(); });

  function card(a) {
    const li = el("li", "agent");
    li.dataset.userId = a.UserId;
    li.dataset.present = a.Present;
    const avatar = el("span", `avatar c${colour(a.UserId)}`, initials(a.DisplayName));
    avatar.append(el("span", "badge"));
    const body = el("div", "agent-body");
    const name = el("span", "name", a.DisplayName);
    name.title = a.DisplayName;
    const line = el("div", "line2");
    const meta = el("span", "meta");
    const status = el("span", "status");
    status.append(el("span", "when-available", "Available"), el("span", "when-away", "Away"));
    meta.append(status, el("span", "sep", " · "),
      el("span", "chats", a.OngoingChats ? `${a.OngoingChats} chat${a.OngoingChats === 1 ? "" : "s"}` : "No chats"));
    line.append(meta);
    if (a.ChatTopics.length) {
      const ul = el("ul", "topics");
      a.ChatTopics.forEach((t, i) => ul.append(el("li", i >= 2 ? "chip extra" : i === 1 ? "chip second" : "chip", names.get(t) || `Topic ${t}`)));
      line.append(ul);
    }
    body.append(name, line);
    li.append(avatar, body);
    li.__key = `${a.Present}|${a.OngoingChats}|${a.DisplayName}|${a.ChatTopics.join()}`;
    return li;
  }

  function render() {
    const q = fold(search.value.trim());
    const t = topic ? Number(topic) : null;
    let available = 0, total = 0, shownCount = 0, hidden = 0;
    let cursor = list.firstChild;
    const shown = new Set();
    for (const a of agents) {
      if (t !== null && !a.ChatTopics.includes(t)) continue;
      if (q && !a.folded.includes(q)) continue;
      total++;
      if (a.Present) available++;
      else if (toggle.checked) continue;
      if (shownCount >= limit) { hidden++; continue; }
      shownCount++;
      const key = `${a.Present}|${a.OngoingChats}|${a.DisplayName}|${a.ChatTopics.join()}`;
      let li = cards.get(a.UserId);
      if (!li || li.__key !== key) {
        const fresh = card(a);
        if (li) {
          if (li === cursor) cursor = fresh;
          li.replaceWith(fresh);
        }
        li = fresh;
        cards.set(a.UserId, li);
      }
      shown.add(li);
      if (li !== cursor) list.insertBefore(li, cursor);
      else cursor = cursor.nextSibling;
    }
    for (const li of [...list.children]) if (!shown.has(li)) li.remove();
    summary.textContent = `${available.toLocaleString("en")} of ${total.toLocaleString("en")} agent${total === 1 ? "" : "s"} available`;
    if (hidden) {
      more.textContent = `Show ${Math.min(hidden, PAGE)} more (${hidden} not shown)`;
      area.append(more);
    } else more.remove();
  }

  function renderTopics() {
    const counts = new Map();
    for (const a of agents) for (const t of a.ChatTopics) {
      const c = counts.get(t) || [0, 0];
      c[1]++;
      if (a.Present) c[0]++;
      counts.set(t, c);
    }
    const options = [["", "All topics"]];
    for (const [id, [av, tot]] of [...counts].sort((x, y) => collator.compare(names.get(x[0]) || "", names.get(y[0]) || ""))) {
      options.push([String(id), `${names.get(id) || `Topic ${id}`} (${av} of ${tot} available)`]);
    }
    select.replaceChildren(...options.map(([v, text]) => { const o = el("option", "", text); o.value = v; return o; }));
    select.value = topic;
  }

  async function refresh() {
    const body = await getJson("/v1/Presence/GetAll");
    agents = body.filter((a) => Number.isInteger(a.UserId)).map((a) => ({
      ...a, DisplayName: a.DisplayName || `User ${a.UserId}`, ChatTopics: a.ChatTopics || [],
      OngoingChats: Math.max(0, a.OngoingChats || 0), Present: !!a.Present,
    }));
    for (const a of agents) a.folded = fold(a.DisplayName);
    // The widget's default order: available first, then by name.
    agents.sort((a, b) => (b.Present - a.Present)
      || collator.compare(a.DisplayName, b.DisplayName) || (a.UserId - b.UserId));
    render();
    renderTopics();
  }

  select.addEventListener("change", () => { topic = select.value; limit = PAGE; render(); });
  search.addEventListener("input", () => { limit = PAGE; render(); });
  toggle.addEventListener("change", () => { limit = PAGE; render(); });
  refreshButton.addEventListener("click", () => refresh());

  refresh().then(async () => {
    const ids = [...new Set(agents.flatMap((a) => a.ChatTopics))];
    const queue = [...ids];
    await Promise.all([0, 1, 2].map(async () => {
      while (queue.length) {
        const id = queue.shift();
        try { names.set(id, (await getJson(`/v1/ChatTopic/${id}`)).Name); } catch {}
      }
    }));
    for (const li of list.querySelectorAll(".topics")) li.closest("li").__key = "";
    render();
    renderTopics();
  });
}

for (const host of document.querySelectorAll("[data-presence-widget]")) mount(host);
