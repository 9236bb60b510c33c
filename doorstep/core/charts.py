"""Charts drawn on the server, with no script and no library in the page: an SVG to show inline, a
PNG of the same drawing to paste into a report, and the CSV of its table. A chart is a list of bars
(label, value, the value as shown); pages show its table beside it, so the figures are there for a
screen reader, a small screen and a printer alike.

The PNG uses the DejaVu Sans shipped for PDFs; Pillow does not join Arabic letters or shape
Devanagari, so in those languages the PNG's labels are legible but not well formed (the SVG, drawn
by the browser, is).
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont

from . import cells

FONTS = Path(__file__).resolve().parent / "data" / "fonts"
# What a chart downloads as: the drawing (SVG, PNG) and its table (CSV).
MEDIA_TYPES = {"svg": "image/svg+xml; charset=utf-8", "png": "image/png", "csv": "text/csv; charset=utf-8"}
WIDTH, LABEL_WIDTH, ROW, TOP, BOTTOM, RIGHT = 640, 190, 26, 40, 16, 70


@dataclass
class Bar:
    label: str
    value: float | None  # None: no figure (drawn as no bar, shown as —)
    text: str


@dataclass
class Chart:
    name: str  # for file names
    title: str
    value_label: str  # the table's column header
    bars: list[Bar] = field(default_factory=list)
    maximum: float | None = None  # the scale's end (100 for percentages); else the largest value
    reference: float | None = None  # a line across the bars at this value (1: the minimum wage)
    reference_label: str = ""

    @property
    def height(self) -> int:
        return TOP + ROW * max(len(self.bars), 1) + BOTTOM

    def _scale(self) -> float:
        values = [b.value for b in self.bars if b.value is not None]
        top = max([*values, self.maximum or 0, (self.reference or 0) * 1.1, 0])
        return top or 1

    def _x(self, value: float) -> float:
        return LABEL_WIDTH + max(value, 0) * (WIDTH - LABEL_WIDTH - RIGHT) / self._scale()

    def as_file(self, fmt: str):
        """The chart in one of ``MEDIA_TYPES``."""
        return {"svg": self.svg, "png": self.png, "csv": self.csv}[fmt]()

    def svg(self) -> str:
        """The chart as an SVG element (labels escaped), described for screen readers by its title."""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {self.height}" '
            f'width="100%" role="img" aria-label="{escape(self.title)}" class="chart">',
            f"<title>{escape(self.title)}</title>",
            f'<text x="0" y="20" font-size="15" font-weight="bold">{escape(self.title)}</text>',
        ]
        for i, bar in enumerate(self.bars):
            y = TOP + i * ROW
            parts.append(
                f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" font-size="13" text-anchor="end">'
                f"{escape(_short(bar.label))}</text>"
            )
            if bar.value is not None:
                end = self._x(bar.value)
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{end - LABEL_WIDTH:.1f}" height="{ROW - 8}" '
                    f'fill="#1f6f8b"/>'
                )
            else:
                end = LABEL_WIDTH
            parts.append(f'<text x="{end + 6:.1f}" y="{y + 17}" font-size="13">{escape(bar.text)}</text>')
        if self.reference is not None:
            x = self._x(self.reference)
            bottom = TOP + ROW * max(len(self.bars), 1)
            parts.append(
                f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#b3261e" '
                f'stroke-width="2" stroke-dasharray="4 3"/>'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 13}" font-size="12" fill="#b3261e" text-anchor="middle">'
                f"{escape(self.reference_label)}</text>"
            )
        parts.append("</svg>")
        return "".join(parts)

    def png(self) -> bytes:
        """The same drawing as a PNG, twice the size for print."""
        scale = 2
        image = Image.new("RGB", (WIDTH * scale, self.height * scale), "white")
        draw = ImageDraw.Draw(image)
        regular = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 13 * scale)
        bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 15 * scale)
        small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 12 * scale)
        draw.text((0, 6 * scale), self.title, fill="black", font=bold)
        for i, bar in enumerate(self.bars):
            y = (TOP + i * ROW) * scale
            draw.text(
                ((LABEL_WIDTH - 8) * scale, y + 17 * scale),
                _short(bar.label),
                fill="black",
                font=regular,
                anchor="rs",
            )
            end = LABEL_WIDTH * scale
            if bar.value is not None:
                end = round(self._x(bar.value) * scale)
                if end > LABEL_WIDTH * scale:
                    draw.rectangle(
                        (LABEL_WIDTH * scale, y + 4 * scale, end, y + (ROW - 4) * scale), fill="#1f6f8b"
                    )
            draw.text((end + 6 * scale, y + 17 * scale), bar.text, fill="black", font=regular, anchor="ls")
        if self.reference is not None:
            x = round(self._x(self.reference) * scale)
            bottom = (TOP + ROW * max(len(self.bars), 1)) * scale
            for y in range((TOP - 6) * scale, bottom, 7 * scale):
                draw.line((x, y, x, min(y + 4 * scale, bottom)), fill="#b3261e", width=2 * scale)
            draw.text((x, bottom + 13 * scale), self.reference_label, fill="#b3261e", font=small, anchor="ms")
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()

    def csv(self) -> str:
        """The chart's table: label and value (blank where there is no figure)."""
        out = io.StringIO()
        writer = cells.writer(out)
        writer.writerow(["", self.value_label])
        for bar in self.bars:
            writer.writerow([bar.label, "" if bar.value is None else _number(bar.value)])
        return out.getvalue()


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
