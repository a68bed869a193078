"""One person's 360° report as a printable A4 PDF, in Indonesian or English.

``render_report_pdf(report, language)`` turns a ``ReportOut`` (the frozen report of
``schemas.py``) into PDF bytes. Pure: no I/O besides reading two fonts that ship with
matplotlib, no database, no network.

What it prints, in order: the header (agency, cycle, the subject's name, NIP, position and
unit, the publication date, or a PRATINJAU/PREVIEW watermark on every page of HR's
preview); how to read the report; who rated (response counts per group); a bar chart per
dimension with a bar per shown group on the 1–5 scale, the calibrated mean and the level
the position requires; self against others with the gap, blind spots and hidden
strengths, and the raters' agreement in words; comments by group, unattributed; and what
to develop next.

Anonymity: the renderer prints only figures present in the report, which by construction
has none for a suppressed group. As a second guard it drops whatever a suppressed group
might carry (``_without_suppressed``) before anything is drawn, so a malformed report
cannot leak a suppressed figure either.

How it draws: fpdf2 lays out the pages and writes every piece of text (vector text in
DejaVu Sans, so "°", "–", "≥" and Indonesian names render and the PDF stays searchable);
matplotlib (a bare ``Figure``, no pyplot state, thread-safe) draws the charts' graphics in
millimetre coordinates as SVG, which fpdf2 embeds as vector paths. The text of a chart is
placed by fpdf2 at the same millimetre coordinates, so both line up exactly.

Deterministic: the same report and language give the same bytes, the creation date being
the publication time (a preview, which has none, is dated when it is rendered).
"""

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, get_args

from fpdf import FontFace
from fpdf.enums import Align, TableBordersLayout, XPos, YPos

from asn_career.core.pdf import (
    ACCENT,
    BODY_W,
    BOTTOM,
    FAMILY,
    GOOD,
    INK,
    MARGIN,
    MUTED,
    PAGE_H,
    PAGE_W,
    RULE,
    SHADE,
    WARNING,
    A4Document,
    Language,
    long_date,
)
from asn_career.feedback.reports.schemas import (
    Agreement,
    Comment,
    DimensionResult,
    GroupFigure,
    ReportOut,
    ResponseCount,
)
from asn_career.feedback.rules import SCALE_MAX, SCALE_MIN

# --------------------------------------------------------------------------------------
# Words: one dictionary, both languages.
# --------------------------------------------------------------------------------------

