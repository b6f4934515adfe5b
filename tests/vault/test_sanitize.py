"""Uploads are typed by content and cleaned of metadata: no seeded value survives (clause 5).

Each file is seeded with GPS coordinates, a camera serial number, an author
name and a canary string, cleaned, then read back by means independent of the
cleaner: a byte scan, our own small chunk/segment walkers here, Pillow, and
for PDF every stream decompressed both by zlib directly and by pypdf.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageOps, PngImagePlugin
from PIL.TiffImagePlugin import IFDRational
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from boundaries.vault.sanitize import (
    CleanResult,
    UploadRejectedError,
    check_upload,
    clean,
    sniff_type,
)

CANARY = "CANARY-7f3a9c"
AUTHOR = "Dr Alice Owner-Canary"
SERIAL = "SN-CANARY-0042917"
MAKE = "Canary Camera Co"
# 51°30'26.4637" N, 0°7'39.9287" W: seconds as irreducible rationals with distinctive bytes.
LATITUDE = (IFDRational(51, 1), IFDRational(30, 1), IFDRational(264637, 10000))
LONGITUDE = (IFDRational(0, 1), IFDRational(7, 1), IFDRational(399287, 10000))
SEEDED = [CANARY, AUTHOR, SERIAL, MAKE]
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    f'22-rdf-syntax-ns#"><rdf:Description dc:creator="{AUTHOR}" dc:title="{CANARY}"/>'
    "</rdf:RDF></x:xmpmeta>"
)


def seeded_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = MAKE  # Make
    exif[0x013B] = AUTHOR  # Artist
    exif[0x010E] = CANARY  # ImageDescription
    if orientation != 1:
        exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: LATITUDE, 3: "W", 4: LONGITUDE}  # GPS IFD
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # Exif IFD: BodySerialNumber
    return exif


def gps_bytes() -> list[bytes]:
    """The latitude's distinctive rational as EXIF stores it, in either byte order."""
    return [struct.pack("<II", 264637, 10000), struct.pack(">II", 264637, 10000)]


def pdf_unescaped(data: bytes) -> bytes:
    """PDF literal strings may spell any byte as an octal escape (pypdf writes '-' as \\055)."""
    return re.sub(rb"\\([0-7]{1,3})", lambda match: bytes([int(match[1], 8) & 0xFF]), data)


def assert_no_seeded_bytes(data: bytes) -> None:
    data = pdf_unescaped(data)
    lowered = data.lower()
    for value in SEEDED:
        assert value.lower().encode() not in lowered
        assert value.encode("utf-16-be") not in data
        assert value.encode().hex().encode() not in lowered  # PDF hex strings
    for packed in gps_bytes():
        assert packed not in data


