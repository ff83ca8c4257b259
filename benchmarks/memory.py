"""Who holds a build's memory: the resident memory of a process tree, by process role.

Every process of the tree is given a role from its command line: the build itself (the tree's
root), the chart workers (multiprocessing's spawned children), Pagefind (the search indexer's
binary), anything else by its program's name. A sampler keeps the tree's largest total and the
roles' shares at that moment, so the peak says who held it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
BUILD, CHARTS, PAGEFIND = "build", "chart workers", "pagefind"
ROLES = (BUILD, CHARTS, PAGEFIND)  # printed in this order, the others after them


def role_of(argv: list[str], root: bool) -> str:
    """A process's role by its command line (argv as in /proc/<pid>/cmdline)."""
    if root:
        return BUILD
    words = " ".join(argv)
    if "pagefind" in words:
        return PAGEFIND
    if "multiprocessing.spawn" in words:
        return CHARTS
    if "multiprocessing.resource_tracker" in words:
        return "resource tracker"
    return Path(argv[0]).name if argv else "unknown"


@dataclass
class Share:
    """One role's resident memory (bytes) and how many processes held it."""

    rss: int = 0
    processes: int = 0


@dataclass
class Snapshot:
    """A process tree's resident memory at one moment, by role."""

    roles: dict[str, Share] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(share.rss for share in self.roles.values())

    def add(self, role: str, rss: int) -> None:
        share = self.roles.setdefault(role, Share())
        share.rss += rss
        share.processes += 1


def descendants(root: int, parents: dict[int, int]) -> set[int]:
    """`root` and every process below it, from a child → parent table."""
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    members, frontier = {root}, [root]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in members:
                members.add(child)
                frontier.append(child)
    return members


def parent_table() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return parents


def snapshot(root: int) -> Snapshot:
    """The tree under `root` now (processes that end meanwhile are left out)."""
    taken = Snapshot()
    for pid in sorted(descendants(root, parent_table())):
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                rss = int(f.read().split()[1]) * PAGE_SIZE
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = [part.decode(errors="replace") for part in f.read().split(b"\0") if part]
        except OSError:
            continue
        taken.add(role_of(argv, pid == root), rss)
    return taken


class TreeSampler(threading.Thread):
    """The resident memory of a process and all its descendants, every `interval` seconds: the
    largest total (`peak`, bytes) and the roles' shares at that moment (`at_peak`)."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.at_peak = Snapshot()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.take(snapshot(self.pid))

    def take(self, taken: Snapshot) -> None:
        if taken.total > self.peak:
            self.peak, self.at_peak = taken.total, taken

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak

    def breakdown_mb(self) -> dict[str, list[float]]:
        """{role: [MB, processes]} at the tree's peak."""
        return breakdown_mb(self.at_peak.roles.items())


def breakdown_mb(shares: Iterable[tuple[str, Share]]) -> dict[str, list[float]]:
    return {role: [share.rss / 2**20, share.processes] for role, share in shares}


def breakdown_text(breakdown: dict[str, list[float]] | None) -> str:
    """'build 512 MB, chart workers 310 MB (2 processes), pagefind 95 MB' in ROLES order."""
    if not breakdown:
        return "not sampled"
    order = [r for r in ROLES if r in breakdown] + sorted(set(breakdown) - set(ROLES))
    parts = []
    for role in order:
        megabytes, processes = breakdown[role]
        count = f" ({int(processes)} processes)" if processes > 1 else ""
        parts.append(f"{role} {megabytes:.0f} MB{count}")
    return ", ".join(parts)
