// Pantau UHC: results under the header's search box, from the Pagefind index built with the
// site. Without this script the box opens the A–Z list on /wilayah/, so nothing depends on it.
// Pagefind (its script, WebAssembly and index) is fetched from this site only, and only when
// the box is first used or a search arrives in the address (/wilayah/?q=...). Only the search
// page (/wilayah/) loads this file; elsewhere the box simply opens that page.
const form = document.querySelector("form.search");
const input = document.getElementById("cari");
const box = document.getElementById("hasil-cari");
const SHOWN = 8;
// This file is theme/js/cari.js: the site's root is two folders up, Pagefind's bundle beside it.
const root = new URL("../../", import.meta.url);
let pagefind = null;
let asked = 0;

function load() {
  if (!pagefind) {
    pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
      // "names" (a page's name, code and other spellings; see search_fields in _partials.html)
      // outweighs a forum that repeats a region's name: "lubuklinggau" finds the city first.
      const settings = { baseUrl: root.pathname, ranking: { metaWeights: { names: 10 } } };
      await module.options(settings);
      await module.init();
      // A large site's pages are in several bundles (pagefind/, pagefind-2/, ...), listed in
      // the first one's shards.json: each is merged in, searched with the same settings.
      const listed = await fetch(new URL("pagefind/shards.json", root));
      const others = listed.ok ? await listed.json() : [];
      for (const folder of others) await module.mergeIndex(new URL(folder, root).href, settings);
      return module;
    });
  }
  return pagefind;
}

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key]);
}

function line(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = text;
  return node;
}

function show(query, pages, total) {
  const count = line("p", "", say(total ? form.dataset.results : form.dataset.none, {
    n: total, q: query,
  }));
  count.setAttribute("role", "status");
  const list = document.createElement("ol");
  for (const page of pages) {
    const item = document.createElement("li");
    const link = line("a", "", page.meta.title);
    link.href = page.url;
    item.append(link);
    const meta = page.meta;
    const detail = [meta.kind, meta.province, meta.status, meta.old].filter(Boolean).join(" · ");
    if (detail) item.append(document.createElement("br"), line("span", "meta", detail));
    list.append(item);
  }
  box.replaceChildren(count, list);
  box.hidden = false;
}

async function search(query) {
  const mine = ++asked;
  query = query.trim();
  if (!query) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  try {
    const module = await load();
    const found = await module.search(query);
    const pages = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
    if (mine === asked) show(query, pages, found.results.length);
  } catch (error) {
    if (mine === asked) {
      box.replaceChildren(line("p", "", form.dataset.error));
      box.hidden = false;
    }
  }
}

if (form && input && box) {
  let timer = 0;
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 200);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      box.hidden = true;
    }
  });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    search(query);
  }
}
