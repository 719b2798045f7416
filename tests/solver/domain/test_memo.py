"""solver.Memo: proven results kept under their whole input, within a budget, handed between processes."""

from __future__ import annotations

import pickle

from solver import Memo
from solver.domain.memo import digest


def test_a_result_is_computed_once_and_only_kept_when_final():
    memo = Memo()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return 7

    assert memo.get_or_compute("s", "k", compute, keep=lambda v: v > 0) == 7
    assert memo.get_or_compute("s", "k", compute, keep=lambda v: v > 0) == 7
    assert len(calls) == 1
    memo.get_or_compute("t", "k", compute, keep=lambda v: False)
    memo.get_or_compute("t", "k", compute, keep=lambda v: False)
    assert len(calls) == 3  # not final: computed again
    assert (memo.stats()["s"].hits, memo.stats()["s"].misses, memo.stats()["t"].hits) == (1, 1, 0)


def test_a_space_over_its_budget_is_emptied():
    memo = Memo(limit=3, limits={"rows": 10})
    for key in range(3):
        memo.put("small", key, key)
    memo.put("small", 3, 3)  # the fourth entry: the space starts again
    assert memo.get("small", 0) is None and memo.get("small", 3) == 3
    memo.put("rows", "a", [1] * 6, 6)
    memo.put("rows", "b", [1] * 4, 4)
    assert memo.get("rows", "a") is not None
    memo.put("rows", "c", [1], 1)  # 11 > 10
    assert memo.get("rows", "a") is None and memo.get("rows", "c") == [1]


def test_what_a_forked_solve_adds_goes_back_as_a_delta():
    memo = Memo()
    memo.put("columns", "old", [1, 2], 2)
    memo.mark()
    memo.put("columns", "new", [3], 1)
    memo.space("stage_plans")[(1, 2, 3)] = 4
    delta = pickle.loads(pickle.dumps(memo.delta()))
    assert delta == {"columns": [("new", [3])], "stage_plans": [((1, 2, 3), 4)]}
    keeper = Memo()
    keeper.merge(delta)
    assert keeper.get("columns", "new") == [3] and keeper.space("stage_plans")[(1, 2, 3)] == 4


def test_equal_inputs_have_equal_digests_and_others_differ():
    assert digest({"a": 1}, [2]) == digest({"a": 1}, [2])
    assert digest({"a": 1}, [2]) != digest({"a": 1}, [3])
