"""The pure talent rules: a worked example for every scoring band of every dimension of the
professionalism index (PermenPANRB 38/2018), the categories, the 9-box axes, and the charts
(valid SVG that fpdf2 embeds)."""

import io
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from fpdf import FPDF

from asn_career.core.pdf import add_fonts
from asn_career.talent import charts, rules


@pytest.mark.parametrize(
    ("level", "points"),
    [
        ("S3", 25),
        ("S2", 20),
        ("S1", 15),
        ("D4", 15),
        ("D3", 10),
        ("D2", 5),
        ("D1", 5),
        ("SMA", 5),
        ("SMP", 1),
        ("SD", 1),
        (None, 0),
    ],
)
def test_qualification_bands(level: str | None, points: int) -> None:
    assert rules.qualification_points(level) == points


@pytest.mark.parametrize(
    ("score", "predicate", "points"),
    [
        (100, None, 30),
        (91, None, 30),
        (90.5, None, 30),  # 91–100
        (90, None, 25),
        (76, None, 25),  # 76–90
        (75, None, 15),
        (61, None, 15),  # 61–75
        (60, None, 5),
        (51, None, 5),  # 51–60
        (50, None, 1),
        (0, None, 1),  # ≤ 50
        (None, "sangat_baik", 30),
        (None, "baik", 25),
        (None, "butuh_perbaikan", 15),
        (None, "kurang", 5),
        (None, "sangat_kurang", 1),  # no score: the predicate's band
        (None, None, 0),  # no SKP: missing
        (Decimal("88.00"), "sangat_baik", 25),  # the score wins over the predicate
    ],
)
def test_performance_bands(score: float | None, predicate: str | None, points: int) -> None:
    assert rules.performance_points(score, predicate) == points


@pytest.mark.parametrize(
    ("severities", "points"),
    [
        ([], 5),
        (["light"], 3),
        (["medium"], 2),
        (["severe"], 1),
        (["light", "severe", "medium"], 1),
        (["light", "medium"], 2),
    ],
)
def test_discipline_bands(severities: list[str], points: int) -> None:
    assert rules.discipline_points(severities) == points


@pytest.mark.parametrize(
    ("total", "category"),
    [
        (100, "sangat_tinggi"),
        (91, "sangat_tinggi"),
        (90, "tinggi"),
        (81, "tinggi"),
        (80, "sedang"),
        (71, "sedang"),
        (70, "rendah"),
        (61, "rendah"),
        (60, "sangat_rendah"),
        (0, "sangat_rendah"),
    ],
)
def test_categories(total: int, category: str) -> None:
    assert rules.category(total) == category


KIND_CASES = [
    # kind, leadership, functional, technical JP, seminars → (lead, func, tech, seminar)
    ("administrator", True, False, 20, 1, (15, 0, 15, 10)),  # the full 40
    ("administrator", False, False, 19.5, 0, (0, 0, 0, 0)),  # under 20 JP, no seminar
    ("pengawas", True, True, 0, 2, (15, 0, 0, 10)),  # functional does not count here
    ("jpt_pratama", True, False, 24, 0, (15, 0, 15, 0)),
    ("fungsional", False, True, 20, 1, (0, 15, 15, 10)),  # the full 40
    ("fungsional", True, False, 0, 1, (0, 0, 0, 10)),  # leadership does not count here
    ("pelaksana", True, True, 20, 1, (0, 0, 15, 25)),  # the seminar part is the rest: 25
    ("pelaksana", False, False, 0, 3, (0, 0, 0, 25)),
    (None, False, False, 40, 0, (0, 0, 15, 0)),  # no position: as pelaksana
]


@pytest.mark.parametrize(("kind", "lead", "func", "jp", "seminars", "parts"), KIND_CASES)
def test_competency_parts(
    kind: str | None, lead: bool, func: bool, jp: float, seminars: int, parts: tuple[int, ...]
) -> None:
    got = rules.competency_parts(
        kind, leadership=lead, functional=func, technical_jp=jp, seminars=seminars
    )
    assert (got.leadership, got.functional, got.technical, got.seminar) == parts
    assert got.total <= rules.COMPETENCY_MAX


