"""The grouping rules, and the invariants that make every report safe to difference, on
random cycles (no database: ``analysis`` and ``bodies`` are pure).

The invariants: an anonymous figure (a group, ``other``, an item, ``overall``'s parts) is
built from at least the minimum of raters or not shown; a dimension's figure is exactly the
pool of its shown item figures; ``overall`` is exactly the pool of the shown groups other
than self. So any sum or difference of figures a reader may form is a sum of shown cells,
and none isolates fewer than the minimum of raters.
"""

import uuid
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_career.feedback.reports import anonymity
from asn_career.feedback.reports.analysis import (
    STATUS_CODES,
    CycleData,
    CycleInfo,
    Dimension,
    Item,
    SubjectInfo,
    analyse,
)
from asn_career.feedback.reports.anonymity import OTHER, SUPPRESSED, display_groups
from asn_career.feedback.reports.bodies import BodyBuilder
from asn_career.feedback.reports.schemas import ReportOut
from asn_career.feedback.reports.service import body_json
from asn_career.feedback.rules import RELATIONSHIPS

MIN = 3


def test_display_groups_by_hand() -> None:
    """Counts per relationship: self, supervisor, peer, subordinate, public."""
    responded = np.array(
        [
            [1, 1, 4, 0, 2],  # public 2 < 3, alone in other: suppressed
            [1, 1, 2, 0, 1],  # peer 2 + public 1 = other of 3: shown
            [0, 1, 3, 3, 3],  # every group shown on its own
            [1, 0, 1, 1, 0],  # other of 2: suppressed
        ]
    )
    expected = [
        [0, 1, 2, SUPPRESSED, SUPPRESSED],
        [0, 1, OTHER, SUPPRESSED, OTHER],
        [0, 1, 2, 3, 4],
        [0, 1, SUPPRESSED, SUPPRESSED, SUPPRESSED],
    ]
    assert display_groups(responded, MIN).tolist() == expected
    assert anonymity.merged_into_other(responded, MIN).tolist() == [True, True, False, True]


def test_a_larger_minimum_merges_more() -> None:
    assert display_groups(np.array([[1, 1, 4, 4, 0]]), 5).tolist() == [
        [0, 1, OTHER, OTHER, SUPPRESSED]
    ]


# --- random cycles ------------------------------------------------------------------------

ITEM_DIMS = (0, 0, 0, 1, 2)
"""Five items: three of the first dimension (so "not observed" can split it), one each."""


@st.composite
def cycles(draw: st.DrawFn) -> CycleData:
    subjects = draw(st.integers(1, 4))
    staff = 8
    request_subject: list[int] = []
    request_rater: list[int] = []
    relationship: list[int] = []
    status: list[int] = []
    score_request: list[int] = []
    score_item: list[int] = []
    score: list[int] = []
    comment_request: list[int] = []
    comment_item: list[int] = []
    comment_text: list[str] = []
    next_public = staff
    for s in range(subjects):
        sizes = (
            draw(st.integers(0, 1)),
            draw(st.integers(0, 1)),
            draw(st.integers(0, 5)),
            draw(st.integers(0, 4)),
            draw(st.integers(0, 4)),
        )
        for r, size in enumerate(sizes):
            others = [k for k in range(staff) if k != s]
            raters = [s] if r == 0 else draw(st.permutations(others))[:size]
            for rater in raters[:size]:
                if r == 4:
                    rater, next_public = next_public, next_public + 1
                q = len(request_subject)
                state = draw(st.sampled_from(["submitted"] * 4 + ["declined", "pending"]))
                request_subject.append(s)
                request_rater.append(rater)
                relationship.append(r)
                status.append(STATUS_CODES[state])
                if state != "submitted":
                    continue
                for i in range(len(ITEM_DIMS)):
                    value = draw(st.one_of(st.none(), st.integers(1, 5), st.integers(1, 5)))
                    if value is not None:
                        score_request.append(q)
                        score_item.append(i)
                        score.append(value)
                if draw(st.booleans()):
                    comment_request.append(q)
                    comment_item.append(0)
                    comment_text.append(f"komentar {q}")

    def ints(values: list[int]) -> Any:
        return np.asarray(values, dtype=np.int64)

    return CycleData(
        cycle=CycleInfo(uuid.uuid4(), "Uji", "36.74", "closed", MIN, 1.0, None),
        items=[Item(f"I{i}", d, f"Butir {i}", f"Item {i}") for i, d in enumerate(ITEM_DIMS)],
        dimensions=[
            Dimension("competency", "M.1", "Integritas", "Integrity"),
            Dimension("competency", "M.2", "Kerjasama", "Teamwork"),
            Dimension("value", "BA.1", "Berorientasi Pelayanan", "Service oriented"),
        ],
        subjects=[
            SubjectInfo(uuid.uuid4(), f"19800101200501100{s}", f"Pegawai {s}", None, None, None)
            for s in range(subjects)
        ],
        required=np.tile(np.array([3, 4, 0]), (subjects, 1)),
        request_subject=ints(request_subject),
        request_rater=ints(request_rater),
        request_relationship=ints(relationship),
        request_status=ints(status),
        score_request=ints(score_request),
        score_item=ints(score_item),
        score=ints(score),
        comment_request=ints(comment_request),
        comment_item=ints(comment_item),
        comment_text=comment_text,
    )


