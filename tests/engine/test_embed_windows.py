"""How the semantic backend cuts turns into the embedding model's windows and batches them (pure logic:
no model needed)."""
from __future__ import annotations

from qualcode.engine import embed

CLS, SEP = 101, 102


def test_a_turn_longer_than_the_window_is_split_whole_into_windows():
    ids = list(range(1000, 1600))  # 600 word pieces
    pieces = embed.windows([ids, [7, 8, 9]], CLS, SEP)
    long = [p for i, p in pieces if i == 0]
    assert [len(p) for p in long] == [256, 256, 94]  # 254 + 254 + 92 word pieces, each between [CLS] and [SEP]
    assert all(p[0] == CLS and p[-1] == SEP for p in long)
    assert sum((p[1:-1] for p in long), []) == ids  # every word piece once, in order
    assert pieces[-1] == (1, [CLS, 7, 8, 9, SEP])  # longest first


def test_an_empty_turn_still_gets_one_window():
    assert embed.windows([[]], CLS, SEP) == [(0, [CLS, SEP])]


def test_batches_hold_at_most_the_token_budget_and_keep_every_piece():
    pieces = embed.windows([list(range(n)) for n in (300, 40, 40, 12, 3) * 40], CLS, SEP)
    batches = list(embed.batches(pieces))
    assert sum(batches, []) == pieces
    for b in batches:
        assert len(b) * len(b[0][1]) <= max(embed.BATCH_TOKENS, len(b[0][1]))
        assert len(b) <= embed.BATCH_MAX
