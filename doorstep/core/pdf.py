"""Printable documents (a company's due-diligence dossier, reports to the ILO, evidence briefs) as
PDF, built with fpdf2 from a few blocks: a title, headings, paragraphs, tables and small print.

The text font is DejaVu Sans, shipped in ``core/data/fonts`` (Latin, Greek, Cyrillic, Arabic letters;
not Devanagari, whose shaping fpdf2 leaves to an optional library). Characters the font lacks are
replaced rather than failing the whole document. Pages are A4 with their number and the date in the
footer.
"""

import io
import logging
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

# fontTools reports each glyph subset at INFO; that is noise in a server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "data" / "fonts"
FAMILY = "DejaVu"


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{self.footer_text}    {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


class Document:
    """``Document(title).heading(...).paragraph(...).table(header, rows).pdf()`` gives the bytes."""

    def __init__(self, title: str, *, footer: str = "", language: str = "en"):
        self._pdf = _Pdf(format="A4")
        self._pdf.footer_text = footer
        self._pdf.set_title(title)
        self._pdf.set_lang(language)
        self._pdf.set_creator("Doorstep")
        self._pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self._pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self._pdf.set_fallback_fonts([], exact_match=False)
        self._pdf.set_margins(18, 16, 18)
        self._pdf.set_auto_page_break(True, margin=18)
        self._pdf.add_page()
        self._pdf.set_font(FAMILY, "B", 17)
        self._write(title, 8)
        self._pdf.ln(2)

    def _write(self, text: str, height: float) -> None:
        self._pdf.multi_cell(0, height, _printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str, level: int = 1) -> "Document":
        self._pdf.ln(3)
        self._pdf.set_font(FAMILY, "B", 13 if level == 1 else 11)
        self._write(text, 7)
        self._pdf.ln(1)
        return self

    def paragraph(self, text: str, *, small: bool = False) -> "Document":
        self._pdf.set_font(FAMILY, "", 8 if small else 10)
        for block in str(text).split("\n\n"):
            self._write(block.strip(), 4.2 if small else 5.2)
            self._pdf.ln(1.5)
        return self

    def table(self, header: list[str], rows: list[list], *, emphasis: set[int] | None = None) -> "Document":
        """A table; rows whose index is in ``emphasis`` (totals) are bold."""
        emphasis = emphasis or set()
        self._pdf.set_font(FAMILY, "", 8)
        with self._pdf.table(
            headings_style=_heading_style(), line_height=4.6, text_align="LEFT", padding=1
        ) as table:
            row = table.row()
            for text in header:
                row.cell(_printable(text))
            for index, values in enumerate(rows):
                row = table.row()
                style = _bold() if index in emphasis else None
                for value in values:
                    row.cell(_printable("" if value is None else str(value)), style=style)
        self._pdf.ln(2)
        return self

    def image(self, png: bytes, *, width: float = 150) -> "Document":
        """A picture (a chart's PNG), ``width`` mm wide."""
        self._pdf.image(io.BytesIO(png), w=width)
        self._pdf.ln(2)
        return self

    def pdf(self) -> bytes:
        return bytes(self._pdf.output())


def _heading_style():
    return FontFace(family=FAMILY, emphasis="BOLD", fill_color=(232, 232, 232))


def _bold():
    return FontFace(family=FAMILY, emphasis="BOLD")


_FONT_CHARACTERS: set[int] | None = None


def _printable(text: str) -> str:
    """The text with characters the font cannot draw replaced by "?", and control characters dropped."""
    global _FONT_CHARACTERS
    if _FONT_CHARACTERS is None:
        from fontTools.ttLib import TTFont  # noqa: PLC0415 - start-up cost: only when a PDF is made

        _FONT_CHARACTERS = set(TTFont(str(FONTS / "DejaVuSans.ttf")).getBestCmap())
    return "".join(
        c if ord(c) in _FONT_CHARACTERS or c in "\n" else ("" if ord(c) < 32 else "?") for c in str(text)
    )
