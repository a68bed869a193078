"""The side-by-side career evaluation as a printable A4 PDF, in Indonesian. Pure: no I/O
besides the house fonts (``core.pdf``).

Pages: the figures of every agency side by side, with last year's trend; a chart per
figure (this year against last, per agency); the merit-system evidence per agency; the
definitions of the figures. matplotlib draws the charts, imported when a report is made.
"""

import io
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from fpdf import FontFace
from fpdf.enums import TableBordersLayout, XPos, YPos

from asn_career.core.pdf import (
    ACCENT,
    BODY_W,
    BOTTOM,
    FAMILY,
    GOOD,
    INK,
    MARGIN,
    MUTED,
    PAGE_W,
    SHADE,
    WARNING,
    A4Document,
    long_date,
)
from asn_career.talent.evaluation.rules import ASPECTS, FIGURES
from asn_career.talent.evaluation.schemas import CareerEvaluationOut, EvaluationFigure
from asn_career.talent.reports.schemas import CareerEvaluationReportOut

VERDICTS: Final[dict[str, str]] = {
    "supports": "Mendukung",
    "contradicts": "Bertentangan",
    "inconclusive": "Belum dapat disimpulkan",
    "no_data": "Tidak ada data",
}
ARROWS: Final[dict[str, str]] = {"up": "↑", "down": "↓", "flat": "→", "no_data": ""}
NO_DATA: Final = "tidak ada data"
CHARTS_PER_PAGE: Final = 9
CHART_COLUMNS: Final = 3
CHART_ROW_H: Final = 72.0


@dataclass(frozen=True)
class TalentCharts:
    """An agency's 9-box grid and IP ASN distribution as SVG (``talent.charts``)."""

    nine_box_svg: bytes
    index_svg: bytes
    employees: int
    year: int
    """The year drawn: the report's, or the one before when the report's has no box yet."""


