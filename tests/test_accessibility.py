"""Every page type as people with any ability and any phone meet it, in Debian's Chromium.

axe-core (npm, pinned in package-lock.json) checks each page type at phone and desktop width;
the text a reader sees is measured as rendered at 360 px: 13 px at least, and chart labels,
scaled with their SVG, 12 px at least.
"""

from __future__ import annotations

import json

import pytest
from conftest import NODE_MODULES, PAGE_TYPES, needs_chromium, set_width

AXE = NODE_MODULES / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.skipif(not AXE.exists(), reason="needs axe-core from npm: `npm ci` (make test)"),
]

# axe's default rules (WCAG 2.0-2.2 A/AA and best practices), with target-size, which axe
# leaves off by default, switched on: a phone's links must be big enough to hit.
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {rules: {"target-size": {enabled: true}}, resultTypes: ["violations"]})
  .then(r => done(JSON.stringify(r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)})))))
  .catch(e => done(JSON.stringify([{id: "axe failed", help: String(e), nodes: []}])));
"""


def open_page(driver, base: str, path: str, width: int) -> None:
    set_width(driver, width)
    driver.get(f"{base}/{path}")
    assert driver.execute_script("return document.readyState") == "complete"


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_finds_no_violation(chromium, served_real_site, page_type, width):
    open_page(chromium, served_real_site, PAGE_TYPES[page_type], width)
    # injected by the driver, not by the page: the page's own policy forbids inline scripts
    chromium.execute_script(AXE.read_text(encoding="utf-8"))
    chromium.set_script_timeout(60)
    violations = json.loads(chromium.execute_async_script(RUN_AXE))
    assert violations == [], f"{page_type} at {width} px:\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


# Every text the reader sees, with its size as drawn: HTML text by its computed font size,
# chart text by its font size times the scale its SVG is drawn at (viewBox → screen).
RENDERED_TEXT = """
const found = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode, el = node.parentElement;
  const words = node.textContent.trim();
  if (!words || !el || el.closest("title, desc, script, style, noscript")) continue;
  const style = getComputedStyle(el);
  if (style.display === "none" || style.visibility === "hidden") continue;
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) continue;
  let size = parseFloat(style.fontSize), chart = false;
  if (el instanceof SVGElement) {
    const m = el.getScreenCTM();
    size = size * Math.hypot(m.a, m.b);
    chart = true;
  }
  found.push({words: words.slice(0, 40), size: Math.round(size * 100) / 100, chart: chart});
}
return JSON.stringify(found);
"""


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_small_text_on_a_phone(chromium, served_real_site, page_type):
    """At 360 px no text is under 13 px and no chart label under 12 px, as drawn."""
    open_page(chromium, served_real_site, PAGE_TYPES[page_type], 360)
    texts = json.loads(chromium.execute_script(RENDERED_TEXT))
    assert texts, "the page shows text"
    small = [t for t in texts if t["size"] < (12 if t["chart"] else 13)]
    assert small == [], f"{page_type}: text too small at 360 px: {small[:10]}"
    if page_type == "region with data":
        assert any(t["chart"] for t in texts), "the region's chart is measured too"
