"""PDF records write people's names as they spell them, and never drop a character."""

from __future__ import annotations

import io

from pypdf import PdfReader

from boundaries.pdfdoc import FAMILY, new_document, paragraph, printable

NAMES = "Łukasz Wróbel-Nguyễn, Zoë Ó Súilleabháin, Ζωή Παπαδοπούλου, Иван Петров"


def text_of(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_latin_greek_and_cyrillic_names_come_out_exactly() -> None:
    pdf = new_document("Names")
    pdf.set_font(FAMILY, "B", 12)
    paragraph(pdf, 6, NAMES)
    pdf.set_font(FAMILY, size=10)
    paragraph(pdf, 5, f"“{NAMES}” – recorded")
    text = text_of(bytes(pdf.output()))
    assert NAMES in text
    assert f"“{NAMES}” – recorded" in text
    assert "?" not in text


def test_a_character_the_font_lacks_is_written_as_its_code_point() -> None:
    assert printable("Wang 王芳 🙂\nnext") == "Wang [U+738B][U+82B3] [U+1F642]\nnext"
    pdf = new_document("Missing glyphs")
    pdf.set_font(FAMILY, size=10)
    paragraph(pdf, 5, "Client: 王芳")
    assert "Client: [U+738B][U+82B3]" in text_of(bytes(pdf.output()))


def test_only_the_glyphs_used_are_embedded() -> None:
    pdf = new_document("Small")
    pdf.set_font(FAMILY, size=10)
    paragraph(pdf, 5, "Safe.")
    # The full regular font alone is 760 kB.
    assert len(bytes(pdf.output())) < 40_000
