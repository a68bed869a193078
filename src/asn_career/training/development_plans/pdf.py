"""An approved development plan as a printable A4 PDF, in Indonesian. Pure: no I/O besides
reading the two DejaVu fonts that ship with matplotlib (as the 360° report does, so names
and "–", "≥" render and the text stays searchable).

What it prints: the title with the year and revision; who (name, NIP, position, unit,
rank, agency); the goals; the needs (competency, current and required level, gap, where
the need comes from); the activities (kind, title and course, competency, quarter, JP) with
the planned JP against the yearly 20 JP; the approval (by whom, when); and signature lines
for the employee and the direct supervisor.

Deterministic: the same plan gives the same bytes (the creation date is the approval's).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from fpdf import FontFace
from fpdf.enums import Align, TableBordersLayout, XPos, YPos

from asn_career.core.pdf import (
    ACCENT,
    BODY_W,
    FAMILY,
    GOOD,
    INK,
    MARGIN,
    MUTED,
    PAGE_W,
    RULE,
    SHADE,
    WARNING,
    A4Document,
    long_date,
)
from asn_career.training.development_plans.schemas import DevelopmentPlanOut

KINDS: Final[dict[str, str]] = {
    "training": "Pelatihan",
    "mentoring": "Mentoring",
    "coaching": "Coaching",
    "rotation_or_internship": "Rotasi/magang",
    "further_study": "Tugas/izin belajar",
}
NEED_SOURCES: Final[dict[str, str]] = {
    "position": "Standar jabatan",
    "target_position": "Jabatan tujuan",
    "performance": "Kinerja (SKP)",
    "feedback_360": "Umpan balik 360°",
    "manual": "Usulan",
}
ACTIVITY_SOURCES: Final[dict[str, str]] = {
    "need": "Kebutuhan",
    "feedback_360": "Umpan balik 360°",
    "career_interest": "Minat karier",
    "manual": "Usulan",
}


@dataclass(frozen=True)
class Signatory:
    name: str
    nip: str
    position_title: str | None


@dataclass(frozen=True)
class PlanDocument:
    plan: DevelopmentPlanOut
    agency_name: str
    position_title: str | None
    unit_name: str | None
    rank: str | None
    supervisor: Signatory | None
    """The employee's direct supervisor today (the holder of the superior position)."""


def jp_id(value: float) -> str:
    """``24`` or ``7,5``."""
    return f"{value:g}".replace(".", ",")


def render_plan_pdf(document: PlanDocument) -> bytes:
    return _Renderer(document).render()