LABELS: Final[dict[str, dict[Language, str]]] = {
    "title": {"id": "Laporan Umpan Balik 360°", "en": "360° Feedback Report"},
    "name": {"id": "Nama", "en": "Name"},
    "nip": {"id": "NIP", "en": "NIP"},
    "position": {"id": "Jabatan", "en": "Position"},
    "unit": {"id": "Unit kerja", "en": "Unit"},
    "agency": {"id": "Instansi", "en": "Agency"},
    "published": {"id": "Diterbitkan", "en": "Published"},
    "not_published": {"id": "Belum diterbitkan", "en": "Not published"},
    "watermark": {"id": "PRATINJAU", "en": "PREVIEW"},
    "preview_note": {
        "id": "PRATINJAU untuk pengelola SDM. Siklus ini belum diterbitkan, sehingga angka "
        "masih dapat berubah. Jangan dibagikan kepada pegawai yang dinilai.",
        "en": "PREVIEW for HR. This cycle is not published yet, so the figures may still "
        "change. Do not share it with the employee.",
    },
    "confidential": {"id": "Rahasia", "en": "Confidential"},
    "page": {"id": "Halaman {page} dari {pages}", "en": "Page {page} of {pages}"},
    # How to read
    "how_title": {"id": "Cara membaca laporan ini", "en": "How to read this report"},
    "how_scale": {
        "id": "Setiap pernyataan dinilai dengan skala 1 sampai 5; makin tinggi, makin kuat "
        "perilaku itu terlihat oleh penilai. Angka dalam laporan ini adalah rata-rata.",
        "en": "Every statement is rated on a scale of 1 to 5; the higher, the more strongly "
        "the raters see that behaviour. The figures in this report are averages.",
    },
    "how_anonymous": {
        "id": "Penilaian rekan kerja, bawahan, dan masyarakat bersifat anonim. Nilai suatu "
        "kelompok baru ditampilkan bila sedikitnya {min} orang menjawab. Kelompok yang lebih "
        "kecil digabung menjadi “Lainnya”; bila gabungan itu pun kurang dari {min} orang, "
        "nilainya tidak ditampilkan (tertulis “disembunyikan”) agar tidak ada penilai yang "
        "dapat dikenali.",
        "en": "Ratings by peers, subordinates and the public are anonymous. A group's "
        "figures are shown only when at least {min} people answered. Smaller groups are "
        "combined as “Other”; when that is still fewer than {min} people, its figures are "
        "left out (marked “suppressed”) so that no rater can be identified.",
    },
    "how_named": {
        "id": "Penilaian diri sendiri dan penilaian atasan ditampilkan apa adanya.",
        "en": "Your own rating and your supervisor's are shown as they are.",
    },
    "how_calibrated": {
        "id": "Rata-rata terkalibrasi: ada penilai yang cenderung murah memberi nilai, ada "
        "pula yang pelit. Kecenderungan itu diperkirakan dari semua penilaian setiap "
        "penilai dalam siklus ini, lalu dikoreksi. Penilaian diri sendiri tidak dikalibrasi.",
        "en": "Calibrated mean: some raters tend to rate generously, others strictly. That "
        "tendency is estimated from all of each rater's ratings in this cycle and removed. "
        "Your own rating is not calibrated.",
    },
    "how_gap": {
        "id": "Titik buta: penilaian diri sendiri lebih tinggi daripada penilaian orang lain "
        "dengan selisih lebih dari {threshold} {points}. Kekuatan tersembunyi: sebaliknya, "
        "penilaian orang lain lebih tinggi lebih dari {threshold} {points}.",
        "en": "Blind spot: your own rating is more than {threshold} {points} above others'. "
        "Hidden strength: the reverse, others rate you more than {threshold} {points} higher.",
    },
    "how_agreement": {
        "id": "Kesepakatan menunjukkan seberapa seragam penilai anonim memberi nilai. Makin "
        "kuat kesepakatannya, makin dapat dipegang rata-ratanya.",
        "en": "Agreement shows how consistently the anonymous raters rated. The stronger "
        "the agreement, the more the mean can be relied on.",
    },
    # Who rated
    "who_title": {"id": "Siapa yang menilai", "en": "Who rated"},
    "col_group": {"id": "Kelompok penilai", "en": "Rater group"},
    "col_invited": {"id": "Diminta", "en": "Invited"},
    "col_responded": {"id": "Menjawab", "en": "Responded"},
    "col_shown_as": {"id": "Ditampilkan sebagai", "en": "Shown as"},
    "shown_separately": {"id": "tersendiri", "en": "separately"},
    "overall_line": {
        "id": "Rata-rata seluruh penilaian orang lain: {mean} (terkalibrasi {calibrated}), "
        "dari {n} penilai.",
        "en": "Mean of all ratings by others: {mean} (calibrated {calibrated}), from {n} raters.",
    },
    "overall_rwg": {
        "id": "Indeks kesepakatan keseluruhan: {rwg} (0 berarti tidak sepakat, 1 berarti "
        "sepakat penuh).",
        "en": "Overall agreement index: {rwg} (0 means no agreement, 1 full agreement).",
    },
    "overall_none": {
        "id": "Belum ada penilaian orang lain yang dapat ditampilkan.",
        "en": "No rating by others can be shown yet.",
    },
    # Chart
    "chart_title": {
        "id": "Nilai per dimensi menurut kelompok penilai",
        "en": "Ratings by dimension and rater group",
    },
    "chart_note": {
        "id": "Angka di ujung batang adalah rata-rata kelompok; n adalah jumlah penilainya.",
        "en": "The figure at the end of a bar is the group's mean; n is its number of raters.",
    },
    "legend_required": {"id": "Standar kompetensi jabatan", "en": "Level the position requires"},
    "legend_calibrated": {"id": "Rata-rata terkalibrasi", "en": "Calibrated mean"},
    "required_short": {"id": "standar: tingkat {level}", "en": "required: level {level}"},
    "suppressed": {"id": "disembunyikan", "en": "suppressed"},
    "chart_other": {"id": "Lainnya", "en": "Other"},
    # Self vs others
    "gap_title": {
        "id": "Diri sendiri dibandingkan orang lain",
        "en": "Self compared with others",
    },
    "col_self": {"id": "Diri", "en": "Self"},
    "col_others": {"id": "Orang lain", "en": "Others"},
    "col_calibrated": {"id": "Terkalibrasi", "en": "Calibrated"},
    "col_gap": {"id": "Selisih", "en": "Gap"},
    "col_agreement": {"id": "Kesepakatan", "en": "Agreement"},
    "col_note": {"id": "Catatan", "en": "Note"},
    "kind_value": {"id": "Nilai dasar ASN BerAKHLAK", "en": "ASN core values (BerAKHLAK)"},
    "kind_competency": {"id": "Kompetensi", "en": "Competencies"},
    "blind_spot": {"id": "Titik buta", "en": "Blind spot"},
    "hidden_strength": {"id": "Kekuatan tersembunyi", "en": "Hidden strength"},
    "gap_note": {
        "id": "Selisih adalah penilaian diri sendiri dikurangi penilaian orang lain; catatan "
        "ditampilkan bila selisihnya lebih dari {threshold} {points}.",
        "en": "The gap is your own rating minus others'; a note is shown when it is more "
        "than {threshold} {points}.",
    },
    "agreement_legend": {"id": "Arti kesepakatan:", "en": "What agreement means:"},
    "agreement.very_strong": {"id": "sangat kuat", "en": "very strong"},
    "agreement.strong": {"id": "kuat", "en": "strong"},
    "agreement.moderate": {"id": "sedang", "en": "moderate"},
    "agreement.weak": {"id": "lemah", "en": "weak"},
    "agreement.none": {"id": "tidak sepakat", "en": "none"},
    "agreement.missing": {"id": "–", "en": "–"},
    "meaning.very_strong": {
        "id": "penilai nyaris sepakat penuh; rata-ratanya sangat dapat dipegang.",
        "en": "raters all but fully agree; the mean is very reliable.",
    },
    "meaning.strong": {
        "id": "penilai hampir seragam; rata-ratanya dapat dipegang.",
        "en": "raters largely agree; the mean can be relied on.",
    },
    "meaning.moderate": {
        "id": "penilaian cukup seragam; rata-rata dapat dipakai dengan hati-hati.",
        "en": "ratings are fairly consistent; use the mean with some care.",
    },
    "meaning.weak": {
        "id": "penilaian beragam; baca rata-rata bersama komentar.",
        "en": "ratings vary; read the mean together with the comments.",
    },
    "meaning.none": {
        "id": "penilai berbeda pendapat; rata-ratanya kurang dapat dipegang.",
        "en": "raters disagree; the mean says little.",
    },
    "meaning.missing": {
        "id": "penilai anonim terlalu sedikit untuk mengukur kesepakatan.",
        "en": "too few anonymous raters to measure agreement.",
    },
    # Comments
    "comments_title": {"id": "Komentar", "en": "Comments"},
    "comments_intro": {
        "id": "Komentar ditampilkan tanpa nama penulisnya, dikelompokkan menurut kelompok "
        "penilai, dengan ambang yang sama seperti nilai.",
        "en": "Comments are shown without their writers' names, by rater group, under the "
        "same threshold as the figures.",
    },
    "comments_none": {
        "id": "Tidak ada komentar yang dapat ditampilkan.",
        "en": "There are no comments that can be shown.",
    },
    "general": {"id": "Umum", "en": "General"},
    # Develop next
    "develop_title": {"id": "Yang perlu dikembangkan", "en": "What to develop next"},
    "reason.below_required_level": {
        "id": "Di bawah standar jabatan",
        "en": "Below the level the position requires",
    },
    "reason.blind_spot": {"id": "Titik buta", "en": "Blind spot"},
    "reason.lowest_rated": {"id": "Nilai terendah", "en": "Lowest rated"},
    "develop_none": {
        "id": "Tidak ada prioritas pengembangan yang menonjol dari siklus ini.",
        "en": "No development priority stands out in this cycle.",
    },
    "develop_closing": {
        "id": "Bicarakan hasil ini bersama atasan dan tuangkan ke dalam rencana pengembangan "
        "individu (IDP).",
        "en": "Discuss these results with the supervisor and carry them into the "
        "individual development plan (IDP).",
    },
    # Groups
    "group.self": {"id": "Diri sendiri", "en": "Self"},
    "group.supervisor": {"id": "Atasan", "en": "Supervisor"},
    "group.peer": {"id": "Rekan kerja", "en": "Peers"},
    "group.subordinate": {"id": "Bawahan", "en": "Subordinates"},
    "group.public": {"id": "Masyarakat", "en": "Public"},
    "group.other": {"id": "Lainnya (gabungan)", "en": "Other (combined)"},
    "group.suppressed": {"id": "disembunyikan", "en": "suppressed"},
}


