"""feeds.write, the site's one Atom writer. The forum and correction feeds were written with
feedgenerator until it took them over: they must hold what feedgenerator gave for the same
feed, element for element (only the layout of the XML, one element a line, is its own)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from feedgenerator import Atom1Feed
from uhc_portal import feeds

JAKARTA = dt.timezone(dt.timedelta(hours=7))


def tree(xml: bytes) -> tuple:
    """An element as its tag, attributes, text and children, the children in any order."""

    def canon(e: ET.Element) -> tuple:
        text = (e.text or "").strip() if len(e) else (e.text or "")
        return (e.tag, tuple(sorted(e.attrib.items())), text, tuple(sorted(map(canon, e))))

    return canon(ET.fromstring(xml))


def test_a_forum_feed_holds_what_feedgenerator_wrote():
    day = dt.date(2024, 8, 8)
    summary = "Kabupaten Wajo. Forum &amp; &#34;data&#34;\nbaris kedua"
    content = "<p>Forum <strong>data</strong> &amp; rapat</p>"
    old = Atom1Feed(
        title="Pantau UHC: berita forum",
        link="https://x.example/forum/",
        description="Forum, komitmen <dan> kesepakatan",
        language="en",
        feed_url="https://x.example/forum/atom.xml",
    )
    old.add_item(
        title="Bupati & Wakil",
        link="https://x.example/forum/a/",
        unique_id="tag:pantau-uhc,a",
        description=summary,
        content=content,
        pubdate=dt.datetime.combine(day, dt.time(), JAKARTA),
    )
    feed = feeds.Feed(
        "https://x.example/forum/",
        "Pantau UHC: berita forum",
        "Forum, komitmen <dan> kesepakatan",
        "https://x.example/forum/atom.xml",
        "https://x.example/forum/",
        language="en",
        typed=False,
    )
    stamp = feeds.stamp(day)
    entry = feeds.Entry(
        "Bupati & Wakil",
        "https://x.example/forum/a/",
        "tag:pantau-uhc,a",
        stamp,
        summary,
        html=True,
        published=stamp,
        content=content,
    )
    new = feeds.write(feed, [entry], stamp)
    assert tree(new) == tree(old.writeString("utf-8").encode("utf-8"))
    assert new.count(b"\n<entry>\n") == 1 and new.endswith(b"</feed>\n")


def test_an_empty_feed_holds_what_feedgenerator_wrote():
    old = Atom1Feed(title="K", link="/koreksi/", description="D", language="id", feed_url="/k")
    old.latest_post_date = lambda: dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    feed = feeds.Feed("/koreksi/", "K", "D", "/k", "/koreksi/", typed=False)
    new = feeds.write(feed, [], "1970-01-01T00:00:00+00:00")
    assert tree(new) == tree(old.writeString("utf-8").encode("utf-8"))


def test_a_figure_feed_names_link_types_and_its_author():
    feed = feeds.Feed("tag:x", "T", "S", "/f/atom.xml", "/f/")
    entry = feeds.Entry("E", "/f/#a", "tag:x/a", "2020-09-30T00:00:00+07:00", "s < t")
    new = feeds.write(feed, [entry], entry.updated)
    assert b'<link href="/f/atom.xml" rel="self" type="application/atom+xml"/>\n' in new
    assert b'<link href="/f/#a" rel="alternate" type="text/html"/>\n' in new
    assert b"<author><name>Pantau UHC</name></author>\n" in new
    assert b"<summary>s &lt; t</summary>\n" in new and b"<published>" not in new