class _Renderer:
    def __init__(self, document: PlanDocument) -> None:
        self.doc = document
        plan = document.plan
        self.pdf = A4Document(f"Rencana pengembangan {plan.year} · {plan.name} · NIP {plan.nip}")

    def render(self) -> bytes:
        pdf, plan = self.pdf, self.doc.plan
        pdf.set_title(f"Rencana Pengembangan Kompetensi {plan.year} · {plan.name}")
        pdf.set_author(plan.agency_code)
        pdf.set_creator("asn-career")
        pdf.set_lang("id")
        if plan.approved_at is not None:
            pdf.set_creation_date(plan.approved_at)
        pdf.add_page()
        self.header()
        self.goals()
        self.needs()
        self.activities()
        self.approval()
        return bytes(pdf.output())

    # -- pieces --------------------------------------------------------------------------

    def font(self, size: float, style: str = "", colour: tuple[int, int, int] = INK) -> None:
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.set_text_color(*colour)

    def heading(self, text: str, keep: float = 25.0) -> None:
        pdf = self.pdf
        pdf.ln(4)
        if pdf.will_page_break(8 + keep):
            pdf.add_page()
        with pdf.local_context(fill_color=ACCENT):
            pdf.rect(MARGIN, pdf.get_y() + 0.8, 1.2, 4.6, style="F")
        pdf.set_x(MARGIN + 3)
        self.font(12, "B", ACCENT)
        pdf.cell(BODY_W - 3, 6.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
        self.font(9)

    def paragraph(self, text: str, size: float = 8.5, colour: tuple[int, int, int] = INK) -> None:
        self.font(size, "", colour)
        self.pdf.multi_cell(
            BODY_W, size * 0.5, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def header(self) -> None:
        pdf, doc, plan = self.pdf, self.doc, self.doc.plan
        self.font(17, "B", ACCENT)
        pdf.cell(BODY_W, 9, "Rencana Pengembangan Kompetensi Individu",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        self.font(10.5, "", MUTED)
        pdf.cell(BODY_W, 5.5, f"Individual Development Plan (IDP) · Tahun {plan.year} · "
                 f"Revisi {plan.revision}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        pdf.ln(2)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.line(MARGIN, pdf.get_y(), PAGE_W - MARGIN, pdf.get_y())
        pdf.ln(2.5)
        pairs = [
            ("Nama", plan.name, "Unit kerja", doc.unit_name or "–"),
            ("NIP", plan.nip, "Instansi", doc.agency_name),
            ("Jabatan", doc.position_title or "–", "Pangkat/gol.", doc.rank or "–"),
        ]
        label = FontFace(family=FAMILY, emphasis="", size_pt=8.5, color=MUTED)
        value = FontFace(family=FAMILY, emphasis="BOLD", size_pt=9, color=INK)
        with pdf.table(
            col_widths=(18, 72, 22, 68),
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

    def goals(self) -> None:
        pdf, plan = self.pdf, self.doc.plan
        self.heading("Sasaran pengembangan")
        if not plan.goals:
            self.paragraph("Belum ada sasaran yang ditulis.", colour=MUTED)
            return
        for number, goal in enumerate(plan.goals, start=1):
            self.font(9)
            pdf.set_x(MARGIN + 1)
            pdf.cell(6, 4.6, f"{number}.")
            pdf.multi_cell(BODY_W - 7, 4.6, goal.text, align=Align.L,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
            pdf.ln(0.8)

    def _table(
        self,
        widths: tuple[float, ...],
        align: tuple[Align, ...],
        head: tuple[str, ...],
        rows: Sequence[tuple[str, ...]],
    ) -> None:
        heading = FontFace(family=FAMILY, emphasis="BOLD", size_pt=7.5, color=INK, fill_color=SHADE)
        self.font(8)
        with self.pdf.table(
            col_widths=widths,
            width=BODY_W,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=heading,
            text_align=align,
            line_height=4.0,
            padding=(0.9, 1.0, 0.9, 1.0),
            v_align="MIDDLE",
        ) as table:
            first = table.row()
            for text in head:
                first.cell(text)
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(text)

    def needs(self) -> None:
        plan = self.doc.plan
        self.heading("Kebutuhan pengembangan kompetensi")
        if not plan.needs:
            self.paragraph("Tidak ada kesenjangan kompetensi yang dicatat.", colour=MUTED)
            return
        self._table(
            (8, 70, 22, 26, 22, 32),
            (Align.C, Align.L, Align.C, Align.C, Align.C, Align.L),
            ("No", "Kompetensi", "Level saat ini", "Level dipersyaratkan", "Kesenjangan",
             "Sumber"),
            [
                (str(n), f"{need.competency_code}  {need.competency_name}",
                 str(need.current_level) if need.current_level else "belum dinilai",
                 str(need.required_level), str(need.gap), NEED_SOURCES[need.source])
                for n, need in enumerate(plan.needs, start=1)
            ],
        )  # fmt: skip

    def activities(self) -> None:
        pdf, plan = self.pdf, self.doc.plan
        self.heading("Kegiatan pengembangan", keep=35)
        if plan.activities:
            rows = []
            for n, a in enumerate(plan.activities, start=1):
                kind = KINDS[a.kind]
                # "Coaching oleh atasan …" says its kind already; "Pelatihan: Seminar …" needs it.
                title = (
                    a.title if a.title.lower().startswith(kind.lower()) else f"{kind}: {a.title}"
                )
                if a.course_code:
                    title += f" [{a.course_code}]"
                rows.append(
                    (str(n), title, a.competency_code or "–",
                     f"TW {a.target_quarter}" if a.target_quarter else "–",
                     jp_id(a.planned_jp), ACTIVITY_SOURCES[a.source])
                )  # fmt: skip
            self._table(
                (8, 96, 20, 12, 12, 32),
                (Align.C, Align.L, Align.C, Align.C, Align.R, Align.L),
                ("No", "Kegiatan", "Kompetensi", "TW", "JP", "Dasar"),
                rows,
            )
        else:
            self.paragraph("Belum ada kegiatan yang direncanakan.", colour=MUTED)
        pdf.ln(2.5)
        met = plan.jp_shortfall == 0
        self.font(9.5, "B")
        pdf.cell(pdf.get_string_width("Jumlah direncanakan: ") + 0.5, 5.5, "Jumlah direncanakan: ")
        text = f"{jp_id(plan.planned_jp)} JP dari minimal {plan.minimum_jp} JP per tahun"
        self.font(9.5, "B", ACCENT)
        pdf.cell(pdf.get_string_width(text) + 3, 5.5, text)
        verdict = "terpenuhi" if met else f"kurang {jp_id(plan.jp_shortfall)} JP"
        self.font(9.5, "B", GOOD if met else WARNING)
        pdf.cell(0, 5.5, f"·  {verdict}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        self.paragraph(
            f"Sudah tercatat dalam riwayat pelatihan tahun {plan.year}: "
            f"{jp_id(plan.recorded_jp)} JP. Setiap ASN berhak atas pengembangan kompetensi "
            "sedikitnya 20 JP per tahun (1 JP = 45 menit). TW = triwulan pelaksanaan yang "
            "direncanakan.",
            size=7.5,
            colour=MUTED,
        )

    def approval(self) -> None:
        pdf, doc, plan = self.pdf, self.doc, self.doc.plan
        self.heading("Persetujuan", keep=52)
        # An approver who is not an employee of the agency (an HR account) is named by login.
        approver = plan.approved_by_name or f"bagian kepegawaian ({plan.approved_by or '–'})"
        when = long_date(plan.approved_at) if plan.approved_at else "–"
        self.paragraph(
            f"Rencana ini disetujui oleh {approver} pada {when} dan menjadi acuan pengembangan "
            f"kompetensi pegawai pada tahun {plan.year}.",
            size=9,
        )
        pdf.ln(4)
        column = (BODY_W - 10) / 2
        top = pdf.get_y()
        supervisor = doc.supervisor
        blocks = [
            ("Pegawai yang bersangkutan,", plan.name, plan.nip),
            (
                "Atasan langsung,",
                supervisor.name if supervisor else "(nama jelas)",
                supervisor.nip if supervisor else "",
            ),
        ]
        for i, (role, name, nip) in enumerate(blocks):
            x = MARGIN + i * (column + 10)
            pdf.set_xy(x, top)
            self.font(9)
            pdf.cell(column, 5, f"Disetujui tanggal {when}" if i == 1 else "", align=Align.C)
            pdf.set_xy(x, top + 5)
            pdf.cell(column, 5, role, align=Align.C)
            pdf.set_draw_color(*INK)
            pdf.set_line_width(0.2)
            pdf.line(x + 10, top + 28, x + column - 10, top + 28)
            pdf.set_xy(x, top + 29)
            self.font(9, "B")
            pdf.cell(column, 5, name, align=Align.C)
            pdf.set_xy(x, top + 34)
            self.font(8.5)
            pdf.cell(column, 5, f"NIP {nip}" if nip else "NIP", align=Align.C)
        pdf.set_xy(MARGIN, top + 42)
