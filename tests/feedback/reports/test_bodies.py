"""What to develop next, and the level a calibrated mean becomes."""

from typing import Any

import pytest

from asn_career.feedback.reports.bodies import develop_next, level_of


@pytest.mark.parametrize(
    ("mean", "level"), [(0.7, 1), (2.49, 2), (2.5, 3), (3.5, 4), (4.51, 5), (5.4, 5)]
)
def test_a_calibrated_mean_becomes_a_level_rounded_half_up(mean: float, level: int) -> None:
    assert level_of(mean) == level


def dimension(code: str, kind: str, others: float | None, **extra: Any) -> dict[str, Any]:
    return {
        "code": code, "kind": kind, "name_id": f"Nama {code}", "name_en": f"Name {code}",
        "required_level": None, "others_calibrated_mean": others, "self_mean": None,
        "self_minus_others": None, "flag": None, **extra,
    }  # fmt: skip


def test_below_the_required_level_comes_first_then_blind_spots_then_the_lowest() -> None:
    dimensions = [
        dimension("M.1", "competency", 2.4, required_level=3),  # level 2 < 3
        dimension("M.2", "competency", 2.2, required_level=4),  # level 2 < 4: larger gap
        dimension("BA.1", "value", 3.1, self_mean=4.5, self_minus_others=1.4, flag="blind_spot"),
        dimension("BA.2", "value", 2.9),
        dimension("BA.3", "value", None),  # nobody else rated it
    ]
    suggestions = develop_next(dimensions)
    assert [(s["dimension_code"], s["reason"]) for s in suggestions] == [
        ("M.2", "below_required_level"),
        ("M.1", "below_required_level"),
        ("BA.1", "blind_spot"),
    ]
    m2 = suggestions[0]
    assert m2["detail_id"] == (
        "Penilai lain menilai kompetensi Nama M.2 Anda rata-rata 2,20 setelah kalibrasi, "
        "setara level 2, sedangkan jabatan Anda mensyaratkan level 4. Jadikan kompetensi ini "
        "prioritas pengembangan, misalnya melalui pelatihan, coaching, atau penugasan yang "
        "relevan."
    )
    assert "2.20" in m2["detail_en"] and "level 4" in m2["detail_en"]


def test_the_lowest_rated_fill_up_to_three() -> None:
    dimensions = [dimension(f"BA.{n}", "value", 3.0 + n / 10) for n in range(1, 6)]
    suggestions = develop_next(dimensions)
    assert [s["dimension_code"] for s in suggestions] == ["BA.1", "BA.2", "BA.3"]
    assert {s["reason"] for s in suggestions} == {"lowest_rated"}
    assert suggestions[0]["detail_id"].startswith("Aspek Nama BA.1 termasuk yang paling rendah")
    assert "3,10" in suggestions[0]["detail_id"]


def test_nothing_to_suggest_without_others() -> None:
    assert develop_next([dimension("M.1", "competency", None, required_level=3)]) == []
