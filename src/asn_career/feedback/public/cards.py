"""Printable QR cards for public raters: A4 pages of eight cards to cut apart and lay on a
service counter. Pure: the cards in, the PDF's bytes out.

Each card names the agency and the employee (name and position), asks in Indonesian how
the service was, carries the one-time link as a QR code (drawn as vector squares with
segno's matrix, so it prints sharp at any size) and as text, and says that the rating is
anonymous and the code works once. Dashed cut lines run between the cards.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import segno
from fpdf import FPDF

from asn_career.core.pdf import FAMILY, MONO_FILE, add_fonts

COLUMNS: Final = 2
ROWS: Final = 4
CARDS_PER_PAGE: Final = COLUMNS * ROWS
PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
MARGIN: Final = 8.0
CARD_W = (PAGE_W - 2 * MARGIN) / COLUMNS
CARD_H = (PAGE_H - 2 * MARGIN) / ROWS
PAD: Final = 4.0
QR_SIZE: Final = 36.0
SEAM: Final = 0.03

HEADLINE: Final = "Bagaimana pelayanan kami?"
INVITATION: Final = "Pindai kode QR ini untuk menilai pelayanan:"
PROMISE: Final = (
    "Penilaian Anda bersifat anonim: kami tidak meminta dan tidak menyimpan nama atau data "
    "pribadi Anda. Kode ini hanya dapat dipakai satu kali."
)
OR_OPEN: Final = "Atau buka alamat ini di peramban:"
CUT_HINT: Final = "Gunting kartu di sepanjang garis putus-putus."


@dataclass(frozen=True)
class Card:
    agency: str
    subject_name: str
    subject_position: str | None
    url: str


def pages_for(cards: int) -> int:
    return max(1, -(-cards // CARDS_PER_PAGE))


class _Sheet(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.set_title("Kartu QR penilaian pelayanan")
        self.set_creator("asn-career")
        add_fonts(self)
        self.add_font("mono", "", str(MONO_FILE))
        self.sans, self.mono = FAMILY, "mono"

    def text_fit(self, text: str, width: float) -> str:
        """``text`` cut with an ellipsis to fit ``width`` in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def at_most(self, text: str, width: float, lines: int) -> str:
        """``text`` as ``multi_cell`` would wrap it at ``width``, kept to ``lines`` lines
        (the last one cut with an ellipsis), so that a long name or position title
        cannot run into the text below."""
        wrapped = self.multi_cell(width, 1, text, dry_run=True, output="LINES")
        assert isinstance(wrapped, list)
        if len(wrapped) <= lines:
            return text
        kept = [str(line).strip() for line in wrapped[:lines]]
        kept[-1] = self.text_fit(kept[-1] + " …", width)
        return "\n".join(kept)

    def chunks(self, text: str, width: float) -> list[str]:
        """``text`` broken anywhere into lines of at most ``width`` in the current
        monospaced font (a link has no spaces to break at)."""
        per_line = max(1, int(width // self.get_string_width("M")))
        return [text[i : i + per_line] for i in range(0, len(text), per_line)]

    def qr(self, url: str, x: float, y: float, size: float) -> None:
        """The QR code of ``url`` as filled squares, one rectangle per run of dark modules."""
        code = segno.make(url, error="m", micro=False)
        matrix = code.matrix
        module = size / len(matrix)
        self.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(matrix):
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                # A hair's overlap, so that no seam shows between neighbouring rows.
                self.rect(
                    x + start * module,
                    y + row_index * module,
                    (column - start) * module + SEAM,
                    module + SEAM,
                    style="F",
                )

    def cut_lines(self) -> None:
        self.set_draw_color(150, 150, 150)
        self.set_line_width(0.2)
        self.set_dash_pattern(dash=2, gap=1.5)
        for column in range(COLUMNS + 1):
            x = MARGIN + column * CARD_W
            self.line(x, MARGIN - 3, x, PAGE_H - MARGIN + 3)
        for row in range(ROWS + 1):
            y = MARGIN + row * CARD_H
            self.line(MARGIN - 3, y, PAGE_W - MARGIN + 3, y)
        self.set_dash_pattern()
        self.set_font(self.sans, "", 6)
        self.set_text_color(120, 120, 120)
        self.set_xy(MARGIN, PAGE_H - MARGIN + 1.5)
        self.cell(PAGE_W - 2 * MARGIN, 3, CUT_HINT, align="C")

    def card(self, card: Card, x: float, y: float) -> None:
        inner = CARD_W - 2 * PAD
        # The agency, as a band across the top.
        self.set_fill_color(232, 240, 250)
        self.rect(x + 0.6, y + 0.6, CARD_W - 1.2, 8.5, style="F")
        self.set_text_color(20, 50, 100)
        self.set_font(self.sans, "B", 8)
        self.set_xy(x + PAD, y + 2.2)
        self.cell(inner, 4.5, self.text_fit(card.agency.upper(), inner), align="C")
        # The QR code on the left, the words on the right.
        top = y + 12
        self.qr(card.url, x + PAD, top, QR_SIZE)
        text_x = x + PAD + QR_SIZE + 4.5
        text_w = x + CARD_W - PAD - text_x
        self.set_text_color(0, 0, 0)
        self.set_font(self.sans, "B", 11)
        self.set_xy(text_x, top)
        self.multi_cell(text_w, 5, HEADLINE, align="L")
        self.set_font(self.sans, "", 7.5)
        self.set_x(text_x)
        self.multi_cell(text_w, 3.4, INVITATION, align="L")
        self.ln(1.5)
        self.set_font(self.sans, "B", 9)
        self.set_x(text_x)
        self.multi_cell(text_w, 4, self.at_most(card.subject_name, text_w, 2), align="L")
        if card.subject_position:
            self.set_font(self.sans, "", 7.5)
            self.set_x(text_x)
            position = self.at_most(card.subject_position, text_w, 3)
            self.multi_cell(text_w, 3.4, position, align="L")
        # The promise and the link below, across the card.
        self.set_font(self.sans, "", 6.5)
        self.set_text_color(60, 60, 60)
        self.set_xy(x + PAD, top + QR_SIZE + 2)
        self.multi_cell(inner, 2.9, PROMISE, align="L")
        self.set_x(x + PAD)
        self.cell(inner, 3, OR_OPEN)
        self.ln(3)
        self.set_font(self.mono, "", 6)
        self.set_text_color(0, 0, 0)
        for line in self.chunks(card.url, inner):
            self.set_x(x + PAD)
            self.cell(inner, 2.7, line)
            self.ln(2.7)


def render_cards(cards: Sequence[Card]) -> bytes:
    """The cards as an A4 PDF, ``CARDS_PER_PAGE`` to a page, in the order given."""
    sheet = _Sheet()
    for start in range(0, max(len(cards), 1), CARDS_PER_PAGE):
        sheet.add_page()
        sheet.cut_lines()
        for index, card in enumerate(cards[start : start + CARDS_PER_PAGE]):
            column, row = index % COLUMNS, index // COLUMNS
            sheet.card(card, MARGIN + column * CARD_W, MARGIN + row * CARD_H)
    return bytes(sheet.output())