@pytest.mark.parametrize(
    ("title", "kind", "leadership"),
    [
        ("Pelatihan Kepemimpinan Nasional Tingkat II", "jpt_pratama", True),
        ("Pelatihan Kepemimpinan Nasional Tingkat II", "administrator", False),
        ("Pelatihan Kepemimpinan Nasional Tingkat I", "jpt_madya", True),
        ("Pelatihan Kepemimpinan Nasional Tingkat II", "jpt_madya", False),
        ("Pelatihan Kepemimpinan Administrator (PKA) Angkatan V", "administrator", True),
        ("PKA Angkatan 3", "administrator", True),
        ("Pelatihan Kepemimpinan Pengawas", "pengawas", True),
        ("Diklatpim Tingkat IV", "pengawas", True),
        ("Diklatpim Tingkat III", "pengawas", False),
        ("Coaching Kepemimpinan Transformasional", "pengawas", False),
        ("Pelatihan Kepemimpinan Pengawas", "pelaksana", False),
    ],
)
def test_leadership_training_matches_the_position(title: str, kind: str, leadership: bool) -> None:
    assert rules.is_leadership_training(title, kind) is leadership


def test_a_worked_employee() -> None:
    """An administrator with S2, PKA, 24 JP technical training and a seminar in the last two
    years, SKP 88 and a light sanction four years ago: 20 + 40 + 25 + 3 = 88, Tinggi."""
    result = rules.professionalism_index(
        year=2025,
        position_kind="administrator",
        education=[("S1", 2005), ("S2", 2012), ("S3", 2030)],
        trainings=[
            ("Pelatihan Kepemimpinan Administrator", "training", 300, date(2019, 5, 1)),
            ("Pelatihan Pengadaan Barang/Jasa", "training", 24, date(2024, 3, 1)),
            ("Pelatihan Arsitektur SPBE", "training", 30, date(2023, 12, 31)),  # too old
            ("Seminar Nasional Reformasi Birokrasi", "seminar", 4, date(2025, 2, 1)),
        ],
        annual=(88.0, "baik"),
        sanctions=[("light", date(2021, 1, 1)), ("severe", date(2020, 12, 31))],
    )
    assert result.qualification == 20
    assert result.competency == rules.CompetencyParts(15, 0, 15, 10)
    assert (result.performance, result.discipline) == (25, 3)
    assert result.total == 88 and result.category == "tinggi" and result.missing == ()


def test_nine_box_axes() -> None:
    policy = rules.DEFAULT_POLICY
    assert rules.performance_level(["sangat_baik", "baik"], "latest") == 3
    assert rules.performance_level(["sangat_baik", "baik"], "two_year_average") == Decimal("2.5")
    assert rules.performance_level(["baik", None], "two_year_average") == 2
    assert rules.performance_level([None, "baik"], "two_year_average") is None
    assert rules.performance_axis(Decimal("2.5")) == "above"
    assert rules.performance_axis(Decimal("1.5")) == "as_expected"
    assert rules.performance_axis(Decimal("1")) == "below"
    assert rules.potential_score(0.75, 1.0, policy) == pytest.approx(82.5)
    assert rules.potential_score(None, 0.5, policy) == pytest.approx(50)
    assert rules.potential_score(None, None, policy) is None
    only = rules.Policy(calibrated_sources=("assessment_center",))
    assert rules.potential_score(0.75, 1.0, only) == pytest.approx(75)
    assert rules.potential_band(90.0, policy) == "high"
    assert rules.potential_band(89.99, policy) == "medium"
    assert rules.potential_band(69.99, policy) == "low"
    no_box = rules.nine_box(
        has_position=True,
        predicates=["baik"],
        has_requirements=True,
        competency=None,
        feedback=None,
        policy=policy,
    )
    assert no_box.box is None and no_box.reason == "no_potential_data"


def _svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - built here
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_charts_are_svg_that_a_pdf_embeds() -> None:
    grid = charts.nine_box_svg({9: 3, 1: 1}, title="Sembilan kotak — 2025", no_box=2)
    texts = _svg_texts(grid)
    assert [f"Kotak {n}" for n in (6, 8, 9, 3, 5, 7, 1, 2, 4)] == [
        t for t in texts if t.startswith("Kotak")
    ]
    assert "75,0%" in texts and "Di atas ekspektasi" in texts and "Potensial" in texts
    assert any("2 pegawai tanpa kotak" in t for t in texts)
    bars = charts.category_distribution_svg(
        {"tinggi": 2, "sedang": 2}, title="Indeks <ASN> & co", mean=80.5
    )
    texts = _svg_texts(bars)
    assert "Indeks <ASN> & co" in texts and "2 (50,0%)" in texts
    assert any("rata-rata indeks 80,50" in t for t in texts)
    pdf = FPDF()
    add_fonts(pdf)
    pdf.add_page()
    pdf.image(io.BytesIO(grid), x=15, y=15, w=120)
    pdf.image(io.BytesIO(bars), x=15, y=160, w=120)
    assert bytes(pdf.output()).startswith(b"%PDF")
    assert charts.wants_svg(None, "image/svg+xml, */*") and not charts.wants_svg(None, "*/*")
    assert charts.wants_svg("svg", None) and not charts.wants_svg("json", "image/svg+xml")
