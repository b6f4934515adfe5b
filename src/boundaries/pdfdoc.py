"""PDF documents people keep (welfare checks, boundary audits): one page setup, one font.

The font is DejaVu Sans, shipped in ``boundaries/fonts`` (licence beside it), so a
record names a client as they spell their name in any Latin, Greek or Cyrillic
script. Only the glyphs a document uses are embedded. A character the font lacks
(Chinese, Japanese, emoji, ...) is written as its code point, ``[U+738B]``, so it
is never silently left out; the JSON exports carry the exact text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"
FILES = {"": FONTS / "DejaVuSans.ttf", "B": FONTS / "DejaVuSans-Bold.ttf"}


def new_document(title: str) -> FPDF:
    """An A4 document with its title and the font registered, on its first page."""
    pdf = FPDF(format="A4")
    for style, path in FILES.items():
        pdf.add_font(FAMILY, style, path)
    pdf.set_title(title)
    pdf.set_creator("Boundaries")
    pdf.add_page()
    return pdf


def paragraph(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph the full width of the page; the next one starts at the left margin."""
    pdf.multi_cell(0, height, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def printable(text: str) -> str:
    """The text with each character both styles lack replaced by its code point."""
    covered = _covered()
    return "".join(
        char if char == "\n" or ord(char) in covered else f"[U+{ord(char):04X}]" for char in text
    )


@cache
def _covered() -> frozenset[int]:
    sets = []
    for path in FILES.values():
        with TTFont(path) as font:
            sets.append(frozenset(font.getBestCmap()))
    return frozenset.intersection(*sets)
