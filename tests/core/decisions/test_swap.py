"""What would change the winner (app.core.decisions.swap): the closed-form threshold of
each weight really swaps the top two just beyond it and not just before it."""

import pandas as pd
import pytest

from app.core.decisions.swap import winner_change, winner_sentences
from app.core.indicators.score import Weights, rank_sites, score_sites


def frame_of(use_permitted=(True, True), partial=None):
    frame = pd.DataFrame(
        {
            "startups_n": [900, 100, 50],
            "sector_evenness": [0.5, 0.5, 0.1],
            "education_nearest_m": [900.0, 900.0, 3000.0],
            "station_nearest_m": [1200.0, 100.0, 3000.0],
            "max_gfa_m2": [10_000.0, 10_000.0, 100.0],
            "use_permitted": [*use_permitted, use_permitted[1]],
        },
        index=["North", "South", "Far"],
    )
    score_sites(frame, Weights())
    if partial is not None:
        frame["partial"] = partial
    return frame


def first_site(weights):
    frame = frame_of()
    score_sites(frame, weights)
    rank = rank_sites(frame)
    return rank.idxmin()


def test_each_threshold_swaps_the_top_two():
    frame = frame_of()
    change = winner_change(frame)
    assert (change.first, change.second) == ("North", "South")
    keys = {swap.criterion for swap in change.swaps}
    assert keys == {"startups", "transit"}  # equal values elsewhere: no other weight can
    base = Weights().to_dict()
    for swap in change.swaps:
        step = 1e-3 if swap.raise_ else -1e-3
        beyond = Weights.from_dict({**base, swap.criterion: swap.new_weight + step})
        before = Weights.from_dict({**base, swap.criterion: swap.new_weight - step})
        assert first_site(beyond) == "South"
        assert first_site(before) == "North"


def test_the_sentences_name_the_criterion_and_both_sites():
    change = winner_change(frame_of())
    english = winner_sentences(change)
    assert len(english) == 2
    assert any(s.startswith("Transit access weight from 0.20") for s in english)
    assert any(
        s.startswith("Start-up concentration weight from 0.30 to below 0.29 ") for s in english
    )
    assert all("South ahead of North" in s for s in english)
    korean = winner_sentences(change, {"North": "북쪽", "South": "남쪽"}, "ko")
    assert all("북쪽" in s and "남쪽" in s for s in korean)
    assert korean[0] != english[0]


def test_permission_blocks_any_swap():
    frame = frame_of(use_permitted=(True, False))
    change = winner_change(frame)
    assert change.first == "North" and change.swaps == ()
    sentence = winner_sentences(change)[0]
    assert "permitted" in sentence and "no weight change" in sentence


def test_partial_data_blocks_any_swap():
    change = winner_change(frame_of(partial=[False, True, True]))
    assert "partial" in winner_sentences(change)[0]


def test_one_site_has_no_runner_up():
    assert winner_change(frame_of().iloc[:1]) is None
    assert winner_sentences(None) == []


@pytest.mark.parametrize("language", ["en", "ko"])
def test_no_single_weight_sentence(language):
    frame = frame_of()
    frame.loc["South", ["startups_n", "station_nearest_m"]] = [100, 1300.0]
    score_sites(frame, Weights())
    sentences = winner_sentences(winner_change(frame), language=language)
    assert len(sentences) == 1 and "North" in sentences[0]
