"""sitemap.xml and robots.txt from the HTML files a build actually wrote, so that every page is
listed once, whichever part of the build wrote it (pages marked noindex left out); and each
page's canonical address."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape

from .urls import page_path

SITEMAP = "sitemap.xml"


class _Head(HTMLParser):
    """Reads a page's <head> for <meta name="robots">; stops at <body>."""

    def __init__(self) -> None:
        super().__init__()
        self.robots = ""
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.done = True
        elif tag == "meta":
            found = dict(attrs)
            if (found.get("name") or "").lower() == "robots":
                self.robots += (found.get("content") or "").lower()


def indexable(path: Path) -> bool:
    """False for a page that asks search engines not to index it (an embed, for instance):
    a sitemap that listed it would contradict it. Only the head is read, in blocks."""
    head = _Head()
    with open(path, encoding="utf-8") as page:
        while not head.done and (block := page.read(8192)):
            head.feed(block)
    return "noindex" not in head.robots


def pages(folder: Path, known: dict[str, bool] | None = None) -> tuple[list[str], list[str]]:
    """Every indexable HTML file under `folder` as an address below the root, sorted; and the
    files left out (noindex). `known`: files whose answer the last build found, unchanged."""
    known = known or {}
    listed, left_out = [], []
    for path in folder.rglob("*.html"):
        name = path.relative_to(folder).as_posix()
        found = known.get(name)
        if found if found is not None else indexable(path):
            listed.append(page_path(name))
        else:
            left_out.append(name)
    return sorted(listed), sorted(left_out)


def sitemap(addresses: list[str], siteurl: str) -> bytes:
    """Addresses are absolute when the site has an address (SITEURL); else root-relative."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(f"<url><loc>{escape(f'{siteurl}/{address}')}</loc></url>" for address in addresses),
        "</urlset>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(siteurl: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {siteurl}/{SITEMAP}\n".encode()


def write_site_index(folder: Path, siteurl: str, known: dict[str, bool] | None = None) -> list[str]:
    """Written last, over the finished site; returns the HTML files left out (noindex)."""
    listed, left_out = pages(folder, known)
    (folder / SITEMAP).write_bytes(sitemap(listed, siteurl))
    (folder / "robots.txt").write_bytes(robots(siteurl))
    return left_out
