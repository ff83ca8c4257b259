"""What a build keeps on disk beside the chart cache so that the next process does not make it
again: the chart templates, the compiled page templates, the share image and the data files'
readings. Each is found
again by what it is made from, never by its age."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import build, make_project, soup
from uhc_portal import forums, share, urls
from uhc_portal.charts import templates


def test_a_chart_template_is_read_from_the_cache_by_a_new_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(templates, "_templates", {})
    made = templates.template("wilayah", "id", tmp_path)
    kept = list((tmp_path / "templates").glob("chart-wilayah-id-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == made

    def refused(kind: str, locale: str) -> str:
        raise AssertionError("made again")

    monkeypatch.setattr(templates, "_templates", {})  # a new process
    monkeypatch.setattr(templates, "make_template", refused)
    assert templates.template("wilayah", "id", tmp_path) == made
    with pytest.raises(AssertionError, match="made again"):
        templates.template("wilayah", "en", tmp_path)  # another language: its own


def test_a_chart_template_of_other_code_is_made_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(templates, "_templates", {})
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "chart-wilayah-id-0123456789abcdef0123.json").write_text("{}", encoding="utf-8")
    made = templates.template("wilayah", "id", tmp_path)
    assert made != "{}" and made == templates.make_template("wilayah", "id")
    assert [p.read_text(encoding="utf-8") for p in folder.glob("chart-wilayah-id-*")] == [made]


def test_the_share_image_is_drawn_once_for_its_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    png = share.share_png("Pantau UHC", tmp_path)
    assert png == share.share_png("Pantau UHC")  # the same image as drawn without a cache
    import vl_convert

    def refused(*args, **kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setattr(vl_convert, "svg_to_png", refused)
    assert share.share_png("Pantau UHC", tmp_path) == png
    with pytest.raises(AssertionError, match="drawn again"):
        share.share_png("Pantau JKN", tmp_path)  # other words: another image


def test_page_templates_are_compiled_once_and_an_edited_one_is_used(tmp_path: Path):
    root = Path(__file__).resolve().parents[1]
    project = make_project(tmp_path / "project")
    (project / "theme").unlink()
    shutil.copytree(root / "theme", project / "theme")
    output = build(project)
    compiled = list((project / ".cache" / "charts" / "templates").glob("__jinja2_*.cache"))
    assert len(compiled) >= 10  # the portal's templates and Pelican's page template
    # and the data's readings (test_load_cache: a new process reads only what changed)
    kept = project / ".cache" / "charts" / "data"
    coverage = list((project / "data" / "coverage").glob("*.csv"))
    assert len(list(kept.glob("*.pack"))) == len(coverage)
    assert (kept / forums.FORUMS_FILE).is_file()
    page = project / "theme" / "templates" / "directory.html"
    edited = "{% block content %}<p class=edited>diedit</p>"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("{% block content %}", edited, 1), encoding="utf-8")
    output = build(project)
    assert "diedit" in (output / urls.save_as(urls.directory())).read_text(encoding="utf-8")


def test_the_data_guide_examples_are_plain_code_blocks(built_site: Path):
    """Pelican's Markdown without codehilite: the theme styles no highlighting, so the guide's
    examples carry no spans of token classes (they were a thousand spans of page weight)."""
    html = (built_site / "panduan-data" / "index.html").read_text(encoding="utf-8")
    assert "<pre><code>" in html
    assert 'class="highlight"' not in html and '<span class="w">' not in html


def test_a_commitments_outcome_and_its_figure_read_as_words_apart(built_site: Path):
    """The figure behind an outcome is kept out of the search records by an element of its
    own; the words before it keep their space ("Tercapai setelah tenggat (cakupan …)")."""
    pages = [p for p in (built_site / "forum").glob("*/index.html") if "outcome-" in p.read_text()]
    assert pages
    for page in pages:
        text = " ".join(soup(page).get_text().split())
        assert "tenggat(" not in text and "tercapai(" not in text.lower(), page


def test_the_forum_feed_is_kept_for_its_forums_and_words(tmp_path: Path):
    """Each summary's Markdown is most of the feed's cost: a build whose forums, region names
    and code are the same takes the feed back from the cache (here a planted one shows it is
    read, not made); an edited forum makes it anew, and the old one goes."""
    project = make_project(tmp_path / "project")
    output = build(project)
    feed = output / urls.forums_feed()
    made = feed.read_bytes()
    kept = sorted((project / ".cache" / "charts" / "feeds").glob("forum-feed-id-*.xml"))
    assert [p.read_bytes() for p in kept] == [made]
    assert len(list(kept[0].parent.glob("forum-feed-en-*.xml"))) == 1
    kept[0].write_bytes(made.replace(b"<feed ", b"<feed data-planted='1' "))
    shutil.rmtree(output)
    build(project)
    assert b"data-planted" in feed.read_bytes()
    forum = sorted((project / "data" / "forums").glob("*.yaml"))[0]
    forum.write_text(
        forum.read_text(encoding="utf-8").replace("summary: |\n  ", "summary: |\n  **Tebal** ", 1),
        encoding="utf-8",
    )
    build(project)
    text = feed.read_text(encoding="utf-8")
    assert "data-planted" not in text and "&lt;strong&gt;Tebal&lt;/strong&gt;" in text
    assert len(list(kept[0].parent.glob("forum-feed-id-*.xml"))) == 1


def test_altair_is_imported_only_to_make_a_template():
    """The chart modules import Altair when a template is first made: a build that takes every
    template from the cache never pays for the import (about 0.3 s)."""
    import subprocess
    import sys

    check = (
        "import sys\n"
        "import uhc_portal.charts, uhc_portal.generator, uhc_portal.render\n"
        "assert 'altair' not in sys.modules, 'imported at start'\n"
        "from uhc_portal.charts import templates\n"
        "templates.make_template('wilayah', 'id')\n"
        "assert 'altair' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", check], check=True)
