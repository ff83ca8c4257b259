"""The libyaml fast path reads YAML exactly as ruamel does: same values, types, lines, columns.

read_yaml parses with libyaml (C) and leaves anything unusual to ruamel; these tests hold the
fast path to ruamel's round-trip loader on every YAML file in the repository, on synthetic
benchmark data and on generated documents full of YAML 1.1/1.2 look-alikes (yes, 010, 1_000).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from uhc_portal import loading, yamlfile

from benchmarks import synthetic

REPO_YAML = sorted(
    p for folder in ("data", "tests") for p in (ROOT / folder).rglob("*.y*ml") if p.is_file()
)
# Plain scalars YAML 1.1 and 1.2 read differently, or that ruamel builds as its own types.
LOOK_ALIKES = """
    yes no on off y n true True FALSE ~ null Null NULL 010 0o17 0x1F 0b101 1_000 +5 -5 0 -0
    007 1e3 1E-3 1. .5 1.50 -1.5e+3 .inf -.Inf .nan -.nan 12:30 1:20:30 2020-01-02 2020-1-2
    2020-01-02T10:00:00 2020-13-45 73.10 11.10 9999999999 = <<x a:b http://x.org/a?b=c#d
    O'Brien é 日本"""
TRICKY = [*LOOK_ALIKES.split(), "2020-01-02 10:00:00.5 +07:00"]


def ruamel_load(text: str):
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = yamlfile._Constructor
    return yaml.load(text)


def assert_same(fast, slow, where: str = "$") -> None:
    """Equal values of the same types, with the same `.lc` marks all the way down."""
    assert type(fast) is type(slow), where
    if isinstance(slow, float) and math.isnan(slow):
        assert math.isnan(fast), where
    else:
        assert fast == slow, where
    if isinstance(slow, (CommentedMap, CommentedSeq)):
        assert (fast.lc.line, fast.lc.col) == (slow.lc.line, slow.lc.col), where
        assert fast.lc.data == slow.lc.data, where
    if isinstance(slow, CommentedMap):
        for fast_key, slow_key in zip(fast, slow, strict=True):
            assert_same(fast_key, slow_key, f"{where} key {slow_key!r}")
            assert_same(fast[fast_key], slow[slow_key], f"{where}.{slow_key}")
    elif isinstance(slow, CommentedSeq):
        for index, (a, b) in enumerate(zip(fast, slow, strict=True)):
            assert_same(a, b, f"{where}[{index}]")
    else:  # ScalarFloat's width and precision, TimeStamp's time zone
        assert getattr(fast, "__dict__", None) == getattr(slow, "__dict__", None), where


def check(text: str, must_be_fast: bool = False) -> None:
    """Whatever the fast path returns, ruamel returns too; what it refuses, ruamel decides."""
    try:
        fast = yamlfile._load_with_libyaml(text)
    except Exception:
        assert not must_be_fast, "the fast path refused a well-formed file"
        return
    assert_same(fast, ruamel_load(text))


@pytest.mark.parametrize("path", REPO_YAML, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_yaml_file_in_the_repository_reads_the_same(path: Path) -> None:
    text = loading.Text(path, ROOT, yamlfile.MAX_YAML_BYTES).text
    check(text, must_be_fast=path.is_relative_to(ROOT / "data"))


def test_synthetic_benchmark_data_reads_the_same(tmp_path: Path) -> None:
    size = synthetic.Size(
        provinces=3, regencies=11, months=14, forums=40, sources=6, correction_rate=0.2
    )
    synthetic.generate(tmp_path / "data", size)
    for path in sorted((tmp_path / "data").rglob("*.yaml")):
        check(path.read_text(encoding="utf-8"), must_be_fast=True)


@pytest.mark.parametrize("scalar", TRICKY)
def test_tricky_plain_scalars_read_the_same(scalar: str) -> None:
    check(f"a: {scalar}\nb: [{scalar}, x]\n- {scalar}\n")  # an error: both refuse
    check(f"a: {scalar}\nb: [{scalar}, x]\nc:\n  - {scalar}\n  -   {scalar}\n{scalar}: 1\n")


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # aliases and anchors: left to ruamel, which refuses aliases
        "a: !!str 1\n",
        "%YAML 1.1\n---\na: yes\n",
        "a: 1\n---\nb: 2\n",
        "",
        "# only a comment\n",
        "a: 1\na: 2\n",
        "<<: {a: 1}\n",
        "? [a, b]\n: 1\n",
        "a:\tb\n",
        "a: b\u2028c\n",
    ],
)
def test_unusual_documents_are_left_to_ruamel(text: str) -> None:
    with pytest.raises(yamlfile._Unusual):
        yamlfile._load_with_libyaml(text)


def test_the_fast_path_stops_at_the_same_depth_and_size_limits() -> None:
    deep = "a: " + "[" * (yamlfile.MAX_YAML_DEPTH + 1) + "]" * (yamlfile.MAX_YAML_DEPTH + 1)
    with pytest.raises(yamlfile._Unusual):
        yamlfile._load_with_libyaml(deep)
    many = "[" + ", ".join(["1"] * yamlfile.MAX_YAML_EVENTS) + "]"
    with pytest.raises(yamlfile._Unusual):
        yamlfile._load_with_libyaml(many)


WORD = st.sampled_from(TRICKY) | st.from_regex(r"[a-z][a-z0-9 ._-]{0,12}[a-z0-9]", fullmatch=True)
KEY = st.sampled_from(["date", "title", "regions", "1", "yes", "010", "a b", "x-y", "2020-01-02"])


def scalar(word: str, style: str, indent: str) -> str:
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    if style == "double":
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style in ("|", ">", "|-", ">-"):
        return f"{style}\n{indent}  {word}\n{indent}  {word} {word}\n\n{indent}   more\n"
    return word


@st.composite
def documents(draw, indent: str = "", depth: int = 0) -> str:
    """A block mapping of scalars, flow lists, block lists and nested mappings."""
    lines = []
    for key in draw(st.lists(KEY, min_size=1, max_size=5, unique=True)):
        shape = draw(
            st.sampled_from(["scalar", "flow", "block", "map"] if depth < 3 else ["scalar", "flow"])
        )
        comment = draw(st.sampled_from(["", "  # note"]))
        if shape == "scalar":
            style = draw(st.sampled_from(["plain", "single", "double", "|", ">", "|-", ">-"]))
            value = scalar(draw(WORD), style, indent)
            lines.append(f"{indent}{key}: {value}" + ("" if value.endswith("\n") else comment))
        elif shape == "flow":
            items = draw(st.lists(WORD, max_size=4))
            lines.append(f"{indent}{key}: [{', '.join(items)}]{comment}")
        elif shape == "block":
            lines.append(f"{indent}{key}:{comment}")
            lead = draw(st.sampled_from(["", "  "]))
            for word in draw(st.lists(WORD, min_size=1, max_size=4)):
                style = draw(st.sampled_from(["plain", "single", "double"]))
                lines.append(f"{indent}{lead}- {scalar(word, style, indent)}")
        else:
            lines.append(f"{indent}{key}:")
            lines.append(draw(documents(indent + "  ", depth + 1)).rstrip("\n"))
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(["", "# a comment\n", "---\n", "\n\n"]))
def test_generated_documents_read_the_same(document: str, lead: str) -> None:
    check(lead + document)