def number_id(value: float, places: int) -> str:
    """``1.234,5``: Indonesian separators."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "share":
        return f"{number_id(value * 100, 1)}%"
    if unit == "index":
        return number_id(value, 1)
    return number_id(value, 2)


def _colour(f: EvaluationFigure) -> tuple[int, int, int]:
    if f.trend in ("up", "down"):
        better = (f.trend == "up") == (f.better == "higher")
        return GOOD if better else WARNING
    return INK


def render_evaluation_pdf(
    report: CareerEvaluationReportOut,
    printed: datetime,
    talent: Mapping[str, TalentCharts] | None = None,
) -> bytes:
    return _Renderer(report, printed, talent or {}).render()


class _Renderer:
    def __init__(
        self,
        report: CareerEvaluationReportOut,
        printed: datetime,
        talent: Mapping[str, TalentCharts],
    ) -> None:
        self.report = report
        self.printed = printed
        self.talent = talent
        self.pdf = A4Document(f"Evaluasi sistem manajemen karier {report.year}")

    def render(self) -> bytes:
        pdf = self.pdf
        pdf.set_title(f"Evaluasi Sistem Manajemen Karier {self.report.year}")
        pdf.set_creator("asn-career")
        pdf.set_lang("id")
        pdf.set_creation_date(self.printed)
        pdf.add_page()
        self.title()
        self.side_by_side()
        self.charts()
        self.talent_pages()
        self.merit()
        self.definitions()
        return bytes(pdf.output())

    def font(self, size: float, style: str = "", colour: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.set_text_color(*colour)

    def heading(self, text: str, keep: float = 30.0) -> None:
        pdf = self.pdf
        if pdf.get_y() + keep > pdf.h - BOTTOM:
            pdf.add_page()
        pdf.ln(3)
        self.font(12, "B", ACCENT)
        pdf.cell(BODY_W, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(*ACCENT)
        pdf.line(MARGIN, pdf.get_y(), PAGE_W - MARGIN, pdf.get_y())
        pdf.ln(2)
        self.font(9)

    def title(self) -> None:
        pdf, report = self.pdf, self.report
        self.font(16, "B", ACCENT)
        pdf.cell(BODY_W, 9, "Evaluasi Sistem Manajemen Karier", new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)  # fmt: skip
        self.font(10, "", MUTED)
        names = ", ".join(a.agency_name for a in report.agencies) or "–"
        pdf.multi_cell(BODY_W, 5, f"Tahun {report.year} · {names}", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)  # fmt: skip
        pdf.cell(BODY_W, 5, f"Dicetak {long_date(self.printed)}", new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)  # fmt: skip
        pdf.ln(2)

    def side_by_side(self) -> None:
        pdf, agencies = self.pdf, self.report.agencies
        self.heading("Ukuran berdampingan")
        if not agencies:
            pdf.multi_cell(BODY_W, 5, "Tidak ada instansi yang dapat ditampilkan.")
            return
        first = 62.0
        rest = (BODY_W - first) / len(agencies)
        size = 8 if len(agencies) <= 4 else 6.5
        self.font(size)
        with pdf.table(
            col_widths=(first, *([rest] * len(agencies))),
            width=BODY_W,
            line_height=4.6 if size == 8 else 3.8,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD", color=INK, fill_color=SHADE),
            text_align=("LEFT", *(["RIGHT"] * len(agencies))),
            padding=1.2,
        ) as table:
            head = table.row()
            head.cell("Ukuran")
            for a in agencies:
                head.cell(a.agency_name)
            for d in FIGURES:
                row = table.row()
                row.cell(d.name_id)
                for a in agencies:
                    f = next(x for x in a.figures if x.code == d.code)
                    if f.value is None:
                        row.cell(NO_DATA, style=FontFace(color=MUTED))
                        continue
                    text = value_text(f.value, f.unit)
                    if f.trend != "no_data":
                        text += f" {ARROWS[f.trend]}"
                    row.cell(text, style=FontFace(color=_colour(f)))
        pdf.ln(2)
        self.font(7.5, "", MUTED)
        pdf.multi_cell(
            BODY_W,
            3.8,
            "Panah menunjukkan arah perubahan dibanding tahun sebelumnya (↑ naik, ↓ turun, "
            "→ tetap). Hijau berarti membaik, jingga berarti memburuk; untuk kesenjangan "
            "kompetensi dan masa jabatan, angka yang lebih rendah lebih baik. Ukuran tanpa "
            "data ditulis \u201ctidak ada data\u201d, bukan nol. Definisi setiap ukuran ada di "
            "bagian akhir laporan.",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def charts(self) -> None:
        pdf = self.pdf
        agencies = self.report.agencies
        if not agencies:
            return
        for start in range(0, len(FIGURES), CHARTS_PER_PAGE):
            pdf.add_page()
            self.heading("Grafik per ukuran" if start == 0 else "Grafik per ukuran (lanjutan)")
            chosen = FIGURES[start : start + CHARTS_PER_PAGE]
            height = CHART_ROW_H * -(-len(chosen) // CHART_COLUMNS)
            png = _charts_png(self.report, [d.code for d in chosen], BODY_W, height)
            pdf.image(io.BytesIO(png), x=MARGIN, y=pdf.get_y(), w=BODY_W, h=height)
            pdf.set_y(pdf.get_y() + height + 2)
            self.font(7.5, "", MUTED)
            pdf.multi_cell(
                BODY_W, 3.8,
                "Batang muda: tahun sebelumnya; batang tua: tahun laporan. Instansi tanpa "
                "data pada suatu ukuran ditandai \u201ctidak ada data\u201d.",
                new_x=XPos.LMARGIN, new_y=YPos.NEXT,
            )  # fmt: skip

    def talent_pages(self) -> None:
        """Per agency: its 9-box grid and its IP ASN distribution."""
        pdf = self.pdf
        for a in self.report.agencies:
            charts = self.talent.get(a.agency_code)
            if charts is None:
                continue
            pdf.add_page()
            self.heading(f"Peta talenta · {a.agency_name}")
            self.font(8.5)
            when = (
                "pada tahun laporan"
                if charts.year == self.report.year
                else f"pada tahun {charts.year}, karena belum ada pegawai yang masuk kotak "
                f"pada tahun {self.report.year} (predikat SKP tahunannya belum tersedia)"
            )
            pdf.multi_cell(
                BODY_W, 4.4,
                "Sebaran pegawai pada 9-box (kinerja dari predikat SKP, potensial dari hasil "
                "penilaian kompetensi dan umpan balik 360° terhadap syarat jabatan berikutnya, "
                "menurut kebijakan talenta instansi) dan sebaran kategori Indeks Profesionalitas "
                f"ASN (IP ASN) {when}.",
                new_x=XPos.LMARGIN, new_y=YPos.NEXT,
            )  # fmt: skip
            top = pdf.get_y() + 2
            for svg, width in ((charts.nine_box_svg, 120.0), (charts.index_svg, 130.0)):
                w_px, h_px = _svg_size(svg)
                height = width * h_px / w_px
                pdf.image(io.BytesIO(svg), x=MARGIN + (BODY_W - width) / 2, y=top, w=width,
                          h=height)  # fmt: skip
                top += height + 4

    def merit(self) -> None:
        pdf = self.pdf
        pdf.add_page()
        self.heading("Bukti untuk penilaian mandiri Sistem Merit")
        self.font(8.5)
        pdf.multi_cell(
            BODY_W, 4.4,
            "Penilaian mandiri Sistem Merit (PermenPANRB Nomor 40 Tahun 2018) terdiri atas "
            "delapan aspek. Untuk aspek yang datanya tersedia dalam layanan ini, ukuran di "
            "atas dibaca sebagai bukti: mendukung atau bertentangan dengan indikatornya, "
            "menurut ambang yang tercantum. Aspek tanpa data disebutkan apa adanya.",
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )  # fmt: skip
        for a in self.report.agencies:
            self.agency_merit(a)

    def agency_merit(self, a: CareerEvaluationOut) -> None:
        pdf = self.pdf
        self.heading(a.agency_name, keep=60)
        self.font(8)
        with pdf.table(
            col_widths=(38, 78, 22, 42),
            width=BODY_W,
            line_height=4.2,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD", color=INK, fill_color=SHADE),
            text_align=("LEFT", "LEFT", "RIGHT", "LEFT"),
            padding=1.2,
        ) as table:
            head = table.row()
            for text in ("Aspek", "Indikator (ambang)", "Nilai", "Penilaian"):
                head.cell(text)
            units = {f.code: f.unit for f in a.figures}
            for aspect in a.merit:
                if not aspect.has_data and not aspect.indicators:
                    continue
                for n, ind in enumerate(aspect.indicators):
                    row = table.row()
                    row.cell(aspect.name_id if n == 0 else "")
                    row.cell(f"{ind.text_id} ({ind.threshold_id})")
                    row.cell(value_text(ind.value, units.get(ind.figure, "scale")))
                    colour = {"supports": GOOD, "contradicts": WARNING}.get(ind.verdict, MUTED)
                    row.cell(VERDICTS[ind.verdict], style=FontFace(color=colour))
        aspects = {m.code: m for m in a.merit}
        outside = [name for code, name, _ in ASPECTS if not aspects[code].indicators]
        empty = [name for code, name, _ in ASPECTS
                 if aspects[code].indicators and not aspects[code].has_data]  # fmt: skip
        pdf.ln(1.5)
        self.font(8, "", MUTED)
        for lead, names in (
            ("Aspek di luar cakupan data layanan ini", outside),
            (f"Aspek yang belum memiliki data untuk tahun {self.report.year}", empty),
        ):
            if names:
                pdf.multi_cell(BODY_W, 4, f"{lead}: {', '.join(names)}.",
                               new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip

    def definitions(self) -> None:
        pdf = self.pdf
        self.heading("Definisi ukuran", keep=60)
        for d in FIGURES:
            if pdf.get_y() + 14 > pdf.h - BOTTOM:
                pdf.add_page()
            self.font(8.5, "B")
            pdf.cell(BODY_W, 4.6, d.name_id, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.font(8.5)
            pdf.multi_cell(BODY_W, 4.2, d.definition_id, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)


_SIZE = re.compile(rb'<svg[^>]*?\swidth="([0-9.]+)"[^>]*?\sheight="([0-9.]+)"')


def _svg_size(svg: bytes) -> tuple[float, float]:
    """The width and height an SVG of ``talent.charts`` declares."""
    found = _SIZE.search(svg)
    assert found is not None, "talent.charts declares the size of its SVGs"
    return float(found.group(1)), float(found.group(2))


def _hex(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _charts_png(
    report: CareerEvaluationReportOut, codes: Sequence[str], width: float, height: float
) -> bytes:
    """A grid of bar charts (three per row), one per figure: last year and this year per
    agency. matplotlib's bare ``Figure`` (no pyplot state), imported here."""
    from matplotlib.figure import Figure  # a second of start-up, paid by the first report
    from matplotlib.ticker import FuncFormatter

    inch = 25.4
    figure = Figure(figsize=(width / inch, height / inch), dpi=150)
    rows = -(-len(codes) // CHART_COLUMNS)
    axes_grid = figure.subplots(rows, CHART_COLUMNS, squeeze=False)
    names = [a.agency_name for a in report.agencies]
    # "Pemerintah Kota Tangerang Selatan" → "Kota Tangerang Selatan": the tick stays legible
    short = [textwrap.fill(n.removeprefix("Pemerintah "), 14, max_lines=3, placeholder="…")
             for n in names]  # fmt: skip
    defs = {d.code: d for d in FIGURES}
    for k, axes in enumerate(axes_grid.flat):
        if k >= len(codes):
            axes.set_axis_off()
            continue
        d = defs[codes[k]]
        figs = [next(f for f in a.figures if f.code == d.code) for a in report.agencies]
        scale = 100.0 if d.unit == "share" else 1.0
        xs = list(range(len(figs)))
        now = [(f.value or 0.0) * scale for f in figs]
        before = [(f.previous_value or 0.0) * scale for f in figs]
        axes.bar([x - 0.19 for x in xs], before, width=0.38, color="#A9C4DC", label="tahun lalu")
        axes.bar([x + 0.19 for x in xs], now, width=0.38, color=_hex(ACCENT), label="tahun ini")
        top = max([*now, *before, 1e-9])
        for x, f in zip(xs, figs, strict=True):
            if f.value is None:
                axes.text(x, top * 0.05, NO_DATA, ha="center", va="bottom", fontsize=6,
                          color=_hex(MUTED), rotation=90)  # fmt: skip
        title = d.name_id + (" (%)" if d.unit == "share" else "")
        axes.set_title(textwrap.fill(title, 30), fontsize=7, color=_hex(INK), loc="left")
        axes.set_xticks(xs)
        axes.set_xticklabels(short, fontsize=6, rotation=30 if len(xs) > 3 else 0,
                             ha="right" if len(xs) > 3 else "center")  # fmt: skip
        axes.tick_params(axis="y", labelsize=6.5)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}".replace(".", ",")))
        axes.spines[["top", "right"]].set_visible(False)
        if top <= 1e-9:
            axes.set_ylim(0, 1)
    figure.tight_layout(pad=1.0, h_pad=2.0)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