@settings(max_examples=150, deadline=None)
@given(cycles())
def test_no_figure_isolates_fewer_than_the_minimum(data: CycleData) -> None:
    a = analyse(data)
    anon = list(anonymity.ANONYMOUS_SHOWN)
    item_n = a.items.count[:, :, anon]
    assert ((item_n == 0) | (item_n >= MIN)).all()
    dim_n = a.dimensions.count[:, :, anon]
    assert ((dim_n == 0) | (dim_n >= MIN)).all()

    # A dimension's figure pools exactly its shown items' figures.
    one_hot = np.eye(3)[list(ITEM_DIMS)]
    item_total = np.nan_to_num(a.items.mean) * a.items.count
    pooled = np.einsum("sig,id->sdg", item_total, one_hot)
    dim_total = np.nan_to_num(a.dimensions.mean) * a.dimension_scores
    assert dim_total == pytest.approx(pooled, abs=1e-9)
    assert a.dimension_scores == pytest.approx(np.einsum("sig,id->sdg", a.items.count, one_hot))

    # Overall pools exactly the shown groups other than self: nothing is left to subtract.
    not_self = list(anonymity.NOT_SELF)
    scores = a.dimension_scores[:, :, not_self].sum(axis=2)
    overall_total = np.nan_to_num(a.dimension_overall.mean) * scores
    assert overall_total == pytest.approx(dim_total[:, :, not_self].sum(axis=2), abs=1e-9)

    # ... and is what the raw data give when suppressed responses are left out.
    group = a.request_group[data.score_request]
    kept = (group > anonymity.SELF) & a.item_shown[
        data.request_subject[data.score_request], data.score_item, np.maximum(group, 0)
    ]
    expected = np.zeros(len(data.subjects))
    np.add.at(expected, data.request_subject[data.score_request][kept], data.score[kept])
    assert np.nan_to_num(a.overall.mean) * scores.sum(axis=1) == pytest.approx(expected)


@settings(max_examples=100, deadline=None)
@given(cycles())
def test_bodies_keep_the_contract_and_the_threshold(data: CycleData) -> None:
    a = analyse(data)
    builder = BodyBuilder(a)
    for s, body in builder.bodies(None):
        report = ReportOut.model_validate_json(body_json(body))
        figures = [report.overall]
        for dimension in report.dimensions:
            figures += dimension.groups
            for item in dimension.items:
                figures += item.groups
        for figure in figures:
            if figure.group in ("peer", "subordinate", "public", "other") and not figure.suppressed:
                assert figure.n is not None and figure.n >= MIN
            if figure.suppressed:
                assert figure.n is None and figure.mean is None
        for response in report.responses:
            if response.shown_as != response.group:
                assert response.responded is None  # merged or suppressed: size hidden
        for comment in report.comments:
            if comment.group in ("peer", "subordinate", "public", "other"):
                assert comment.group in {r.shown_as for r in report.responses}
        assert [c.text for c in report.comments] == [
            c.text
            for c in sorted(
                report.comments,
                key=lambda c: (
                    ("self", "supervisor", "peer", "subordinate", "public", "other").index(c.group),
                    c.dimension_code or "",
                    c.text,
                ),
            )
        ]
        assert report.preview is True
        assert report.subject.nip == data.subjects[s].nip


@settings(max_examples=50, deadline=None)
@given(cycles())
def test_one_subjects_body_is_the_same_built_alone(data: CycleData) -> None:
    a = analyse(data)
    everyone = {s: body_json(body) for s, body in BodyBuilder(a).bodies(None)}
    for s in range(len(data.subjects)):
        alone = BodyBuilder(a, only=[s]).body(s, preview=True, published_at=None)
        assert body_json(alone) == everyone[s]


def test_relationship_order_matches_the_rules() -> None:
    assert anonymity.GROUPS[: len(RELATIONSHIPS)] == RELATIONSHIPS
