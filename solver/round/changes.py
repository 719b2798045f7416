"""What a re-plan changed, as chains a coordinator can read one at a time.

A removed pair and an added pair that share a party belong to one chain: 梅县区 leaves 增城区 for
白云区, so 白云区's former receiver moves on to 番禺区, and so on. The chains are the connected
components of the graph whose nodes are parties and whose edges are the changed pairs (networkx);
a chain's school and institute pairs travel with the county pairs they follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from solver.domain.kinds import Kind
from solver.domain.pairs import Pair

STRUCTURAL = (Kind.CITY_CITY, Kind.COUNTY_COUNTY, Kind.NORMAL_UNIVERSITY_CITY, Kind.UNIVERSITY_AREA)


@dataclass(frozen=True)
class Chain:
    """One connected group of changes: the pairs it removes and adds, and the parties they touch."""

    removed: tuple[Pair, ...]
    added: tuple[Pair, ...]
    parties: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.removed) + len(self.added)


def change_chains(old: Sequence[Pair], new: Sequence[Pair], kinds: Sequence[Kind] = STRUCTURAL) -> list[Chain]:
    """The changes from `old` to `new` among pairs of `kinds`, grouped into chains, largest first."""
    old_keys = {p.key: p for p in old if p.kind in kinds}
    new_keys = {p.key: p for p in new if p.kind in kinds}
    removed = [old_keys[k] for k in sorted(old_keys.keys() - new_keys.keys())]
    added = [new_keys[k] for k in sorted(new_keys.keys() - old_keys.keys())]
    graph: nx.MultiGraph = nx.MultiGraph()
    for change, pairs in (("removed", removed), ("added", added)):
        for pair in pairs:
            graph.add_edge(pair.supporter_id, pair.receiver_id, change=change, pair=pair)
    chains = []
    for parties in nx.connected_components(graph):
        edges = graph.subgraph(parties).edges(data=True)
        chains.append(
            Chain(
                removed=tuple(sorted((d["pair"] for _, _, d in edges if d["change"] == "removed"), key=_order)),
                added=tuple(sorted((d["pair"] for _, _, d in edges if d["change"] == "added"), key=_order)),
                parties=tuple(sorted(parties)),
            )
        )
    return sorted(chains, key=lambda c: (-c.size, c.parties))


def _order(pair: Pair) -> tuple[str, str, str]:
    return pair.key
