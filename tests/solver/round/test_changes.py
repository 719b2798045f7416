"""A re-plan's changes grouped into chains: every changed pair in exactly one chain, and a chain is
connected (each of its pairs shares a party with another of its pairs)."""

from __future__ import annotations

from solver import Kind, PairingRequest, Pin, PinAction, SolveOptions, change_chains, plan_pairs
from tests.factories import ROUND, tiny_roster

OPTIONS = SolveOptions(time_limit_s=10, num_workers=1)


def test_forbidding_a_county_pair_gives_one_chain_that_holds_every_change():
    roster = tiny_roster(capacity={"440303": 2})
    base = plan_pairs(PairingRequest(roster, ROUND, options=OPTIONS))
    pair = next(p for p in base.pairs if p.kind == Kind.COUNTY_COUNTY and p.receiver_id == "441422")
    forbid = Pin(kind=pair.kind, supporter_id=pair.supporter_id, receiver_id=pair.receiver_id, action=PinAction.FORBID)
    replan = plan_pairs(PairingRequest(roster, ROUND, base=base.pairs, pins=[forbid], options=OPTIONS))
    chains = change_chains(base.pairs, replan.pairs)
    changed = {p.key for p in base.pairs if p.kind == Kind.COUNTY_COUNTY} ^ {
        p.key for p in replan.pairs if p.kind == Kind.COUNTY_COUNTY
    }
    assert changed and {p.key for c in chains for p in (*c.removed, *c.added)} == changed
    assert sum(c.size for c in chains) == len(changed)
    first = chains[0]
    assert pair in first.removed and "441422" in first.parties
    for chain in chains:
        for p in (*chain.removed, *chain.added):
            others = [q for q in (*chain.removed, *chain.added) if q is not p]
            assert not others or any({p.supporter_id, p.receiver_id} & {q.supporter_id, q.receiver_id} for q in others)


def test_the_same_plan_has_no_chains():
    roster = tiny_roster()
    plan = plan_pairs(PairingRequest(roster, ROUND, options=OPTIONS))
    assert change_chains(plan.pairs, plan.pairs) == []
