"""The printable report: a valid A4 PDF in both languages, made only of the report's own
figures; a suppressed group's numbers never reach the page, even when a malformed report
carries them.

The text is checked through a spy on fpdf2's ``normalize_text``, which every text-drawing
call (``cell``, ``multi_cell``, ``write``, ``text``, table cells) goes through; the bars
through a spy on matplotlib's ``Axes.barh``. No PDF reader is needed.
"""

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import get_args

import matplotlib
import pytest
from fpdf import FPDF
from matplotlib.axes import Axes

from asn_career.core.pdf import FONT_FILES, long_date
from asn_career.feedback.reports.pdf import LABELS, render_report_pdf
from asn_career.feedback.reports.schemas import (
    Agreement,
    Comment,
    GroupFigure,
    ReportOut,
    ReportSubject,
    ResponseCount,
)
from tests.feedback.reports.report_samples import SHAPES, build_report

PAGE = re.compile(rb"/Type /Page\b(?!s)")


class Spy:
    """Every text the renderer draws, and the bars of every chart."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.bars: list[float] = []

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    found = Spy()
    normalize = FPDF.normalize_text
    barh = Axes.barh

    def recording_normalize(self: FPDF, text: str) -> str:
        found.texts.append(text)
        return normalize(self, text)

    def recording_barh(self: Axes, y: object, width: list[float], *args: object, **kw: object):  # type: ignore[no-untyped-def]
        found.bars.extend(width)
        return barh(self, y, width, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(FPDF, "normalize_text", recording_normalize)
    monkeypatch.setattr(Axes, "barh", recording_barh)
    return found


def pages(document: bytes) -> int:
    return len(PAGE.findall(document))


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_renders_as_an_a4_pdf_with_its_own_font(shape: str, language: str) -> None:
    document = render_report_pdf(build_report(shape), language)  # type: ignore[arg-type]
    assert document.startswith(b"%PDF-1.")
    assert document.rstrip().endswith(b"%%EOF")
    assert 2 <= pages(document) <= 6
    assert 15_000 < len(document) < 400_000
    assert b"DejaVuSans" in document  # embedded: no system font is asked for
    assert b"/MediaBox [0 0 595.28 841.89]" in document  # A4


@pytest.mark.parametrize("band", [*get_args(Agreement), None])
def test_every_agreement_band_of_the_reports_renders(band: Agreement | None) -> None:
    """The PDF has words for every band the statistics can give (a band it lacked once
    made a published report a 500)."""
    report = build_report("full")
    dimensions = [d.model_copy(update={"agreement": band}) for d in report.dimensions]
    for language in ("id", "en"):
        document = render_report_pdf(report.model_copy(update={"dimensions": dimensions}), language)
        assert document.startswith(b"%PDF-1.")


def test_fonts_are_the_ones_matplotlib_ships() -> None:
    data = Path(matplotlib.get_data_path()).resolve()
    for path in FONT_FILES.values():
        assert path.is_file()
        assert data in path.resolve().parents


def test_same_report_gives_the_same_bytes_dated_at_publication() -> None:
    report = build_report("full")
    first = render_report_pdf(report, "id")
    assert render_report_pdf(report, "id") == first
    assert b"/CreationDate (D:20261215020000Z)" in first
    assert render_report_pdf(report, "en") != first


def test_indonesian_report_reads_in_indonesian(spy: Spy) -> None:
    report = build_report("full")
    render_report_pdf(report, "id", agency_name="Kota Tangerang Selatan")
    text = spy.text
    for expected in (
        "Laporan Umpan Balik 360°",
        "Dewi Kartika Sari, S.E., M.Si.",
        "198503122010012004",
        "Kepala Subbagian Umum dan Kepegawaian",
        "Sekretariat Dinas Komunikasi dan Informatika",
        "Kota Tangerang Selatan (36.74)",
        "15 Desember 2026",
        "Cara membaca laporan ini",
        "Siapa yang menilai",
        "Rekan kerja (n=4)",
        "Masyarakat (n=6)",
        "standar: tingkat 3",
        "Diri sendiri dibandingkan orang lain",
        "Titik buta",
        "Kekuatan tersembunyi",
        "Komentar",
        "Yang perlu dikembangkan",
        "M.8  Pengambilan Keputusan",
        "M.2  Kerja Sama",
        "Di bawah standar jabatan",
        "Halaman",
    ):
        assert expected in text, expected
    assert "PRATINJAU" not in text
    # Indonesian decimals: a comma, and a true minus sign for a negative gap.
    m3 = next(d for d in report.dimensions if d.code == "M.3")
    assert f"{m3.self_mean:.2f}".replace(".", ",") in spy.texts
    ba7 = next(d for d in report.dimensions if d.code == "BA.7")
    assert ba7.self_minus_others is not None and ba7.self_minus_others < 0
    assert "−" + f"{-ba7.self_minus_others:.2f}".replace(".", ",") in spy.texts
    # Every comment, without a word about who wrote it.
    for comment in report.comments:
        assert comment.text in text


def test_english_report_uses_the_english_labels(spy: Spy) -> None:
    report = build_report("full")
    render_report_pdf(report, "en")
    text = spy.text
    for expected in (
        "360° Feedback Report",
        "How to read this report",
        "What to develop next",
        "Blind spot",
        "Hidden strength",
        "15 December 2026",
        "M.8  Decision making",
        "Peers (n=4)",
        "Page",
    ):
        assert expected in text, expected
    assert "Yang perlu dikembangkan" not in text
    m3 = next(d for d in report.dimensions if d.code == "M.3")
    assert f"{m3.self_mean:.2f}" in spy.texts


def test_a_preview_is_marked_on_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    text = FPDF.text

    def recording_text(self: FPDF, x: float, y: float, txt: str = "") -> None:
        drawn.append(txt)
        text(self, x, y, txt)

    monkeypatch.setattr(FPDF, "text", recording_text)
    report = build_report("full", preview=True)
    for language, mark in (("id", "PRATINJAU"), ("en", "PREVIEW")):
        drawn.clear()
        document = render_report_pdf(report, language)  # type: ignore[arg-type]
        assert drawn.count(mark) == pages(document) > 1
    drawn.clear()
    render_report_pdf(build_report("full"), "id")
    assert "PRATINJAU" not in drawn


def test_a_preview_says_it_is_not_published(spy: Spy) -> None:
    render_report_pdf(build_report("full", preview=True), "id")
    assert "Belum diterbitkan" in spy.texts
    assert "PRATINJAU untuk pengelola SDM" in spy.text


def test_every_shown_group_has_a_bar_and_no_suppressed_one_does(spy: Spy) -> None:
    for shape in SHAPES:
        report = build_report(shape)
        spy.bars.clear()
        render_report_pdf(report, "id")
        shown = sum(
            1
            for d in report.dimensions
            for g in d.groups
            if not g.suppressed and g.group != "overall"
        )
        assert len(spy.bars) == shown, shape


DISTINCT = GroupFigure(
    group="other", suppressed=True, n=7, mean=1.37, sd=0.83, calibrated_mean=1.29
)
"""Numbers no figure of the sample has, put where a suppressed group has none."""


def _leaky(report: ReportOut, figure: GroupFigure) -> ReportOut:
    """The report with ``figure`` in place of every ``other`` group of its dimensions and
    items, and its suppressed response counts claiming 7 responses."""

    def swap(groups: list[GroupFigure]) -> list[GroupFigure]:
        return [figure if g.group == "other" else g for g in groups]

    return report.model_copy(
        update={
            "dimensions": [
                d.model_copy(
                    update={
                        "groups": swap(d.groups),
                        "items": [i.model_copy(update={"groups": swap(i.groups)}) for i in d.items],
                    }
                )
                for d in report.dimensions
            ],
            "responses": [
                r.model_copy(update={"responded": 7}) if r.shown_as == "suppressed" else r
                for r in report.responses
            ],
        }
    )


def _printed(spy: Spy, value: float) -> bool:
    forms = {f"{value:.2f}", f"{value:.2f}".replace(".", ","), f"{value:g}"}
    return any(form in text for text in spy.texts for form in forms)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_suppressed_groups_numbers_never_reach_the_page(spy: Spy, language: str) -> None:
    report = build_report("sparse")
    assert all(
        g.n is None and g.mean is None
        for d in report.dimensions
        for g in d.groups
        if g.group == "other"
    )
    render_report_pdf(_leaky(report, DISTINCT), language)  # type: ignore[arg-type]
    bars = list(spy.bars)
    for value in (DISTINCT.mean, DISTINCT.sd, DISTINCT.calibrated_mean):
        assert value is not None and not _printed(spy, value), value
    assert not any("n=7" in text for text in spy.texts)
    assert "7" not in spy.texts  # the suppressed response count
    suppressed = LABELS["suppressed"][language]  # type: ignore[index]
    assert spy.texts.count(suppressed) >= len(report.dimensions)
    assert len(bars) == 2 * len(report.dimensions)  # self and supervisor only

    # The spy sees such numbers when a group is shown: the checks above can fail.
    spy.texts.clear()
    spy.bars.clear()
    shown = DISTINCT.model_copy(update={"suppressed": False})
    render_report_pdf(_leaky(report, shown), language)  # type: ignore[arg-type]
    assert DISTINCT.mean is not None and _printed(spy, DISTINCT.mean)
    assert any("n=7" in text for text in spy.texts)
    assert len(spy.bars) == 3 * len(report.dimensions)


def test_a_suppressed_overall_prints_no_overall_figure(spy: Spy) -> None:
    report = build_report("sparse")
    hidden = report.model_copy(
        update={"overall": GroupFigure(group="overall", suppressed=True, n=9, mean=1.41)}
    )
    render_report_pdf(hidden, "id")
    assert not _printed(spy, 1.41)
    assert "Belum ada penilaian orang lain yang dapat ditampilkan." in spy.texts


def test_awkward_text_is_printed_as_written_and_wraps(spy: Spy) -> None:
    long_unit = "Bidang Pengelolaan Informasi Administrasi Kependudukan dan Pemanfaatan Data " * 3
    report = build_report(
        "merged",
        cycle_name="Umpan Balik 360° – Semester I, ambang ≥ 3 penilai",
        subject=ReportSubject(
            nip="199001152019032002",
            name="Prof. Dr. Ir. Ni Luh Putu Ayu Sri Wahyuningsih Kusumawardhani, S.T., M.T.",
            position_title=None,
            unit_name=long_unit.strip(),
        ),
    )
    comment = "**bukan tebal** <b>bukan HTML</b> =SUM(A1) " + "kalimat yang panjang " * 60
    report = report.model_copy(
        update={
            "comments": [
                Comment(group="other", dimension_code=None, text=comment),
                Comment(group="supervisor", dimension_code="X.9", text="Kode tak dikenal."),
            ]
        }
    )
    document = render_report_pdf(report, "id")
    assert 2 <= pages(document) <= 6
    text = spy.text
    assert "Umpan Balik 360° – Semester I, ambang ≥ 3 penilai" in text
    assert comment in text
    assert "X.9" in text


def test_a_report_with_nothing_to_show_still_renders(spy: Spy) -> None:
    report = ReportOut(
        cycle_id=build_report().cycle_id,
        cycle_name="Umpan Balik 360° Tahun 2026",
        agency_code="36.74",
        subject=ReportSubject(nip="198503122010012004", name="Dewi", position_title=None,
                              unit_name=None),
        preview=False,
        published_at=datetime(2026, 12, 15, 2, 0, tzinfo=UTC),
        min_group_size=3,
        blind_spot_threshold=0.5,
        responses=[ResponseCount(group="peer", invited=3, responded=None, shown_as="suppressed")],
        overall=GroupFigure(group="overall", suppressed=True),
        overall_rwg=None,
        dimensions=[],
        blind_spots=[],
        hidden_strengths=[],
        comments=[],
        develop_next=[],
    )  # fmt: skip
    document = render_report_pdf(report, "id")
    assert pages(document) == 1
    assert "Tidak ada komentar yang dapat ditampilkan." in spy.texts
    assert "Tidak ada prioritas pengembangan yang menonjol dari siklus ini." in spy.texts
    assert "lebih dari 0,5 poin" in spy.text


def test_every_label_has_both_languages() -> None:
    for key, texts in LABELS.items():
        assert set(texts) == {"id", "en"}, key
        assert all(text.strip() for text in texts.values()), key
    assert long_date(date(2026, 12, 1)) == "1 Desember 2026"
    assert long_date(date(2026, 12, 1), "en") == "1 December 2026"
