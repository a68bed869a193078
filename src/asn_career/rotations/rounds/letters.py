"""A round's decision letter list: the rows of the decree's attachment (lampiran keputusan)
as CSV/XLSX cells, and as a printable A4 PDF in Indonesian. Pure: no I/O besides reading
the DejaVu fonts that ship with matplotlib."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from asn_career.core.pdf import FAMILY, add_fonts, long_date

COLUMNS: Final = (
    "no",
    "nip",
    "name",
    "rank",
    "from_position",
    "from_unit",
    "to_position",
    "to_unit",
    "effective_date",
    "decree_number",
    "fit",
)

STATUS_ID: Final = {
    "draft": "Draf (belum disetujui)",
    "approved": "Disetujui, belum ditetapkan",
    "enacted": "Ditetapkan",
    "rejected": "Ditolak",
    "solving": "Sedang disusun",
    "failed": "Gagal disusun",
}


@dataclass(frozen=True)
class Letter:
    nip: str
    name: str
    rank: str | None
    from_position: str | None
    from_unit: str | None
    to_position: str
    to_unit: str
    fit: float | None


@dataclass(frozen=True)
class Heading:
    agency_name: str
    round_name: str
    status: str
    effective_date: date
    decree_number: str | None
    decree_date: date | None


def cells(h: Heading, letters: Sequence[Letter]) -> list[list[object]]:
    return [
        [
            n,
            x.nip,
            x.name,
            x.rank or "",
            x.from_position or "",
            x.from_unit or "",
            x.to_position,
            x.to_unit,
            h.effective_date,
            h.decree_number or "",
            x.fit if x.fit is not None else "",
        ]
        for n, x in enumerate(letters, start=1)
    ]


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"Halaman {self.page_no()} dari {{nb}}", align="C")


def render_pdf(h: Heading, letters: Sequence[Letter]) -> bytes:
    pdf = _Pdf(orientation="L", unit="mm", format="A4")
    day = h.decree_date or h.effective_date
    pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=UTC))
    add_fonts(pdf)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_margins(14, 14, 14)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(0, 6, "LAMPIRAN KEPUTUSAN", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 6, h.agency_name.upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 9.5)
    decree = h.decree_number or "(nomor belum ditetapkan)"
    dated = f" tanggal {long_date(h.decree_date)}" if h.decree_date else ""
    for line in (
        f"Nomor {decree}{dated}",
        f"tentang pemindahan (mutasi) pegawai: {h.round_name}",
    ):
        pdf.cell(0, 5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(
        0,
        5,
        f"Terhitung mulai tanggal (TMT): {long_date(h.effective_date)}    ·    "
        f"Status usulan: {STATUS_ID.get(h.status, h.status)}    ·    "
        f"Jumlah pegawai: {len(letters)}",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    headings = ("No", "Nama / NIP", "Golongan", "Jabatan lama", "Jabatan baru", "Kecocokan")
    widths = (10, 66, 22, 74, 74, 23)
    pdf.set_font(FAMILY, "", 8)
    head = FontFace(emphasis="BOLD", fill_color=(226, 234, 244))
    with pdf.table(
        col_widths=widths,
        headings_style=head,
        line_height=4.2,
        text_align=("CENTER", "LEFT", "CENTER", "LEFT", "LEFT", "RIGHT"),
    ) as table:
        table.row(headings)
        for n, x in enumerate(letters, start=1):
            old = f"{x.from_position}\n{x.from_unit}" if x.from_position else "–"
            table.row(
                (
                    str(n),
                    f"{x.name}\nNIP {x.nip}",
                    x.rank or "–",
                    old,
                    f"{x.to_position}\n{x.to_unit}",
                    f"{x.fit:.1f}".replace(".", ",") if x.fit is not None else "–",
                )
            )
    if not letters:
        pdf.ln(3)
        pdf.cell(0, 5, "Tidak ada pegawai yang dipindahkan dalam usulan ini.")
    return bytes(pdf.output())
