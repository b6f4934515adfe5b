"""Checks and metadata stripping for files clients and therapists upload.

Clause 5 (``location-services``): everything Boundaries shares is stripped of
location metadata. A photo's EXIF can carry GPS coordinates and the camera's
serial number, a PDF's document information the author's name. So uploads
are typed by their magic bytes (the file name is never trusted) and cleaned:

* JPEG: the segments are rebuilt without APPn/COM, except JFIF (its thumbnail
  dropped), ICC profile and Adobe colour transform, losslessly: the pixels are
  never re-encoded. EXIF orientation survives as a minimal EXIF with only
  that tag, so the photo still shows the right way up.
* PNG: ancillary chunks outside a list of rendering ones (tEXt, zTXt, iTXt,
  eXIf, tIME, private chunks) are dropped, losslessly; orientation kept the same way.
* GIF: comment, plain-text and application extensions except looping are dropped.
* WebP: EXIF and XMP chunks are dropped and the VP8X flags corrected.
* PDF: rewritten with pypdf without the document information dictionary, the
  XMP metadata of the document and of every page or object, and /PieceInfo.
* AVIF (and HEIC/HEIF where Pillow can read it): re-encoded without metadata.

A file that cannot be cleaned (HEIC without a decoder, an encrypted PDF, an
Office document, a damaged image) comes back with ``cleaned=False`` and a
``problem`` saying why: the caller stores it flagged and never sends it on.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "HEAD_SIZE",
    "MAX_UPLOAD_BYTES",
    "CleanResult",
    "UploadRejectedError",
    "check_upload",
    "clean",
    "sniff_type",
]

HEAD_SIZE = 8192
MAX_UPLOAD_BYTES = 25 * 1024 * 1024

JPEG = "image/jpeg"
PNG = "image/png"
GIF = "image/gif"
WEBP = "image/webp"
HEIC = "image/heic"
HEIF = "image/heif"
AVIF = "image/avif"
PDF = "application/pdf"
TEXT = "text/plain"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
OLE = "application/x-ole-storage"
MP4 = "video/mp4"
QUICKTIME = "video/quicktime"
M4A = "audio/mp4"
OGG = "audio/ogg"
WAV = "audio/wav"
MP3 = "audio/mpeg"

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_HEIF_BRANDS = {b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


class UploadRejectedError(ValueError):
    """An upload that is not accepted at all (too large, empty, of no known type)."""


@dataclass(frozen=True, slots=True)
class CleanResult:
    data: bytes
    cleaned: bool
    removed: list[str] = field(default_factory=list)
    problem: str | None = None


class _CannotCleanError(Exception):
    pass


def sniff_type(head: bytes) -> str | None:
    """The MIME type the first bytes of a file show (``HEAD_SIZE`` is enough), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in {b"GIF87a", b"GIF89a"}:
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return _sniff_ftyp(head)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(head)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"ID3") or head[:2] in {b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"}:
        return MP3
    if head and _looks_like_text(head):
        return TEXT
    return None


def _sniff_ftyp(head: bytes) -> str:
    box_size = int.from_bytes(head[:4], "big")
    brands = [head[8:12]] + [
        head[offset : offset + 4] for offset in range(16, min(box_size, len(head)), 4)
    ]
    # "mif1" only says "some HEIF image": a HEVC or AV1 brand anywhere says which.
    for brand_set, kind in ((_HEIC_BRANDS, HEIC), (_AVIF_BRANDS, AVIF)):
        if brands[0] in brand_set:
            return kind
    for brand_set, kind in ((_HEIC_BRANDS, HEIC), (_AVIF_BRANDS, AVIF), (_HEIF_BRANDS, HEIF)):
        if any(brand in brand_set for brand in brands):
            return kind
    if brands[0] == b"qt  ":
        return QUICKTIME
    if brands[0] in {b"M4A ", b"M4B "}:
        return M4A
    return MP4


def _sniff_zip(head: bytes) -> str:
    if head[30:38] == b"mimetype" and ODT.encode() in head[38:100]:
        return ODT
    for marker, kind in ((b"word/", DOCX), (b"xl/", XLSX), (b"ppt/", PPTX)):
        if marker in head:
            return kind
    return ZIP


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end inside a multi-byte character: only that is forgiven.
        if error.start < len(head) - 3 or error.reason != "unexpected end of data":
            return False
        text = head[: error.start].decode("utf-8")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    return controls <= len(text) // 100


def check_upload(head: bytes, size: int, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The upload's type from its magic bytes, or :class:`UploadRejectedError` saying why not."""
    if size > max_bytes:
        raise UploadRejectedError(f"the file is {size} bytes; the limit is {max_bytes} bytes")
    if size == 0:
        raise UploadRejectedError("the file is empty")
    kind = sniff_type(head)
    if kind is None:
        raise UploadRejectedError("the file's type is not recognised from its content")
    return kind


def clean(
    data_or_path: bytes | Path | str, sniffed_type: str, *, max_bytes: int = MAX_UPLOAD_BYTES
) -> CleanResult:
    """The file without its metadata, or the original flagged with the reason it is not clean."""
    data = _load(data_or_path, max_bytes)
    actual = sniff_type(data[:HEAD_SIZE])
    if actual != sniffed_type:
        return CleanResult(
            data, cleaned=False, problem=f"the content is {actual or 'unknown'}, not {sniffed_type}"
        )
    cleaner = _CLEANERS.get(sniffed_type)
    if cleaner is None:
        return CleanResult(data, cleaned=False, problem=_NOT_CLEANABLE.get(sniffed_type, _OTHER))
    try:
        cleaned, removed = cleaner(data)
    except _CannotCleanError as error:
        return CleanResult(data, cleaned=False, problem=str(error))
    return CleanResult(cleaned, cleaned=True, removed=_unique(removed))


def _load(data_or_path: bytes | Path | str, max_bytes: int) -> bytes:
    if isinstance(data_or_path, bytes | bytearray | memoryview):
        data = bytes(data_or_path)
    else:
        with Path(data_or_path).open("rb") as handle:
            data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejectedError(f"the file is larger than the limit of {max_bytes} bytes")
    return data


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


_OTHER = "files of this type are not cleaned of metadata"
_OFFICE = (
    "Office documents carry author names, edit history and comments in many places "
    "that are not removed here"
)
_NOT_CLEANABLE = {
    DOCX: _OFFICE,
    XLSX: _OFFICE,
    PPTX: _OFFICE,
    ODT: _OFFICE,
    OLE: _OFFICE,
    ZIP: "archives are not opened or cleaned",
    MP4: "video files (with their location tags) are not cleaned",
    QUICKTIME: "video files (with their location tags) are not cleaned",
    M4A: "audio files are not cleaned of their tags",
    OGG: "audio files are not cleaned of their tags",
    WAV: "audio files are not cleaned of their tags",
    MP3: "audio files are not cleaned of their tags",
}


# --- EXIF orientation -------------------------------------------------------------------------

_ORIENTATION_TAG = 0x0112
_GPS_TAG = 0x8825


def _tiff_ifd0_tags(tiff: bytes) -> dict[int, int]:
    """IFD0's SHORT/LONG tag values of a TIFF structure (EXIF), read defensively."""
    if len(tiff) < 8 or tiff[:2] not in {b"II", b"MM"}:
        return {}
    order = "<" if tiff[:2] == b"II" else ">"
    (offset,) = struct.unpack_from(order + "I", tiff, 4)
    if offset + 2 > len(tiff):
        return {}
    (count,) = struct.unpack_from(order + "H", tiff, offset)
    tags: dict[int, int] = {}
    for number in range(count):
        entry = offset + 2 + 12 * number
        if entry + 12 > len(tiff):
            break
        tag, kind = struct.unpack_from(order + "HH", tiff, entry)
        if kind == 3:
            (tags[tag],) = struct.unpack_from(order + "H", tiff, entry + 8)
        elif kind == 4:
            (tags[tag],) = struct.unpack_from(order + "I", tiff, entry + 8)
    return tags


def _orientation_only_tiff(orientation: int) -> bytes:
    """A TIFF header with one IFD holding only the orientation tag."""
    return b"MM\x00\x2a" + struct.pack(">IHHHIHHI", 8, 1, _ORIENTATION_TAG, 3, 1, orientation, 0, 0)


def _orientation(tags: dict[int, int]) -> int:
    value = tags.get(_ORIENTATION_TAG, 1)
    return value if 1 <= value <= 8 else 1


def _exif_description(tiff: bytes) -> list[str]:
    tags = _tiff_ifd0_tags(tiff)
    removed = ["EXIF"]
    if _GPS_TAG in tags:
        removed.append("EXIF GPS position")
    return removed


# --- JPEG ---------------------------------------------------------------------------------------

_SOI, _EOI, _SOS, _COM, _APP0, _APP1, _APP2, _APP13, _APP14 = (
    0xD8,
    0xD9,
    0xDA,
    0xFE,
    0xE0,
    0xE1,
    0xE2,
    0xED,
    0xEE,
)
_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _jpeg_describe(marker: int, payload: bytes) -> list[str]:
    if marker == _APP1 and payload.startswith(b"Exif\x00\x00"):
        return _exif_description(payload[6:])
    if marker == _APP1 and payload.startswith(b"http://ns.adobe.com/xap/1.0/\x00"):
        return ["XMP"]
    if marker == _APP1 and payload.startswith(b"http://ns.adobe.com/xmp/extension/\x00"):
        return ["extended XMP"]
    if marker == _APP13:
        return ["IPTC/Photoshop metadata"]
    if marker == _COM:
        return ["JPEG comment"]
    if marker == _APP2 and payload.startswith(b"MPF\x00"):
        return ["multi-picture index (MPF)"]
    if marker == _APP0 and payload.startswith(b"JFXX\x00"):
        return ["JFIF thumbnail"]
    return [f"APP{marker - _APP0} segment"]


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) + 2 > 0xFFFF:
        raise _CannotCleanError("a JPEG segment is too long to rebuild")
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def _clean_jpeg(data: bytes) -> tuple[bytes, list[str]]:
    try:
        return _rebuild_jpeg(data)
    except (struct.error, IndexError):
        raise _CannotCleanError("the JPEG is damaged or truncated") from None


def _rebuild_jpeg(data: bytes) -> tuple[bytes, list[str]]:
    parts: list[bytes] = [b"\xff\xd8"]
    removed: list[str] = []
    exif_at: int | None = None
    orientation = 1
    position = 2
    while True:
        if position + 2 > len(data) or data[position] != 0xFF:
            raise _CannotCleanError("the JPEG is damaged or truncated (no end-of-image marker)")
        while data[position + 1] == 0xFF:  # fill bytes before a marker
            position += 1
        marker = data[position + 1]
        position += 2
        if marker == _EOI:
            parts.append(b"\xff\xd9")
            if position < len(data):
                removed.append(f"{len(data) - position} bytes after the end of the image")
            break
        if marker in _STANDALONE:
            parts.append(bytes((0xFF, marker)))
            continue
        (length,) = struct.unpack_from(">H", data, position)
        if length < 2 or position + length > len(data):
            raise _CannotCleanError("the JPEG is truncated (a segment overruns the file)")
        payload = data[position + 2 : position + length]
        segment = data[position - 2 : position + length]
        position += length
        if _APP0 <= marker <= 0xEF or marker == _COM:
            kept = _kept_app_segment(marker, payload, removed)
            if kept is not None:
                parts.append(kept)
                continue
            if marker == _APP1 and payload.startswith(b"Exif\x00\x00") and exif_at is None:
                exif_at = len(parts)
                orientation = _orientation(_tiff_ifd0_tags(payload[6:]))
            removed.extend(_jpeg_describe(marker, payload))
            continue
        parts.append(segment)
        if marker == _SOS:
            end = _entropy_coded_end(data, position)
            parts.append(data[position:end])
            position = end
    if orientation != 1 and exif_at is not None:
        minimal = _segment(_APP1, b"Exif\x00\x00" + _orientation_only_tiff(orientation))
        parts.insert(exif_at, minimal)
        removed.append(f"EXIF (orientation {orientation} kept)")
    out = b"".join(parts)
    _check_image_opens(out, "JPEG")
    return out, removed


def _kept_app_segment(marker: int, payload: bytes, removed: list[str]) -> bytes | None:
    """The segment to keep for JFIF, ICC and Adobe markers (they affect rendering), else None."""
    if marker == _APP0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
        if payload[12] or payload[13] or len(payload) > 14:
            removed.append("JFIF thumbnail")
        return _segment(marker, payload[:12] + b"\x00\x00")
    if marker == _APP2 and payload.startswith(b"ICC_PROFILE\x00"):
        return _segment(marker, payload)
    if marker == _APP14 and payload.startswith(b"Adobe"):
        return _segment(marker, payload)
    return None


def _entropy_coded_end(data: bytes, position: int) -> int:
    """Where the scan data after an SOS header ends: the next real marker."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            raise _CannotCleanError("the JPEG is truncated inside its image data")
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2  # a stuffed 0xFF byte or a restart marker: still scan data
        elif following == 0xFF:
            position += 1
        else:
            return position


def _check_image_opens(data: bytes, kind: str) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception as error:  # noqa: BLE001 - any decoder failure on an untrusted file means "not clean"
        raise _CannotCleanError(
            f"the cleaned {kind} does not decode ({type(error).__name__})"
        ) from None


# --- PNG ---------------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that affect how the image looks (critical ones, colour, animation): everything else goes.
_PNG_KEPT = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"bKGD", b"hIST", b"pHYs", b"sPLT", b"cICP", b"mDCV", b"mDCv", b"cLLI", b"cLLi",
    b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
_PNG_NAMES = {
    b"tEXt": "PNG text (tEXt)",
    b"zTXt": "PNG compressed text (zTXt)",
    b"iTXt": "PNG international text (iTXt, XMP)",
    b"eXIf": "EXIF",
    b"tIME": "PNG modification time (tIME)",
}


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def _clean_png(data: bytes) -> tuple[bytes, list[str]]:
    position = len(_PNG_SIGNATURE)
    parts: list[bytes] = [_PNG_SIGNATURE]
    removed: list[str] = []
    orientation = 1
    first_idat: int | None = None
    while True:
        if position + 12 > len(data):
            raise _CannotCleanError("the PNG is truncated (no IEND chunk)")
        (length,) = struct.unpack_from(">I", data, position)
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise _CannotCleanError("the PNG is truncated (a chunk overruns the file)")
        payload = data[position + 8 : end - 4]
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if crc != zlib.crc32(kind + payload):
            raise _CannotCleanError(f"the PNG is damaged (bad checksum in a {kind!r} chunk)")
        if kind in _PNG_KEPT:
            if kind == b"IDAT" and first_idat is None:
                first_idat = len(parts)
            parts.append(data[position:end])
        elif kind == b"eXIf":
            orientation = _orientation(_tiff_ifd0_tags(payload))
            removed.extend(_exif_description(payload))
        else:
            removed.append(_PNG_NAMES.get(kind, f"PNG {kind.decode('latin-1')} chunk"))
        position = end
        if kind == b"IEND":
            break
    if position < len(data):
        removed.append(f"{len(data) - position} bytes after the end of the image")
    if orientation != 1 and first_idat is not None:
        parts.insert(first_idat, _png_chunk(b"eXIf", _orientation_only_tiff(orientation)))
        removed.append(f"EXIF (orientation {orientation} kept)")
    out = b"".join(parts)
    _check_image_opens(out, "PNG")
    return out, removed


# --- GIF ---------------------------------------------------------------------------------------


def _gif_sub_blocks_end(data: bytes, position: int) -> int:
    while True:
        size = data[position]
        position += 1 + size
        if size == 0:
            return position


def _clean_gif(data: bytes) -> tuple[bytes, list[str]]:
    try:
        return _rebuild_gif(data)
    except IndexError:
        raise _CannotCleanError("the GIF is damaged or truncated") from None


def _rebuild_gif(data: bytes) -> tuple[bytes, list[str]]:
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    parts = [data[:position]]
    removed: list[str] = []
    while True:
        introducer = data[position]
        if introducer == 0x3B:  # trailer
            parts.append(b"\x3b")
            position += 1
            break
        if introducer == 0x2C:  # image: descriptor, local colour table, LZW size, data
            local = data[position + 9]
            start = position
            position += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            position = _gif_sub_blocks_end(data, position)
            parts.append(data[start:position])
        elif introducer == 0x21:
            label = data[position + 1]
            start = position
            position = _gif_sub_blocks_end(data, position + 2)
            block = data[start:position]
            if label == 0xF9 or (label == 0xFF and block[3:14] in {b"NETSCAPE2.0", b"ANIMEXTS1.0"}):
                parts.append(block)  # frame timing and looping
            elif label == 0xFE:
                removed.append("GIF comment")
            elif label == 0xFF and block[3:14] == b"XMP DataXMP":
                removed.append("XMP")
            elif label == 0xFF:
                removed.append("GIF application extension")
            else:
                removed.append("GIF text extension")
        else:
            raise _CannotCleanError("the GIF is damaged (unknown block)")
    if position < len(data):
        removed.append(f"{len(data) - position} bytes after the end of the image")
    out = b"".join(parts)
    _check_image_opens(out, "GIF")
    return out, removed


# --- WebP --------------------------------------------------------------------------------------


def _clean_webp(data: bytes) -> tuple[bytes, list[str]]:
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = min(len(data), 8 + riff_size)
    position = 12
    chunks: list[bytearray] = []
    removed: list[str] = []
    while position + 8 <= end:
        kind = data[position : position + 4]
        (size,) = struct.unpack_from("<I", data, position + 4)
        stop = position + 8 + size + (size & 1)
        if position + 8 + size > end:
            raise _CannotCleanError("the WebP is truncated (a chunk overruns the file)")
        if kind == b"EXIF":
            removed.extend(_exif_description(data[position + 8 : position + 8 + size]))
        elif kind == b"XMP ":
            removed.append("XMP")
        elif kind in {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}:
            chunks.append(bytearray(data[position:stop]))
        else:
            removed.append(f"WebP {kind.decode('latin-1')} chunk")
        position = stop
    for chunk in chunks:
        if chunk[:4] == b"VP8X":
            chunk[8] &= ~0x0C & 0xFF  # clear the "has EXIF" and "has XMP" flags
    body = b"WEBP" + b"".join(chunks)
    if len(data) > end:
        removed.append(f"{len(data) - end} bytes after the end of the image")
    out = b"RIFF" + struct.pack("<I", len(body)) + body
    _check_image_opens(out, "WebP")
    return out, removed


# --- AVIF / HEIC / HEIF ------------------------------------------------------------------------


def _reencode_with_pillow(data: bytes) -> tuple[bytes, list[str]]:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or "image"
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            upright.save(out, format=kind)
    except Exception as error:  # noqa: BLE001 - no decoder, or a damaged file: either way not clean
        raise _CannotCleanError(
            f"this image cannot be read here ({type(error).__name__}); HEIC/HEIF needs a "
            "decoder that is not installed"
        ) from None
    return out.getvalue(), ["EXIF", "XMP", f"re-encoded as {kind} with orientation applied"]


# --- PDF ---------------------------------------------------------------------------------------

_PDF_DROPPED_KEYS = {"/Metadata": "XMP metadata", "/PieceInfo": "application data (/PieceInfo)"}


def _clean_pdf(data: bytes) -> tuple[bytes, list[str]]:
    try:
        return _rewrite_pdf(data)
    except _CannotCleanError:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many types on hostile files
        raise _CannotCleanError(f"the PDF cannot be read ({type(error).__name__})") from None


def _rewrite_pdf(data: bytes) -> tuple[bytes, list[str]]:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise _CannotCleanError("the PDF is encrypted, so its metadata cannot be removed")
    removed: list[str] = []
    info = reader.metadata
    if info:
        fields = ", ".join(sorted(key.lstrip("/") for key in info))
        removed.append(f"document information ({fields})")
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None
    root = writer.root_object
    names = root.get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        raise _CannotCleanError("the PDF has embedded files, whose own metadata cannot be removed")
    _strip_pdf_keys(root, removed)
    # The dropped streams are still objects of the file until orphans are removed.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    cleaned = out.getvalue()
    if len(PdfReader(io.BytesIO(cleaned)).pages) != len(reader.pages):
        raise _CannotCleanError("the rewritten PDF lost pages")
    return cleaned, removed


def _strip_pdf_keys(root: object, removed: list[str]) -> None:
    """Walk every object reachable from the catalogue and drop metadata keys."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    pending: list[object] = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            reference = (item.idnum, item.generation)
            if reference in seen:
                continue
            seen.add(reference)
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # includes streams
            for key, description in _PDF_DROPPED_KEYS.items():
                if key in item:
                    del item[key]
                    removed.append(description)
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)


# --- plain text --------------------------------------------------------------------------------


def _clean_text(data: bytes) -> tuple[bytes, list[str]]:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _CannotCleanError("the text is not valid UTF-8") from None
    return data, []


_CLEANERS: dict[str, Callable[[bytes], tuple[bytes, list[str]]]] = {
    JPEG: _clean_jpeg,
    PNG: _clean_png,
    GIF: _clean_gif,
    WEBP: _clean_webp,
    AVIF: _reencode_with_pillow,
    HEIC: _reencode_with_pillow,
    HEIF: _reencode_with_pillow,
    PDF: _clean_pdf,
    TEXT: _clean_text,
}
