"""Each region's figures judged against the rule in force on their dates, made when asked."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence

from .model import Dataset, PartialDate, Snapshot, StatusRule
from .status import Assessment, judge, rules_on


class Histories:
    """Each region's figures judged against the rule in force on their dates, made from the
    figure store when asked. The regions asked for last are kept (`keep`): a region's chart data
    is made a few dozen regions ahead of its page, and both read its history."""

    def __init__(self, dataset: Dataset, keep: int = 64):
        self.dataset = dataset
        self._keep = keep
        self._kept: OrderedDict[str, list[Assessment]] = OrderedDict()
        self._rules_on: dict[PartialDate, tuple[StatusRule | None, StatusRule | None]] = {}

    def __getitem__(self, code: str) -> list[Assessment]:
        found = self._kept.get(code)
        if found is not None:
            self._kept.move_to_end(code)
            return found
        history = [self.judged(s) for s in self.dataset.snapshots_by_region.get(code, ())]
        self._kept[code] = history
        self._trim()
        return history

    def judged(self, snapshot: Snapshot) -> Assessment:
        """One figure judged against the rules in force on its date."""
        found = self._rules_on.get(snapshot.as_of)  # a few hundred dates in 600,000 figures
        if found is None:
            found = self._rules_on[snapshot.as_of] = rules_on(snapshot.as_of, self.dataset.rules)
        return judge(snapshot, *found)

    @property
    def keep(self) -> int:
        return self._keep

    @keep.setter
    def keep(self, regions: int) -> None:
        self._keep = regions
        self._trim()

    def _trim(self) -> None:
        while len(self._kept) > self._keep:
            self._kept.popitem(last=False)


class History(Sequence[Assessment]):
    """A region's judged figures, oldest first: made when first read, not kept for every page."""

    __slots__ = ("code", "histories")

    def __init__(self, histories: Histories, code: str):
        self.histories, self.code = histories, code

    def __len__(self) -> int:
        return len(self.histories[self.code])

    def __bool__(self) -> bool:
        return self.code in self.histories.dataset.snapshots_by_region

    def __getitem__(self, index):  # type: ignore[override]
        return self.histories[self.code][index]

    def __iter__(self) -> Iterator[Assessment]:
        return iter(self.histories[self.code])

    def __reversed__(self) -> Iterator[Assessment]:
        return reversed(self.histories[self.code])