# --------------------------------------------------------------------------------------
# Look: fonts, colours, sizes (millimetres).
# --------------------------------------------------------------------------------------


CHART_GROUPS: Final = ("self", "supervisor", "peer", "subordinate", "public", "other")
GROUP_COLOURS: Final[dict[str, str]] = {  # Okabe–Ito, readable in greyscale and by the colour-blind
    "self": "#E69F00",
    "supervisor": "#0072B2",
    "peer": "#56B4E9",
    "subordinate": "#009E73",
    "public": "#CC79A7",
    "other": "#8C8C8C",
}
REQUIRED_COLOUR: Final = "#D55E00"
CALIBRATED_COLOUR: Final = "#1A1A1A"
BLIND_SPOT_RGB: Final = WARNING
HIDDEN_STRENGTH_RGB: Final = GOOD


# A chart panel: one dimension, a row per group.
PANEL_GAP: Final = 4.0
PANEL_W: Final = (BODY_W - PANEL_GAP) / 2
PANEL_TITLE_H: Final = 5.2
ROW_H: Final = 4.4
BAR_H: Final = 2.9
AXIS_H: Final = 3.6
PANEL_SPACING: Final = 4.0
LABEL_W: Final = 27.0
SCALE_X0: Final = LABEL_W + 2.0
"""Where the scale's 1 is, from the panel's left edge; its 5 is ``VALUE_ROOM`` short of
the right edge, which leaves room for the value printed after the longest bar."""
VALUE_ROOM: Final = 10.0
POINT_W: Final = (PANEL_W - VALUE_ROOM - SCALE_X0) / (SCALE_MAX - SCALE_MIN)


# --------------------------------------------------------------------------------------
# Entry point.
# --------------------------------------------------------------------------------------


def render_report_pdf(
    report: ReportOut, language: Literal["id", "en"], *, agency_name: str | None = None
) -> bytes:
    """The report as PDF bytes. ``agency_name`` (optional) is printed beside the agency's
    code, which is all the report itself carries."""
    renderer = _Renderer(_without_suppressed(report), language, agency_name)
    return renderer.render()


def _without_suppressed(report: ReportOut) -> ReportOut:
    """The report with nothing left that a suppressed group could carry: its figures and
    its response count. A well-formed report has none; this holds for any report."""

    def clean(figures: list[GroupFigure]) -> list[GroupFigure]:
        return [GroupFigure(group=f.group, suppressed=True) if f.suppressed else f for f in figures]

    dimensions = [
        d.model_copy(
            update={
                "groups": clean(d.groups),
                "items": [i.model_copy(update={"groups": clean(i.groups)}) for i in d.items],
            }
        )
        for d in report.dimensions
    ]
    responses = [
        r.model_copy(update={"responded": None}) if r.shown_as == "suppressed" else r
        for r in report.responses
    ]
    overall = (
        GroupFigure(group=report.overall.group, suppressed=True)
        if report.overall.suppressed
        else report.overall
    )
    return report.model_copy(
        update={"dimensions": dimensions, "responses": responses, "overall": overall}
    )


