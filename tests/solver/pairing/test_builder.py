"""Column terms shared out over a column's city pairs add up to the column's points, whatever their sign."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from solver.pairing.builder import share_out


@given(
    st.integers(-100_000, 100_000),
    st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 50_000), min_size=1),
)
def test_shares_add_up_to_the_total(total: int, weights: dict[str, int]):
    shares = share_out(total, weights)
    assert sum(shares.values()) == total
    assert set(shares) == set(weights)
    whole = sum(weights.values()) or len(weights)
    for key, share in shares.items():  # each share within one point of its exact part
        exact = total * (weights[key] if sum(weights.values()) else 1) / whole
        assert abs(share - exact) < 1 + 1e-9


def test_a_negative_total_is_shared_in_proportion():
    assert share_out(-7, {"a": 1, "b": 1}) == {"a": -3, "b": -4}  # equal remainders: by key
    assert share_out(-3466, {"x": 3, "y": 1}) == {"x": -2599, "y": -867}
