"""The house style of every PDF the service prints (360° reports, QR cards, development
plans, decision letters): fonts that carry Indonesian text, the colours and A4 margins, and
dates as an Indonesian reader writes them, in WIB. One place, so the documents look alike."""

import importlib.util
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Final, Literal

from fpdf import FPDF
from fpdf.enums import Align


def _font_dir() -> Path:
    """DejaVu, which matplotlib (a pinned dependency) ships: it covers every Latin name,
    where the PDF core fonts stop at Latin-1. Found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    for location in (spec.submodule_search_locations or []) if spec else []:
        fonts = Path(location) / "mpl-data" / "fonts" / "ttf"
        if (fonts / "DejaVuSans.ttf").is_file():
            return fonts
    raise RuntimeError("matplotlib's DejaVu fonts are missing: reinstall with `make install`")


_FONTS: Final = _font_dir()
FAMILY: Final = "DejaVu"
FONT_FILES: Final[dict[str, Path]] = {
    "": _FONTS / "DejaVuSans.ttf",
    "B": _FONTS / "DejaVuSans-Bold.ttf",
}
MONO_FILE: Final = _FONTS / "DejaVuSansMono.ttf"

INK: Final = (33, 37, 41)
MUTED: Final = (100, 106, 112)
RULE: Final = (206, 212, 218)
ACCENT: Final = (0, 84, 147)
SHADE: Final = (241, 244, 247)
WARNING: Final = (192, 72, 0)
GOOD: Final = (0, 122, 84)

MARGIN: Final = 15.0
BOTTOM: Final = 18.0
PAGE_W: Final = 210.0
PAGE_H: Final = 297.0
BODY_W: Final = PAGE_W - 2 * MARGIN

Language = Literal["id", "en"]
MONTHS: Final[dict[Language, tuple[str, ...]]] = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip

WIB: Final = timezone(timedelta(hours=7), "WIB")
"""Moments are printed as in Jakarta; a date printed in WITA or WIT is the same day for any
moment between 01.00 and 22.00 WIB."""


def add_fonts(pdf: FPDF) -> None:
    """Register the house family (regular and bold) on a new document."""
    for style, path in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(path))


def long_date(day: date | datetime, language: Language = "id") -> str:
    """``2 Januari 2027``; a moment is first taken to WIB (naive moments are UTC)."""
    if isinstance(day, datetime):
        day = (day.astimezone(WIB) if day.tzinfo else day.replace(tzinfo=UTC)).date()
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"


class A4Document(FPDF):
    """A4 portrait in the house style, with the running footer every report carries: a rule,
    what the document is on the left (shortened to fit), and "Halaman n dari N" on the
    right (``page_label`` gives another language)."""

    def __init__(self, footer_left: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_left = footer_left
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=BOTTOM)
        add_fonts(self)
        self.alias_nb_pages("{nb}")

    def page_label(self) -> str:
        return f"Halaman {self.page_no()} dari {{nb}}"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*MUTED)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y() - 1.5, PAGE_W - MARGIN, self.get_y() - 1.5)
        page = self.page_label()
        page_w = self.get_string_width(page.replace("{nb}", "99")) + 2
        left = self.footer_left
        while self.get_string_width(left) > BODY_W - page_w and len(left) > 1:
            left = left[:-2] + "…"
        self.cell(BODY_W - page_w, 4, left, align=Align.L)
        self.cell(page_w, 4, page, align=Align.R)
        self.set_text_color(*INK)