# --------------------------------------------------------------------------------------
# Words and numbers.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    language: Language

    def __call__(self, key: str, **values: object) -> str:
        text = LABELS[key][self.language]
        return text.format(**values) if values else text

    def number(self, value: float | None, *, signed: bool = False) -> str:
        """``3,59`` in Indonesian, ``3.59`` in English; a true minus sign; ``–`` for none."""
        if value is None:
            return "–"
        text = f"{abs(value):.2f}"
        if self.language == "id":
            text = text.replace(".", ",")
        if value < 0 and text.strip("0,.") != "":
            return "−" + text
        return ("+" + text) if signed and value > 0 else text

    def threshold(self, value: float) -> dict[str, str]:
        """``threshold`` and ``points`` for a sentence naming the blind-spot threshold."""
        text = f"{value:g}"
        if self.language == "id":
            return {"threshold": text.replace(".", ","), "points": "poin"}
        return {"threshold": text, "points": "point" if value == 1 else "points"}

    def date(self, moment: datetime) -> str:
        return long_date(moment, self.language)

    def group(self, group: str) -> str:
        return self(f"group.{group}")


# --------------------------------------------------------------------------------------
# The document.
# --------------------------------------------------------------------------------------


class _Document(A4Document):
    """The house document, with the footer in the reader's language and the preview
    watermark under every page's content."""

    def __init__(self, words: _Words, footer_left: str, watermark: str | None) -> None:
        super().__init__(footer_left)
        self.words = words
        self.watermark = watermark

    def page_label(self) -> str:
        return self.words("page", page=self.page_no(), pages="{nb}")

    def header(self) -> None:
        if self.watermark is None:
            return
        self.set_font(FAMILY, "B", 88)
        self.set_text_color(230, 233, 237)
        width = self.get_string_width(self.watermark)
        cx, cy = PAGE_W / 2, PAGE_H / 2
        with self.rotation(angle=55, x=cx, y=cy):
            self.text(cx - width / 2, cy + 11, self.watermark)
        self.set_text_color(*INK)


