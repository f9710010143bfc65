"""The one label pass: no two placed boxes overlap, priorities win, leaders and hiding."""

import numpy as np

from app.core.map import label_placement as lp


def _pairwise_free(boxes):
    hit = lp.overlaps(boxes, boxes)
    np.fill_diagonal(hit, False)
    return not hit.any()


def test_a_pile_of_labels_at_one_point_never_overlaps():
    n = 30
    result = lp.place_labels(
        np.full(n, 200.0), np.full(n, 200.0), 40, 12, gap=4, bounds=(0, 0, 400, 400)
    )
    assert 0 < result.placed.sum() < n  # some fit around the point, the rest are hidden
    assert _pairwise_free(result.drawn_boxes())
    assert np.isnan(result.boxes[~result.placed]).all()


def test_the_first_priority_gets_its_first_choice_and_leaders_make_room():
    # two labels at the same point: the high-priority one (given last) takes "right"
    result = lp.place_labels(
        [100, 100], [100, 100], [30, 30], [10, 10], priority=[5, 0], gap=[2, 2]
    )
    assert result.boxes[1].tolist() == [102, 95, 132, 105]
    assert not np.allclose(result.boxes[0], result.boxes[1])
    # a label boxed in by obstacles on every inner position goes out on a leader line
    walls = lp.candidate_boxes(100, 100, 30, 10, 2, lp.AROUND)
    alone = lp.place_labels([100], [100], [30], [10], gap=[2], obstacles=walls, leader=[False])
    freed = lp.place_labels([100], [100], [30], [10], gap=[2], obstacles=walls, leader=[True])
    assert not alone.placed[0]
    assert freed.placed[0] and freed.leader[0]
    assert not lp.overlaps(freed.boxes, walls).any()


def test_same_key_nearby_is_one_label_and_bounds_are_kept():
    result = lp.place_labels(
        [50, 60, 300], [50, 50, 50], 20, 8, key=[7, 7, 7], bounds=(0, 0, 400, 100)
    )
    assert result.placed.tolist() == [True, False, True]
    edge = lp.place_labels([395], [50], [30], [10], gap=[2], bounds=(0, 0, 400, 100))
    assert edge.placed[0] and edge.boxes[0, 2] <= 400  # flipped to the left of the point


def test_placement_matches_a_brute_force_greedy_reference():
    rng = np.random.default_rng(1)
    n = 120
    x, y = rng.uniform(0, 300, n), rng.uniform(0, 300, n)
    w, h = rng.uniform(10, 40, n), rng.uniform(6, 14, n)
    result = lp.place_labels(x, y, w, h, gap=3, pad=0, bounds=(0, 0, 300, 300))
    placed = []
    for i in range(n):  # the plain loop the numpy pass replaces
        for box in lp.candidate_boxes(x[i], y[i], w[i], h[i], 3, lp.AROUND):
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= 300 and box[3] <= 300
            if inside and all(
                not (box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3])
                for o in placed
            ):
                placed.append(box)
                assert np.allclose(result.boxes[i], box)
                break
        else:
            assert not result.placed[i]
    assert len(placed) == result.placed.sum()
    assert _pairwise_free(result.drawn_boxes())
