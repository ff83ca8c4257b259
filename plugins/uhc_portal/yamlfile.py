"""Read YAML files into values that remember their lines (ruamel's round-trip types).

libyaml parses when it can (`_load_with_libyaml`); ruamel reads anything unusual and words every
error. Aliases, deep nesting and floods of values are refused.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from yaml import events as c_events
from yaml.cyaml import CParser

from .errors import DataError, error
from .i18n import M_
from .loading import Text

# YAML is read by pure Python at about 1 MB in 2–4 s; a file of many tiny values is slower still.
MAX_YAML_BYTES = 1024 * 1024
MAX_YAML_EVENTS = 30_000  # keys, values and brackets: sources.yaml of 1 MB holds about 19,000
MAX_YAML_DEPTH = 12


class _Constructor(RoundTripConstructor):
    """A value YAML cannot build (2020-13-45, a 5,000-digit number) is an error at its line."""

    def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
        try:
            data = super().construct_non_recursive_object(node, tag)
        except (ValueError, OverflowError, IndexError) as exc:  # IndexError: ruamel on '-_'
            raise ConstructorError(
                None, None, f"a value YAML cannot read ({exc})", node.start_mark
            ) from None
        if isinstance(data, int) and data.bit_length() > 63:
            raise ConstructorError(None, None, "a number of at most 18 digits", node.start_mark)
        return data


def read_yaml(path: Path, root: Path) -> tuple[Any, list[DataError], str]:
    """Parse YAML 1.2 with line numbers, refusing duplicate keys, aliases and deep nesting."""
    source = Text(path, root, MAX_YAML_BYTES)
    if source.errors:
        return None, source.errors, source.name
    name = source.name
    try:
        return _load_with_libyaml(source.text), [], name
    except Exception:  # anything unusual or wrong: ruamel reads it and words the report
        pass
    fast = YAML(typ="rt", pure=True)
    fast.Constructor = _Constructor
    fast.Parser = _checking(fast.Parser)
    try:  # one pass: the events are checked as they are composed, not parsed twice
        return fast.load(source.text), [], name
    except _StructureProblem as found:
        return None, [replace(found.problem, file=name)], name
    except Exception:  # any other outcome: the two passes below decide, as before
        pass
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor

    def failed(line: int, value: str, expected: str, kind: str) -> tuple[None, list, str]:
        return None, [error(name, line, "", value, expected, kind)], name

    try:
        problem = _structure_problem(yaml, source.text, name)
        if problem:
            return None, [problem], name
        return yaml.load(source.text), [], name
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem_text = (exc.problem or "").strip()
        if "duplicate key" in problem_text:
            expected = M_("tiap kunci paling banyak sekali dalam satu pasangan")
            return failed(line, problem_text, expected, "duplicate-key")
        return failed(line, problem_text, M_("YAML yang sah"), "yaml-syntax")
    except ReaderError as exc:
        line = source.text[: exc.position].count("\n") + 1
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else exc.character
        return failed(
            line,
            character,
            M_("teks tanpa karakter kendali (karakter yang tidak diterima YAML)"),
            "yaml-syntax",
        )
    except (YAMLError, RecursionError) as exc:
        return failed(0, type(exc).__name__, M_("YAML yang sah"), "yaml-syntax")


class _Unusual(Exception):
    """Something the libyaml path leaves to ruamel: an alias, a tag, a directive, a limit."""


# Tabs, Unicode line breaks and a BOM: where YAML 1.1 (libyaml) and 1.2 (ruamel) may differ.
_UNLIKE_IN_1_1 = re.compile("[\t\x85\u2028\u2029\ufeff]")
_TYPED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("bool", "float", "int", "null", "timestamp")}
_BLOCK_STRINGS = {"|": LiteralScalarString, ">": FoldedScalarString}
_NO_KEY = object()
# Resolves and builds plain scalars; used for nothing else, so it never holds a parse's state.
_SCALARS = YAML(typ="rt", pure=True)
_SCALARS.Constructor = _Constructor


@functools.lru_cache(maxsize=8192)  # keys and codes recur in every file; one object each
def _plain_scalar(text: str) -> Any:
    """An unquoted scalar as ruamel's round-trip loader reads it (YAML 1.2: `yes` is text)."""
    tag = _SCALARS.resolver.resolve(ScalarNode, text, (True, False))
    if str(tag) == "tag:yaml.org,2002:str":
        return text
    if str(tag) not in _TYPED_TAGS:  # `<<` (merge) and `=` (value) keys
        raise _Unusual(str(tag))
    return _SCALARS.constructor.construct_non_recursive_object(ScalarNode(tag, text))


def _load_with_libyaml(text: str) -> Any:
    """The value `YAML(typ="rt").load(text)` gives, with its line marks, parsed by libyaml in C.

    ruamel's pure-Python scanner and parser take most of a load. Here libyaml parses, and its
    events become the same CommentedMap/CommentedSeq with the same `.lc` lines and columns,
    with plain scalars resolved and built by ruamel itself. Whatever this does not map (aliases,
    anchors, tags, directives, several documents, duplicate or complex keys, the size limits)
    raises, and read_yaml reads the file again with ruamel, which also words every error;
    tests/test_yaml_libyaml.py holds the two to the same values and lines.
    """
    if _UNLIKE_IN_1_1.search(text):
        raise _Unusual("tab, BOM or Unicode line break")
    parser = CParser(text)
    try:
        return _compose(parser)
    finally:
        parser.dispose()