class _Renderer:
    def __init__(self, report: ReportOut, language: Language, agency_name: str | None) -> None:
        self.report = report
        self.t = _Words(language)
        self.agency_name = agency_name
        subject = report.subject
        footer = f"{self.t('confidential')} · {subject.name} · NIP {subject.nip}"
        watermark = self.t("watermark") if report.preview else None
        self.pdf = _Document(self.t, footer, watermark)
        self.names = {
            d.code: d.name_id if language == "id" else d.name_en for d in report.dimensions
        }

    # -- the whole ---------------------------------------------------------------------

    def render(self) -> bytes:
        pdf = self.pdf
        report = self.report
        pdf.set_title(f"{self.t('title')} · {report.subject.name}")
        pdf.set_author(report.agency_code)
        pdf.set_subject(report.cycle_name)
        pdf.set_creator("asn-career")
        pdf.set_lang(self.t.language)
        if report.published_at is not None:
            pdf.set_creation_date(report.published_at)
        pdf.add_page()
        self.header()
        self.how_to_read()
        self.who_rated()
        self.charts()
        self.self_and_others()
        self.comments()
        self.develop_next()
        return bytes(pdf.output())

    # -- pieces ------------------------------------------------------------------------

    def font(self, size: float, style: str = "", colour: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.set_text_color(*colour)

    def heading(self, text: str, keep: float = 30.0) -> None:
        """A section heading, moved to the next page with ``keep`` mm of what follows."""
        pdf = self.pdf
        if pdf.get_y() > MARGIN + 1:
            pdf.ln(4)
        if pdf.will_page_break(8 + keep):
            pdf.add_page()
        self.fill(MARGIN, pdf.get_y() + 0.8, 1.2, 4.6, ACCENT)
        pdf.set_x(MARGIN + 3)
        self.font(12, "B", ACCENT)
        pdf.cell(BODY_W - 3, 6.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
        self.font(9)

    def fill(self, x: float, y: float, w: float, h: float, colour: tuple[int, int, int]) -> None:
        """A filled rectangle that leaves the fill colour as it was: fpdf2's tables fill
        every cell with the current fill colour when it is not the default."""
        with self.pdf.local_context(fill_color=colour):
            self.pdf.rect(x, y, w, h, style="F")

    def paragraph(self, text: str, size: float = 8.5, colour: tuple[int, int, int] = INK) -> None:
        self.font(size, "", colour)
        self.pdf.multi_cell(
            BODY_W, size * 0.5, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def bullets(self, texts: Iterable[str], size: float = 8.5) -> None:
        pdf = self.pdf
        line = size * 0.5
        for text in texts:
            self.font(size)
            pdf.set_x(MARGIN + 1)
            pdf.cell(4, line, "•")
            pdf.multi_cell(
                BODY_W - 5, line, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.ln(0.8)

    # -- header ------------------------------------------------------------------------

    def header(self) -> None:
        pdf, t, report = self.pdf, self.t, self.report
        subject = report.subject
        self.font(18, "B", ACCENT)
        pdf.cell(BODY_W, 9, t("title"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.font(10.5, "", MUTED)
        pdf.multi_cell(BODY_W, 5.2, report.cycle_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.line(MARGIN, pdf.get_y(), PAGE_W - MARGIN, pdf.get_y())
        pdf.ln(2.5)
        agency = (
            f"{self.agency_name} ({report.agency_code})" if self.agency_name else report.agency_code
        )
        published = (
            t.date(report.published_at) if report.published_at is not None else t("not_published")
        )
        pairs = [
            (t("name"), subject.name, t("unit"), subject.unit_name or "–"),
            (t("nip"), subject.nip, t("agency"), agency),
            (t("position"), subject.position_title or "–", t("published"), published),
        ]
        label = FontFace(family=FAMILY, emphasis="", size_pt=8.5, color=MUTED)
        value = FontFace(family=FAMILY, emphasis="BOLD", size_pt=9, color=INK)
        self.font(9)
        with pdf.table(
            col_widths=(20, 70, 22, 68),
            width=BODY_W,
            borders_layout=TableBordersLayout.NONE,
            first_row_as_headings=False,
            text_align=(Align.L, Align.L, Align.L, Align.L),
            line_height=4.4,
            padding=(0.8, 1, 0.8, 0),
            v_align="TOP",
        ) as table:
            for left, left_value, right, right_value in pairs:
                row = table.row()
                row.cell(left, style=label)
                row.cell(left_value, style=value)
                row.cell(right, style=label)
                row.cell(right_value, style=value)
        if report.preview:
            pdf.ln(2.5)
            self.font(8.5, "B", (122, 70, 0))
            with pdf.local_context(fill_color=(255, 240, 214), draw_color=(230, 159, 0)):
                pdf.multi_cell(
                    BODY_W,
                    4.4,
                    t("preview_note"),
                    border=1,
                    fill=True,
                    padding=(2, 3, 2, 3),
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )
        self.font(9)

    # -- how to read -------------------------------------------------------------------

    def how_to_read(self) -> None:
        t, report = self.t, self.report
        self.heading(t("how_title"))
        self.bullets(
            [
                t("how_scale"),
                t("how_anonymous", min=report.min_group_size),
                t("how_named"),
                t("how_calibrated"),
                t("how_gap", **t.threshold(report.blind_spot_threshold)),
                t("how_agreement"),
            ]
        )

    # -- who rated ---------------------------------------------------------------------

    def who_rated(self) -> None:
        pdf, t, report = self.pdf, self.t, self.report
        self.heading(t("who_title"), keep=40)
        heading = FontFace(family=FAMILY, emphasis="BOLD", size_pt=8.5, color=INK, fill_color=SHADE)
        self.font(8.5)
        with pdf.table(
            col_widths=(48, 24, 24, 44),
            width=140,
            align=Align.L,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=heading,
            text_align=(Align.L, Align.C, Align.C, Align.L),
            line_height=4.6,
            padding=(0.8, 1.5, 0.8, 1.5),
        ) as table:
            table.row([t("col_group"), t("col_invited"), t("col_responded"), t("col_shown_as")])
            for count in report.responses:
                table.row(
                    [
                        t.group(count.group),
                        str(count.invited),
                        "–" if count.responded is None else str(count.responded),
                        self.shown_as(count),
                    ]
                )
        pdf.ln(2)
        overall = report.overall
        if overall.suppressed or overall.mean is None or not overall.n:
            self.paragraph(t("overall_none"))
        else:
            self.paragraph(
                t(
                    "overall_line",
                    mean=t.number(overall.mean),
                    calibrated=t.number(overall.calibrated_mean),
                    n=overall.n,
                )
            )
        if report.overall_rwg is not None:
            self.paragraph(t("overall_rwg", rwg=t.number(report.overall_rwg)))

    def shown_as(self, count: ResponseCount) -> str:
        if count.shown_as == count.group:
            return self.t("shown_separately")
        return self.t.group(count.shown_as)

    # -- charts ------------------------------------------------------------------------

    def charts(self) -> None:
        t, pdf = self.t, self.pdf
        dimensions = self.report.dimensions
        if not dimensions:
            return
        panels = [_Panel.of(d) for d in dimensions]
        pairs = [panels[i : i + 2] for i in range(0, len(panels), 2)]
        first = max(p.height for p in pairs[0]) if pairs else 0.0
        self.heading(t("chart_title"), keep=first + 12)
        self.legend(panels)
        self.paragraph(t("chart_note"), size=7.5, colour=MUTED)
        pdf.ln(2)
        # One figure per page: as many rows of two panels as the page still holds.
        while pairs:
            room = PAGE_H - BOTTOM - pdf.get_y()
            rows: list[list[_Panel]] = []
            used = 0.0
            for pair in pairs:
                height = max(p.height for p in pair)
                if rows and used + height > room:
                    break
                rows.append(pair)
                used += height
            if used > room and pdf.get_y() > MARGIN + 1:
                pdf.add_page()
                continue
            pairs = pairs[len(rows) :]
            self.chart_page(rows, used)
            if pairs:
                pdf.add_page()

    def legend(self, panels: Sequence["_Panel"]) -> None:
        pdf, t = self.pdf, self.t
        present = [
            g
            for g in CHART_GROUPS
            if any(r.group == g and not r.suppressed for p in panels for r in p.rows)
        ]
        entries: list[tuple[str, str]] = [("group:" + g, t.group(g)) for g in present]
        if any(p.dimension.required_level is not None for p in panels):
            entries.append(("required", t("legend_required")))
        if any(r.calibrated is not None for p in panels for r in p.rows):
            entries.append(("calibrated", t("legend_calibrated")))
        self.font(7)
        x, y = MARGIN, pdf.get_y() + 0.5
        for kind, text in entries:
            width = 5.5 + pdf.get_string_width(text) + 3.5
            if x + width > PAGE_W - MARGIN:
                x, y = MARGIN, y + 5
            if kind.startswith("group:"):
                self.fill(x, y + 0.6, 4, 2.8, _rgb(GROUP_COLOURS[kind[6:]]))
            elif kind == "required":
                pdf.set_draw_color(*_rgb(REQUIRED_COLOUR))
                pdf.set_line_width(0.45)
                with pdf.local_context():
                    pdf.set_dash_pattern(dash=1.1, gap=0.7)
                    pdf.line(x + 2, y - 0.2, x + 2, y + 4.2)
            else:
                pdf.set_draw_color(*_rgb(CALIBRATED_COLOUR))
                pdf.set_line_width(0.5)
                pdf.line(x + 2, y + 0.2, x + 2, y + 3.8)
            pdf.text(x + 5.5, y + 3.2, text)
            x += width
        pdf.set_line_width(0.2)
        pdf.set_y(y + 5.5)

    def chart_page(self, rows: list[list["_Panel"]], height: float) -> None:
        """One SVG for the graphics of these panels, then their text on top of it."""
        pdf = self.pdf
        top = pdf.get_y()
        placed: list[tuple[_Panel, float, float]] = []
        y = 0.0
        for pair in rows:
            for column, panel in enumerate(pair):
                placed.append((panel, column * (PANEL_W + PANEL_GAP), y))
            y += max(p.height for p in pair)
        svg = _chart_svg(placed, BODY_W, height)
        pdf.image(io.BytesIO(svg), x=MARGIN, y=top, w=BODY_W, h=height)
        for panel, x, y in placed:
            self.panel_text(panel, MARGIN + x, top + y)
        pdf.set_y(top + height)

    def panel_text(self, panel: "_Panel", x: float, y: float) -> None:
        pdf, t = self.pdf, self.t
        d = panel.dimension
        title = f"{d.code}  {self.names[d.code]}"
        required = (
            t("required_short", level=d.required_level) if d.required_level is not None else ""
        )
        self.font(6.5, "", _rgb(REQUIRED_COLOUR))
        required_w = pdf.get_string_width(required) + 1 if required else 0.0
        size = 8.2
        self.font(size, "B")
        while pdf.get_string_width(title) > PANEL_W - required_w - 1 and size > 6:
            size -= 0.3
            self.font(size, "B")
        pdf.text(x, y + 3.6, title)
        if required:
            self.font(6.5, "", _rgb(REQUIRED_COLOUR))
            pdf.text(x + PANEL_W - required_w + 0.5, y + 3.6, required)
        for index, row in enumerate(panel.rows):
            baseline = y + PANEL_TITLE_H + index * ROW_H + ROW_H / 2 + 1.0
            label = t("chart_other") if row.group == "other" else t.group(row.group)
            if row.n is not None and row.group not in ("self", "supervisor"):
                label = f"{label} (n={row.n})"
            self.font(7)
            while pdf.get_string_width(label) > LABEL_W - 0.5 and pdf.font_size_pt > 5.5:
                pdf.set_font_size(pdf.font_size_pt - 0.3)
            pdf.text(x + LABEL_W - pdf.get_string_width(label), baseline, label)
            if row.suppressed:
                self.font(6.5, "", MUTED)
                pdf.text(x + SCALE_X0 + 1.5, baseline, t("suppressed"))
            elif row.mean is not None:
                self.font(7, "B" if row.group == "self" else "")
                end = max(row.mean, row.calibrated or row.mean)
                value = t.number(row.mean)
                left = x + _scale_x(end) + 1.0
                # Clear the grid and the required-level line where the value is printed.
                self.fill(left - 0.3, baseline - 2.5, pdf.get_string_width(value) + 0.8, 3.2,
                          (255, 255, 255))  # fmt: skip
                pdf.text(left + 0.2, baseline, value)
        self.font(6, "", MUTED)
        axis_y = y + PANEL_TITLE_H + len(panel.rows) * ROW_H + 2.9
        for point in range(SCALE_MIN, SCALE_MAX + 1):
            label = str(point)
            pdf.text(x + _scale_x(point) - pdf.get_string_width(label) / 2, axis_y, label)

    # -- self versus others ------------------------------------------------------------

    def self_and_others(self) -> None:
        pdf, t, report = self.pdf, self.t, self.report
        if not report.dimensions:
            return
        self.heading(t("gap_title"), keep=40)
        for kind in ("value", "competency"):
            dimensions = [d for d in report.dimensions if d.kind == kind]
            if dimensions:
                self.gap_table(t(f"kind_{kind}"), dimensions)
        pdf.ln(1.5)
        self.paragraph(
            t("gap_note", **t.threshold(report.blind_spot_threshold)),
            size=7.5,
            colour=MUTED,
        )
        pdf.ln(1)
        if pdf.will_page_break(24):
            pdf.add_page()
        self.font(7.5, "B", MUTED)
        pdf.cell(BODY_W, 4, t("agreement_legend"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for level in (*get_args(Agreement), "missing"):
            self.font(7.5, "B", MUTED)
            pdf.set_x(MARGIN + 2)
            pdf.cell(22, 3.8, t(f"agreement.{level}"))
            self.font(7.5, "", MUTED)
            pdf.multi_cell(
                BODY_W - 24,
                3.8,
                t(f"meaning.{level}"),
                align=Align.L,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )

    def gap_table(self, title: str, dimensions: Sequence[DimensionResult]) -> None:
        """One kind's rows under a heading row that names the kind, on one page when it
        fits on one (a table split after a row or two reads badly)."""
        pdf, t = self.pdf, self.t
        widths = (56.5, 12, 18, 20.5, 14, 23, 36)
        line, padding = 4.0, 0.7
        self.font(7.5)
        height = (line + 2 * padding) * (1 + len(dimensions)) + 2
        height += sum(
            line
            for d in dimensions
            if pdf.get_string_width(f"{d.code}  {self.names[d.code]}") > widths[0] - 2
        )
        if pdf.will_page_break(height) and height < PAGE_H - MARGIN - BOTTOM:
            pdf.add_page()
        heading = FontFace(family=FAMILY, emphasis="BOLD", size_pt=7.5, color=INK, fill_color=SHADE)
        with pdf.table(
            col_widths=widths,
            width=BODY_W,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=heading,
            text_align=(Align.L, Align.C, Align.C, Align.C, Align.C, Align.C, Align.L),
            line_height=line,
            padding=(padding, 1.0, padding, 1.0),
            v_align="MIDDLE",
        ) as table:
            head = table.row()
            head.cell(title, style=FontFace(color=ACCENT))
            for key in ("self", "others", "calibrated", "gap", "agreement", "note"):
                head.cell(t(f"col_{key}"))
            for d in dimensions:
                row = table.row()
                row.cell(f"{d.code}  {self.names[d.code]}")
                row.cell(t.number(d.self_mean))
                row.cell(t.number(d.others_mean))
                row.cell(t.number(d.others_calibrated_mean))
                row.cell(t.number(d.self_minus_others, signed=True))
                row.cell(t(f"agreement.{d.agreement or 'missing'}"))
                if d.flag is None:
                    row.cell("")
                    continue
                colour = BLIND_SPOT_RGB if d.flag == "blind_spot" else HIDDEN_STRENGTH_RGB
                row.cell(
                    t(d.flag),
                    style=FontFace(family=FAMILY, emphasis="BOLD", size_pt=7, color=colour),
                )
        pdf.ln(2.5)

    # -- comments ----------------------------------------------------------------------

    def comments(self) -> None:
        pdf, t, report = self.pdf, self.t, self.report
        self.heading(t("comments_title"), keep=20)
        self.paragraph(t("comments_intro"), size=7.5, colour=MUTED)
        pdf.ln(1.5)
        if not report.comments:
            self.paragraph(t("comments_none"))
            return
        by_group: dict[str, list[Comment]] = {}
        for comment in report.comments:
            by_group.setdefault(comment.group, []).append(comment)
        for group in CHART_GROUPS:
            if group not in by_group:
                continue
            if pdf.will_page_break(14):
                pdf.add_page()
            self.font(9, "B", _rgb(GROUP_COLOURS[group], darker=True))
            pdf.cell(BODY_W, 5.5, t.group(group), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            for comment in by_group[group]:
                self.comment(comment)
            pdf.ln(1.2)

    def comment(self, comment: Comment) -> None:
        pdf, t = self.pdf, self.t
        code = comment.dimension_code
        about = f"{code} {self.names[code]}" if code in self.names else (code or t("general"))
        indent = MARGIN + 5
        pdf.set_x(MARGIN + 1)
        self.font(8.5)
        pdf.cell(4, 4.3, "•")
        pdf.set_left_margin(indent)
        try:
            pdf.set_x(indent)
            self.font(8.5, "B", MUTED)
            pdf.write(4.3, f"{about}: ")
            self.font(8.5)
            pdf.write(4.3, comment.text)
        finally:
            pdf.set_left_margin(MARGIN)
        pdf.ln(5.2)

    # -- what to develop next ----------------------------------------------------------

    def develop_next(self) -> None:
        pdf, t, report = self.pdf, self.t, self.report
        self.heading(t("develop_title"), keep=22)
        if not report.develop_next:
            self.paragraph(t("develop_none"))
        for number, suggestion in enumerate(report.develop_next, start=1):
            if pdf.will_page_break(14):
                pdf.add_page()
            name = suggestion.name_id if t.language == "id" else suggestion.name_en
            detail = suggestion.detail_id if t.language == "id" else suggestion.detail_en
            reason = t(f"reason.{suggestion.reason}")
            colour = BLIND_SPOT_RGB if suggestion.reason != "lowest_rated" else ACCENT
            title = f"{suggestion.dimension_code}  {name}"
            self.font(9.5, "B")
            pdf.cell(7, 5.2, f"{number}.")
            title_w = pdf.get_string_width(title) + 3
            self.font(7.5, "B", colour)
            reason_w = pdf.get_string_width(f"·  {reason}") + 1
            self.font(9.5, "B")
            if title_w + reason_w <= BODY_W - 7:
                pdf.cell(title_w, 5.2, title)
            else:  # a long name: the reason goes on the next line
                pdf.multi_cell(BODY_W - 7, 5.2, title, align=Align.L, new_x=XPos.LMARGIN,
                               new_y=YPos.NEXT)  # fmt: skip
                pdf.set_x(MARGIN + 7)
            self.font(7.5, "B", colour)
            pdf.cell(0, 5.2, f"·  {reason}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.font(8.5)
            pdf.set_x(MARGIN + 7)
            pdf.multi_cell(
                BODY_W - 7, 4.3, detail, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.ln(1.8)
        pdf.ln(1)
        self.paragraph(t("develop_closing"), size=8.5, colour=ACCENT)


# --------------------------------------------------------------------------------------
# Chart panels: geometry and graphics.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    group: str
    suppressed: bool
    n: int | None
    mean: float | None
    calibrated: float | None


@dataclass(frozen=True)
class _Panel:
    dimension: DimensionResult
    rows: tuple[_Row, ...]

    @classmethod
    def of(cls, dimension: DimensionResult) -> "_Panel":
        """A row per group of the chart, in a fixed order; ``overall`` is not charted
        (it is the "Others" column of the table)."""
        by_group = {f.group: f for f in dimension.groups}
        rows = tuple(
            _Row(
                group=group,
                suppressed=figure.suppressed,
                n=None if figure.suppressed else figure.n,
                mean=None if figure.suppressed else figure.mean,
                calibrated=None if figure.suppressed else figure.calibrated_mean,
            )
            for group in CHART_GROUPS
            if (figure := by_group.get(group)) is not None
        )
        return cls(dimension, rows)

    @property
    def height(self) -> float:
        return PANEL_TITLE_H + max(len(self.rows), 1) * ROW_H + AXIS_H + PANEL_SPACING


def _scale_x(value: float) -> float:
    """Millimetres from the panel's left edge to ``value`` on the 1–5 scale."""
    clamped = min(float(SCALE_MAX), max(float(SCALE_MIN), value))
    return SCALE_X0 + (clamped - SCALE_MIN) * POINT_W


_SVG_METADATA = re.compile(rb"<metadata>.*?</metadata>\s*", re.DOTALL)


def _chart_svg(placed: Sequence[tuple[_Panel, float, float]], width: float, height: float) -> bytes:
    """The graphics of panels placed at (x, y) mm in a ``width`` × ``height`` mm box: one
    full-size axes whose data coordinates are millimetres, y downwards. No text."""
    from matplotlib.figure import Figure  # a second of start-up, paid by the first report

    inch = 25.4
    figure = Figure(figsize=(width / inch, height / inch), dpi=72)
    figure.patch.set_alpha(0.0)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)
    axes.set_axis_off()
    grid_x: list[float] = []
    grid_top: list[float] = []
    grid_bottom: list[float] = []
    bar_y: list[float] = []
    bar_left: list[float] = []
    bar_w: list[float] = []
    bar_colour: list[str] = []
    for panel, x, y in placed:
        top = y + PANEL_TITLE_H - 0.6
        bottom = y + PANEL_TITLE_H + len(panel.rows) * ROW_H + 0.4
        for point in range(SCALE_MIN, SCALE_MAX + 1):
            grid_x.append(x + _scale_x(point))
            grid_top.append(top)
            grid_bottom.append(bottom)
        calibrated_x: list[float] = []
        calibrated_y: list[float] = []
        for index, row in enumerate(panel.rows):
            row_top = y + PANEL_TITLE_H + index * ROW_H + (ROW_H - BAR_H) / 2
            if row.suppressed or row.mean is None:
                continue
            bar_y.append(row_top)
            bar_left.append(x + SCALE_X0)
            bar_w.append(max(_scale_x(row.mean) - SCALE_X0, 0.35))
            bar_colour.append(GROUP_COLOURS[row.group])
            if row.calibrated is not None:
                calibrated_x.append(x + _scale_x(row.calibrated))
                calibrated_y.append(row_top)
        if calibrated_x:
            axes.vlines(
                calibrated_x,
                [cy - 0.45 for cy in calibrated_y],
                [cy + BAR_H + 0.45 for cy in calibrated_y],
                colors=CALIBRATED_COLOUR,
                linewidths=1.3,
                zorder=4,
            )
        level = panel.dimension.required_level
        if level is not None:
            axes.vlines(
                [x + _scale_x(level)],
                [top - 0.2],
                [bottom + 0.2],
                colors=REQUIRED_COLOUR,
                linewidths=1.1,
                linestyles=(0, (2.6, 1.6)),
                zorder=5,
            )
    axes.vlines(grid_x, grid_top, grid_bottom, colors="#D5DADF", linewidths=0.5, zorder=1)
    axes.barh(
        bar_y, bar_w, left=bar_left, height=BAR_H, color=bar_colour, align="edge", linewidth=0,
        zorder=3,
    )  # fmt: skip
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    return _SVG_METADATA.sub(b"", buffer.getvalue())


def _rgb(colour: str, *, darker: bool = False) -> tuple[int, int, int]:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    if darker:
        return (red * 7 // 10, green * 7 // 10, blue * 7 // 10)
    return (red, green, blue)
