"""What a warm re-plan reuses: results of pure steps, kept between plans in one process.

A plan is made of steps whose results depend only on their inputs: the points of a stage plan
(solver.pairing.schools), the columns a supporter city can take (solver.pairing.columns), a whole
sub-model's proven optimum (solver.pairing.assign, solver.pairing.nested). A `Memo` keeps each
result under a key that holds the step's whole input, so after one roster change a re-plan finds
the steps the change does not reach and computes only the others. A warm plan is therefore the
cold plan of the same roster and base, by construction, and tests check that it is.

Only proven results are kept (an optimum or infeasibility, not what a time limit cut short), so a
hit never freezes a result that a longer solve could improve. Each space has a budget (`LIMITS`:
entries, or for the heavy ones the pairs or columns its entries hold); a space that would go over
it is emptied rather than tracked entry by entry, which bounds memory simply.
"""

from __future__ import annotations

import hashlib
import itertools
import pickle
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
DEFAULT_LIMIT = 200_000
LIMITS = {"school_rows": 250_000, "columns": 500_000}
"""Budgets of the heavy spaces, in the pairs (~1.4 kB each) or columns their entries hold: about 350 MB
of school pairs, some 13 bundled plans' worth of county pairs or one national plan's."""


@dataclass
class SpaceStats:
    hits: int = 0
    misses: int = 0


def digest(*parts: object) -> bytes:
    """A key for inputs that are not hashable (dataclasses of dicts and sets): their pickle's hash.
    Equal bytes mean equal inputs; equal inputs pickled in another order only miss, never mislead."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()


class Memo:
    def __init__(self, limit: int = DEFAULT_LIMIT, limits: dict[str, int] | None = None):
        self.limit = limit
        self.limits = LIMITS if limits is None else limits
        self._spaces: dict[str, dict[Hashable, Any]] = {}
        self._weights: dict[str, int] = {}
        self._stats: dict[str, SpaceStats] = {}
        self._lock = threading.Lock()
        self._marks: dict[str, int] = {}

    def space(self, name: str) -> dict[Hashable, Any]:
        """The raw table of one space, for hot loops that look up thousands of small keys."""
        with self._lock:
            table = self._spaces.setdefault(name, {})
            if len(table) > self.limit:
                table.clear()
            return table

    def get(self, name: str, key: Hashable) -> Any | None:
        with self._lock:
            stats = self._stats.setdefault(name, SpaceStats())
            found = self._spaces.get(name, {}).get(key)
            if found is None:
                stats.misses += 1
            else:
                stats.hits += 1
            return found

    def put(self, name: str, key: Hashable, value: object, weight: int = 1) -> None:
        """Keep `value`; `weight` is what it counts against its space's budget (1: one entry)."""
        with self._lock:
            table = self._spaces.setdefault(name, {})
            if self._weights.get(name, 0) + weight > self.limits.get(name, self.limit):
                table.clear()
                self._weights[name] = 0
            table[key] = value
            self._weights[name] = self._weights.get(name, 0) + weight

    def get_or_compute(self, name: str, key: Hashable, compute: Callable[[], T], keep: Callable[[T], bool]) -> T:
        """The kept result for `key`, or `compute()`, kept when `keep` says it is final."""
        found = self.get(name, key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = compute()
        if keep(value):
            self.put(name, key, value)
        return value

    def stats(self) -> dict[str, SpaceStats]:
        """Hits and misses of each space since the memo was made (get_or_compute only)."""
        with self._lock:
            return {name: SpaceStats(s.hits, s.misses) for name, s in sorted(self._stats.items())}

    def mark(self) -> None:
        """Remember how full each space is: `delta` then gives what was added since (a forked solve
        process marks at its start and hands its delta back to the process that keeps the memo)."""
        with self._lock:
            self._marks = {name: len(table) for name, table in self._spaces.items()}

    def delta(self) -> dict[str, list[tuple[Hashable, Any]]]:
        """The entries added since `mark` (a space emptied meanwhile: all of it), for `merge`."""
        with self._lock:
            marks = self._marks
            found = {}
            for name, table in self._spaces.items():
                start = marks.get(name, 0)
                start = 0 if start > len(table) else start
                if len(table) > start:
                    found[name] = list(itertools.islice(table.items(), start, None))
            return found

    def merge(self, delta: dict[str, list[tuple[Hashable, Any]]]) -> None:
        for name, items in delta.items():
            for key, value in items:
                self.put(name, key, value, len(value) if isinstance(value, list) else 1)

    def clear(self) -> None:
        with self._lock:
            self._spaces.clear()
            self._stats.clear()
            self._weights.clear()
