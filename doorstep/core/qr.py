"""QR codes drawn as inline SVG (segno): light pages, no image requests, print sharp."""

import segno


def svg(text: str, *, error: str = "m", scale: int = 4) -> str:
    return segno.make(text, error=error).svg_inline(scale=scale, dark="#000")
