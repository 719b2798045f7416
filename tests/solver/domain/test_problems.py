"""InputError crosses process boundaries whole (the service's preview solves in a process of its own)."""

from __future__ import annotations

import pickle

from solver import InputError, Problem


def test_an_input_error_pickles_with_every_problem():
    error = InputError([Problem("pins.csv", 3, "supporter_id", "not in the roster"), Problem("pins.csv", 2, None, "x")])
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, InputError)
    assert copy.problems == error.problems and str(copy) == str(error)
    assert [p.row for p in copy.problems] == [2, 3]