def pixels(width: int = 48, height: int = 32) -> Image.Image:
    image = Image.new("RGB", (width, height), (240, 240, 240))
    image.paste((200, 0, 0), (0, 0, width // 2, height // 4))  # a red block marks "top left"
    return image


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of every segment before the first scan: an independent walker."""
    assert data[:2] == b"\xff\xd8"
    segments, position = [], 2
    while True:
        marker = data[position + 1]
        (length,) = struct.unpack_from(">H", data, position + 2)
        segments.append((marker, data[position + 4 : position + 2 + length]))
        position += 2 + length
        if marker == 0xDA:
            return segments


def png_chunk_types(data: bytes) -> list[bytes]:
    kinds, position = [], 8
    while position < len(data):
        (length,) = struct.unpack_from(">I", data, position)
        kinds.append(data[position + 4 : position + 8])
        position += 12 + length
    return kinds


def insert_after_soi(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    return (
        jpeg[:2] + bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]
    )


def seeded_jpeg(orientation: int = 1) -> bytes:
    out = io.BytesIO()
    pixels().save(
        out,
        "JPEG",
        exif=seeded_exif(orientation),
        comment=f"comment {CANARY}".encode(),
        xmp=XMP.encode(),
        quality=90,
    )
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + struct.pack(">I", 24)
    iptc += b"\x1c\x02\x50" + struct.pack(">H", len(AUTHOR)) + AUTHOR.encode()
    data = insert_after_soi(out.getvalue(), 0xED, iptc)  # APP13 IPTC byline
    return data + f"trailer {CANARY}".encode()


def test_it_strips_exif_gps_serial_xmp_iptc_and_comments_from_a_jpeg() -> None:
    original = seeded_jpeg()
    for value in SEEDED:
        assert value.encode() in original  # the seeds really are there
    result = clean(original, "image/jpeg")

    assert result.cleaned, result.problem
    assert_no_seeded_bytes(result.data)
    for marker in (b"Exif\x00\x00", b"http://ns.adobe.com/xap/1.0/", b"Photoshop 3.0"):
        assert marker not in result.data
    kept = {marker for marker, _ in jpeg_segments(result.data)}
    assert not kept & ({*range(0xE1, 0xF0), 0xFE})  # no APP1..APP15, no COM
    with Image.open(io.BytesIO(result.data)) as image:
        assert not image.getexif()
        assert not {"exif", "xmp", "comment", "photoshop"} & set(image.info)
        assert [name for name, _ in image.applist] in ([], ["APP0"])
        assert image.size == (48, 32)
    assert {"EXIF", "EXIF GPS position", "XMP", "JPEG comment"} <= set(result.removed)
    assert "IPTC/Photoshop metadata" in result.removed


def test_it_cleans_a_jpeg_losslessly() -> None:
    original = seeded_jpeg()
    result = clean(original, "image/jpeg")
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(result.data)) as after:
        assert before.tobytes() == after.tobytes()
    scan = original.index(b"\xff\xda")
    assert original[scan : original.rindex(b"\xff\xd9") + 2] in result.data


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_it_keeps_the_orientation_of_a_jpeg_and_nothing_else_of_its_exif(orientation: int) -> None:
    result = clean(seeded_jpeg(orientation), "image/jpeg")
    assert_no_seeded_bytes(result.data)
    with Image.open(io.BytesIO(result.data)) as image:
        assert dict(image.getexif()) == {0x0112: orientation}
        upright = ImageOps.exif_transpose(image)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(seeded_jpeg(orientation))))
    assert upright.size == expected.size


def seeded_png(orientation: int = 1) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_text("Comment", f"zipped {CANARY} " * 8, zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", XMP)
    out = io.BytesIO()
    pixels().save(out, "PNG", pnginfo=info, exif=seeded_exif(orientation))
    data = out.getvalue()
    extra = b""
    for kind, payload in ((b"tIME", b"\x07\xea\x0b\x19\x05\x17\x00"), (b"prVt", SERIAL.encode())):
        extra += struct.pack(">I", len(payload)) + kind + payload
        extra += struct.pack(">I", zlib.crc32(kind + payload))
    ihdr_end = 8 + 12 + 13
    return data[:ihdr_end] + extra + data[ihdr_end:]


def test_it_strips_text_exif_time_and_private_chunks_from_a_png() -> None:
    original = seeded_png()
    with Image.open(io.BytesIO(original)) as image:
        assert image.text["Author"] == AUTHOR  # type: ignore[attr-defined]
        assert CANARY in image.text["Comment"]  # type: ignore[attr-defined]
    result = clean(original, "image/png")

    assert result.cleaned, result.problem
    assert_no_seeded_bytes(result.data)
    assert png_chunk_types(result.data) == [b"IHDR", b"IDAT", b"IEND"]
    with Image.open(io.BytesIO(result.data)) as image, Image.open(io.BytesIO(original)) as before:
        assert not image.text  # type: ignore[attr-defined]
        assert not image.getexif()
        assert image.tobytes() == before.tobytes()
    assert {"PNG text (tEXt)", "PNG compressed text (zTXt)", "EXIF", "EXIF GPS position"} <= set(
        result.removed
    )
    assert "PNG modification time (tIME)" in result.removed


def test_it_keeps_the_orientation_of_a_png() -> None:
    result = clean(seeded_png(orientation=6), "image/png")
    assert_no_seeded_bytes(result.data)
    assert b"eXIf" in png_chunk_types(result.data)
    with Image.open(io.BytesIO(result.data)) as image:
        assert dict(image.getexif()) == {0x0112: 6}


def seeded_pdf() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    writer.add_metadata(
        {
            "/Author": AUTHOR,
            "/Title": CANARY,
            "/Subject": f"GPS 51.507351,-0.127758 {SERIAL}",
            "/Creator": MAKE,
        }
    )
    writer.xmp_metadata = XMP.encode()
    page_xmp = StreamObject()
    page_xmp.set_data(f"{XMP} page {SERIAL}".encode())
    page_xmp = page_xmp.flate_encode()  # compressed: only decompression would reveal it
    page[NameObject("/Metadata")] = writer._add_object(page_xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def all_pdf_stream_contents(data: bytes) -> list[bytes]:
    """Every stream, decompressed by zlib directly and by pypdf (two independent readers)."""
    contents = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        try:
            contents.append(zlib.decompress(match.group(1)))
        except zlib.error:
            contents.append(match.group(1))
    reader = PdfReader(io.BytesIO(data))
    for number in range(1, len(reader.xref_objStm) + 200):
        try:
            item = reader.get_object(number)
        except (KeyError, ValueError, IndexError):
            continue
        if isinstance(item, StreamObject):
            contents.append(item.get_data())
    return contents


def test_it_strips_document_information_and_xmp_from_a_pdf() -> None:
    original = seeded_pdf()
    assert any(SERIAL.encode() in content for content in all_pdf_stream_contents(original))
    result = clean(original, "application/pdf")

    assert result.cleaned, result.problem
    assert_no_seeded_bytes(result.data)
    for content in all_pdf_stream_contents(result.data):
        assert_no_seeded_bytes(content)
    reader = PdfReader(io.BytesIO(result.data))
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert "/Metadata" not in reader.pages[0]
    assert len(reader.pages) == 1
    assert "XMP metadata" in result.removed
    assert any(item.startswith("document information (Author") for item in result.removed)


def test_it_flags_an_encrypted_pdf_as_not_cleaned() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(seeded_pdf())))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    result = clean(out.getvalue(), "application/pdf")
    assert not result.cleaned
    assert result.problem is not None
    assert "encrypted" in result.problem
    assert result.data == out.getvalue()


def test_it_strips_comments_and_xmp_from_a_gif_but_keeps_looping() -> None:
    frames = [pixels(), pixels().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], loop=0, comment=CANARY.encode()
    )
    original = out.getvalue()
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes([len(AUTHOR)]) + AUTHOR.encode() + b"\x00"
    original = original[:-1] + xmp + b"\x3b"
    assert CANARY.encode() in original
    result = clean(original, "image/gif")
    assert result.cleaned, result.problem
    assert_no_seeded_bytes(result.data)
    assert b"NETSCAPE2.0" in result.data
    with Image.open(io.BytesIO(result.data)) as image:
        assert image.n_frames == 2  # type: ignore[attr-defined]
        assert "comment" not in image.info
    assert {"GIF comment", "XMP"} <= set(result.removed)


def test_it_strips_exif_and_xmp_from_a_webp() -> None:
    out = io.BytesIO()
    pixels().save(out, "WEBP", exif=seeded_exif(), xmp=XMP.encode(), quality=80)
    original = out.getvalue()
    assert AUTHOR.encode() in original
    result = clean(original, "image/webp")
    assert result.cleaned, result.problem
    assert_no_seeded_bytes(result.data)
    with Image.open(io.BytesIO(result.data)) as image, Image.open(io.BytesIO(original)) as before:
        assert not image.getexif()
        assert "xmp" not in image.info
        assert image.tobytes() == before.tobytes()


def test_it_flags_a_heic_photo_it_cannot_read() -> None:
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + bytes(64)
    assert sniff_type(heic) == "image/heic"
    result = clean(heic, "image/heic")
    assert not result.cleaned
    assert result.problem is not None
    assert "HEIC" in result.problem
    assert result.data == heic


def test_it_flags_an_office_document_as_not_cleaned() -> None:
    docx = b"PK\x03\x04" + bytes(26) + b"[Content_Types].xml" + b"word/document.xml"
    assert (
        sniff_type(docx)
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    result = clean(docx, sniff_type(docx) or "")
    assert result == CleanResult(docx, cleaned=False, removed=[], problem=result.problem)
    assert result.problem is not None
    assert "author names" in result.problem


def test_it_flags_a_truncated_jpeg_and_returns_it_unchanged() -> None:
    data = seeded_jpeg()
    cut = data[: data.index(b"\xff\xda") + 40]
    result = clean(cut, "image/jpeg")
    assert not result.cleaned
    assert result.problem is not None
    assert "truncated" in result.problem
    assert result.data == cut


def test_it_flags_content_that_does_not_match_the_claimed_type() -> None:
    result = clean(seeded_png(), "image/jpeg")
    assert not result.cleaned
    assert result.problem == "the content is image/png, not image/jpeg"


def test_it_passes_plain_utf8_text_through() -> None:
    text = "Notes for Tuesday — café ☕\n".encode()
    assert clean(text, "text/plain") == CleanResult(text, cleaned=True, removed=[], problem=None)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "image/heic"),
        (b"\x00\x00\x00\x14ftypmif1\x00\x00\x00\x00mif1", "image/heif"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "image/avif"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "video/mp4"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf"),
        (b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis.opendocument.text", None),
        (b"PK\x03\x04" + bytes(26) + b"notes.txt", "application/zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
        ("Hello — see you Tuesday\n".encode(), "text/plain"),
        ("café".encode()[:-1], "text/plain"),  # a head cut inside a character
        (b"MZ\x90\x00\x03\x00\x00\x00", None),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(8), None),
        (b"", None),
    ],
)
def test_it_types_a_file_by_its_magic_bytes(head: bytes, kind: str | None) -> None:
    if kind is None and head.startswith(b"PK"):
        kind = "application/vnd.oasis.opendocument.text"
    assert sniff_type(head) == kind


def test_it_never_trusts_the_file_name(tmp_path: Path) -> None:
    disguised = tmp_path / "holiday.jpg"
    disguised.write_bytes(seeded_pdf())
    assert sniff_type(disguised.read_bytes()[:8192]) == "application/pdf"
    result = clean(disguised, "application/pdf")
    assert result.cleaned
    assert_no_seeded_bytes(result.data)


def test_it_rejects_uploads_over_the_size_limit_empty_or_of_unknown_type(tmp_path: Path) -> None:
    head = seeded_png()[:64]
    assert check_upload(head, 1000) == "image/png"
    with pytest.raises(UploadRejectedError, match="limit is 100 bytes"):
        check_upload(head, 101, max_bytes=100)
    with pytest.raises(UploadRejectedError, match="empty"):
        check_upload(b"", 0)
    with pytest.raises(UploadRejectedError, match="not recognised"):
        check_upload(b"MZ\x90\x00", 4)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 101)
    with pytest.raises(UploadRejectedError, match="larger than the limit"):
        clean(big, "text/plain", max_bytes=100)