def _compose(parser: CParser) -> Any:
    root = _NO_KEY
    documents = count = 0
    open_collections: list[Any] = []
    keys: list[Any] = []  # per open mapping: its key and mark waiting for a value, or _NO_KEY
    while True:
        event = parser.get_event()
        kind = type(event)
        count += 1
        if count > MAX_YAML_EVENTS:
            raise _Unusual("too many values")
        if kind is c_events.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual("anchor or tag")
            if event.implicit[0]:
                value = _plain_scalar(event.value)
            else:
                value = _BLOCK_STRINGS.get(event.style, str)(event.value)
        elif kind is c_events.MappingStartEvent or kind is c_events.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual("anchor or tag")
            if len(open_collections) >= MAX_YAML_DEPTH:
                raise _Unusual("too deep")
            value = CommentedMap() if kind is c_events.MappingStartEvent else CommentedSeq()
            value._yaml_set_line_col(event.start_mark.line, event.start_mark.column)
        elif kind is c_events.MappingEndEvent or kind is c_events.SequenceEndEvent:
            open_collections.pop()
            keys.pop()
            continue
        elif kind is c_events.DocumentStartEvent:
            documents += 1
            if documents > 1 or event.version is not None or event.tags is not None:
                raise _Unusual("several documents or a directive")
            continue
        elif kind is c_events.StreamEndEvent:
            break
        elif kind is c_events.StreamStartEvent or kind is c_events.DocumentEndEvent:
            continue
        else:
            raise _Unusual(kind.__name__)  # an alias

        mark = event.start_mark
        if not open_collections:
            root = value
        elif keys[-1] is None:  # in a sequence
            parent = open_collections[-1]
            parent._yaml_set_idx_line_col(len(parent), [mark.line, mark.column])
            parent.append(value)
        elif keys[-1] is _NO_KEY:
            if isinstance(value, (CommentedMap, CommentedSeq)):
                raise _Unusual("a mapping or list as a key")
            keys[-1] = (value, mark)
        else:
            parent = open_collections[-1]
            key, key_mark = keys[-1]
            if key in parent:
                raise _Unusual("duplicate key")
            parent._yaml_set_kv_line_col(
                key, [key_mark.line, key_mark.column, mark.line, mark.column]
            )
            parent[key] = value
            keys[-1] = _NO_KEY
        if kind is not c_events.ScalarEvent:
            open_collections.append(value)
            keys.append(_NO_KEY if kind is c_events.MappingStartEvent else None)
    if root is _NO_KEY:
        raise _Unusual("no document")
    return root


def _structure_problem(yaml: YAML, text: str, name: str) -> DataError | None:
    """Refuse aliases (alias bombs), deep nesting and floods of values before construction."""
    check = _StructureCheck()
    for event in yaml.parse(text):
        problem = check.problem(event, name)
        if problem:
            return problem
    return None


class _StructureCheck:
    """Event by event: the number of values, aliases and the nesting depth."""

    def __init__(self) -> None:
        self.count = -1
        self.depth = 0

    def problem(self, event: Any, name: str) -> DataError | None:
        def found(value: str, expected: str, kind: str) -> DataError:
            return error(name, event.start_mark.line + 1, "", value, expected, kind)

        self.count += 1
        if self.count > MAX_YAML_EVENTS:
            return found(
                M_("lebih dari %(n)s nilai") % {"n": MAX_YAML_EVENTS},
                M_("paling banyak %(n)s kunci dan nilai dalam satu berkas")
                % {"n": MAX_YAML_EVENTS},
                "yaml-too-many-values",
            )
        if isinstance(event, AliasEvent):
            return found(
                "*" + str(event.anchor),
                M_("nilai biasa; jangkar dan alias (& dan *) tidak boleh di berkas data"),
                "yaml-alias",
            )
        if isinstance(event, CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_YAML_DEPTH:
                return found(
                    M_("kedalaman %(n)s") % {"n": self.depth},
                    M_("paling banyak %(n)s tingkat bersarang") % {"n": MAX_YAML_DEPTH},
                    "yaml-too-deep",
                )
        elif isinstance(event, CollectionEndEvent):
            self.depth -= 1
        return None


class _StructureProblem(Exception):
    def __init__(self, problem: DataError):
        super().__init__(str(problem))
        self.problem = problem


_CHECKING: dict[type, type] = {}


def _checking(parser: type) -> type:
    """`parser`, checking every event as the composer takes it, as _structure_problem does.

    The composer takes the events one by one in the parser's order, before constructing
    anything, so it meets the same first problem that _structure_problem would meet.
    """
    if parser not in _CHECKING:

        class Checking(parser):  # type: ignore[misc, valid-type]
            def reset_parser(self) -> None:
                super().reset_parser()
                self.uhc_check = _StructureCheck()

            def get_event(self) -> Any:
                event = super().get_event()
                problem = self.uhc_check.problem(event, "")
                if problem:
                    raise _StructureProblem(problem)
                return event

        _CHECKING[parser] = Checking
    return _CHECKING[parser]


def key_line(mapping: Any, key: str, default: int = 0) -> int:
    """1-based line of `key` in a ruamel mapping (0 when unknown)."""
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return default


def item_line(sequence: Any, index: int, default: int = 0) -> int:
    try:
        return sequence.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return default


def node_line(node: Any, default: int = 0) -> int:
    try:
        return node.lc.line + 1
    except AttributeError:
        return default
