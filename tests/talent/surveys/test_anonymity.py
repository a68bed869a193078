"""The publishing rule of survey breakdowns: no published figure, nor any sum or
difference of published figures, isolates fewer than the minimum of respondents. Checked
against an attacker who solves for every small set of cells by linear algebra, on crafted
populations and on generated ones."""

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.talent.surveys.anonymity import publishable
from asn_career.talent.surveys.results import build_results
from asn_career.talent.surveys.rules import CAREER_V1, OTHER, rank_group

MIN = 5


def figures_of(labels: Mapping[str, Sequence[str]]) -> list[np.ndarray]:
    breakdowns, overall = publishable(labels, MIN)
    return [overall] + [m for b in breakdowns for m in b.groups.values()]


def recoverable_small_sets(
    labels: Mapping[str, Sequence[str]], figures: list[np.ndarray]
) -> list[list[tuple[str, ...]]]:
    """Every union of (unit, gender, rank) cells with fewer than MIN respondents that some
    linear combination of the published figures equals: what an attacker could isolate."""
    n = len(next(iter(labels.values())))
    keys = [tuple(labels[b][i] for b in labels) for i in range(n)]
    cells = sorted(set(keys))
    counts = np.array([keys.count(c) for c in cells])
    matrix = np.array([[f[[i for i in range(n) if keys[i] == c]].any() for c in cells]
                       for f in figures], dtype=float)  # fmt: skip
    found = []
    small = [k for k in range(len(cells)) if counts[k] < MIN]
    for size in range(1, MIN):
        for combo in combinations(small, size):
            if counts[list(combo)].sum() >= MIN:
                continue
            target = np.zeros(len(cells))
            target[list(combo)] = 1
            coef, *_ = np.linalg.lstsq(matrix.T, target, rcond=None)
            if np.allclose(matrix.T @ coef, target, atol=1e-7):
                found.append([cells[k] for k in combo])
    return found


def test_a_unit_nested_in_a_gender_group_is_not_published_beside_it() -> None:
    # unit A: 6 women; women overall: 7 (one more in B). women − A would be one person.
    unit = ["A"] * 6 + ["B"] * 20
    gender = ["F"] * 7 + ["M"] * 19
    labels = {"unit": unit, "gender": gender, "rank_group": ["III"] * 26}
    figures = figures_of(labels)
    assert recoverable_small_sets(labels, figures) == []
    sizes = {int(f.sum()) for f in figures}
    assert not ({6, 7} <= sizes)


def test_three_figures_cannot_isolate_a_cell_either() -> None:
    # A∩F = 2 people; no man outside A: A + F − everyone = A∩F.
    unit = ["A"] * 12 + ["B"] * 10
    gender = ["F", "F"] + ["M"] * 10 + ["F"] * 10
    labels = {"unit": unit, "gender": gender, "rank_group": ["III"] * 22}
    naive = [np.ones(22, bool), np.array(unit) == "A", np.array(unit) == "B",
             np.array(gender) == "F", np.array(gender) == "M"]  # fmt: skip
    assert recoverable_small_sets(labels, naive)  # publishing every group of ≥5 leaks
    figures = figures_of(labels)
    assert recoverable_small_sets(labels, figures) == []


def test_small_groups_are_merged_and_a_small_other_takes_the_next_smallest() -> None:
    unit = ["A"] * 10 + ["B"] * 7 + ["C"] * 3
    labels = {"unit": unit, "gender": ["M"] * 20, "rank_group": ["III"] * 20}
    breakdowns, _ = publishable(labels, MIN)
    units = next(b for b in breakdowns if b.name == "unit")
    sizes = {k: int(m.sum()) for k, m in units.groups.items()}
    assert sizes == {"A": 10, OTHER: 10}  # C (3) alone is too small: B joins it
    gender = next(b for b in breakdowns if b.name == "gender")
    assert gender.dropped and not gender.groups  # one group says nothing new


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("ABCD"), st.sampled_from("MF"), st.sampled_from(["II", "III", "IV"])
        ),
        min_size=5,
        max_size=40,
    )
)
def test_no_combination_of_published_figures_isolates_a_small_set(
    people: list[tuple[str, str, str]],
) -> None:
    labels = {
        "unit": [p[0] for p in people],
        "gender": [p[1] for p in people],
        "rank_group": [p[2] for p in people],
    }
    figures = figures_of(labels)
    for f in figures:
        assert f.sum() >= MIN
    assert recoverable_small_sets(labels, figures) == []


def test_results_never_show_a_group_below_the_minimum_nor_comments_of_few() -> None:
    scores = np.array([[1 + (n + k) % 5 for k in range(7)] for n in range(12)], dtype=np.int64)
    labels = {"unit": ["A"] * 8 + ["B"] * 4, "gender": ["M", "F"] * 6,
              "rank_group": ["III"] * 12}  # fmt: skip
    body = build_results(CAREER_V1, scores, labels, {}, ["satu", "dua"], MIN)
    for b in body["breakdowns"]:
        assert all(g["respondents"] >= MIN for g in b["groups"])
    assert body["comments"] == [] and body["comments_withheld"] == 2


def test_rank_group() -> None:
    assert rank_group("III/b", "pns") == "III"
    assert rank_group("IX", "pppk") == "PPPK"
    assert rank_group(None, "pns") == "unknown"
