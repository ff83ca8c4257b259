"""The Hugo baseline: the Pelican baseline's calibrated Markdown pages, built by Hugo.

Same page text, same slugs, same URLs (`<slug>/index.html` and an `index.html`); the layout
copies the markup Pelican's `simple` theme puts around a page (the same header, empty menu,
article heading and footer), so both baselines write about the same HTML. Hugo's extra page
kinds are turned off where Pelican's baseline writes nothing alike: no taxonomy or term pages,
no RSS, no sitemap, no robots.txt, no 404 page (Pelican's has feeds off and no such pages).
Goldmark keeps Hugo's default extensions (tables, footnotes, definition lists, typographer,
linkify), as Python-Markdown's `extra` does for Pelican.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CONFIG = """\
# make bench: Hugo baseline, the Pelican baseline's pages built by Hugo.
baseURL = "http://example.org/"
title = "Baseline"
languageCode = "id"
defaultContentLanguage = "id"
relativeURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""
LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
  <head>
      <title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
      <meta charset="utf-8" />
      <meta name="generator" content="Hugo" />
      <meta name="viewport" content="width=device-width, initial-scale=1.0">
  </head>
  <body>
      <header>
          <hgroup><h1><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></h1></hgroup>
          <nav><ul>
          </ul></nav>
      </header>
      <main>
{{ block "main" . }}{{ end }}
      </main>
      <footer>
          <address>
            Proudly powered by <a rel="nofollow" href="https://gohugo.io/">Hugo</a>,
            which takes great advantage of <a rel="nofollow" href="https://go.dev/">Go</a>.
          </address>
      </footer>
  </body>
</html>
""",
    "_default/single.html": """\
{{ define "title" }}{{ .Site.Title }} - {{ .Title }}{{ end }}
{{ define "main" }}
  <article>
    <header>
      <h2>{{ .Title }}</h2>
    </header>
    {{ .Content }}
  </article>
{{ end }}
""",
    "index.html": """\
{{ define "main" }}
        <h2>All articles</h2>
{{ end }}
""",
}


def find(skip: bool = False) -> tuple[str | None, str | None]:
    """Hugo on PATH (Debian's `hugo` package), or None and why it will not run."""
    if skip:
        return None, "--no-hugo was given"
    found = shutil.which("hugo")
    if found is None:
        return None, "Hugo is not installed: no `hugo` on PATH (Debian's package: hugo)"
    return found, None


def version(hugo: str) -> str:
    try:
        return subprocess.run(
            [hugo, "version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc})"


def write_site(where: Path) -> Path:
    """The site's configuration and layouts; pages are added with `page_text`."""
    (where / "content").mkdir(parents=True)
    (where / "config.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = where / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return where


def page_text(title: str, slug: str, body: str) -> str:
    """A content file: YAML front matter, then the Markdown body unchanged."""
    return f'---\ntitle: "{title}"\nslug: {slug}\n---\n\n{body}'


def command(hugo: str, site: Path, output: Path) -> list[str]:
    """A cold build: a fresh output folder and a cache folder of its own, inside the site (Hugo
    caches only processed resources and modules there, which these pages do not use)."""
    return [
        hugo,
        "--quiet",
        "--source",
        str(site),
        "--destination",
        str(output),
        "--cacheDir",
        str(site / ".hugo-cache"),
    ]
