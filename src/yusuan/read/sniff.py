"""What a file's bytes really are: magic bytes, zip members, text encodings."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

# kind -> (Chinese, English) description, used in messages
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("PDF 文档", "a PDF document"),
    "docx": ("Word 文档（.docx）", "a Word document (.docx)"),
    "xlsx": ("Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)"),
    "html": ("HTML 网页", "an HTML page"),
    "txt": ("纯文本", "plain text"),
    "zip": ("ZIP 压缩包", "a ZIP archive"),
    "ole": (
        "旧版 Office 文件（.doc/.xls/.wps），请另存为 .docx 或 .xlsx",
        "a legacy Office file (.doc/.xls/.wps); save it as .docx or .xlsx",
    ),
    "png": ("PNG 图片", "a PNG image"),
    "jpeg": ("JPEG 图片", "a JPEG image"),
    "gif": ("GIF 图片", "a GIF image"),
    "tiff": ("TIFF 图片", "a TIFF image"),
    "gzip": ("gzip 压缩文件", "a gzip file"),
    "rar": ("RAR 压缩包", "a RAR archive"),
    "7z": ("7z 压缩包", "a 7z archive"),
    "ofd": ("OFD 版式文件", "an OFD document"),
    "binary": ("未知二进制数据", "unknown binary data"),
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str  # a key of KINDS
    encoding: str | None = None  # for text: the codec that decodes it
    guess: str | None = None  # for undecodable text: the encoding it looks like


def describe(kind: str) -> tuple[str, str]:
    return KINDS.get(kind, KINDS["binary"])


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # A damaged zip: guess from the member names in its local headers.
        if b"word/" in data:
            return "docx"
        if b"xl/" in data:
            return "xlsx"
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """(text, codec) when the bytes are UTF-8 (BOM optional) or UTF-16 with a BOM."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None, None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return None, None


def mostly_utf8(data: bytes) -> tuple[str, int, int] | None:
    """(text, bad sequences, first bad line) when a few bytes spoil otherwise UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    text = body.decode("utf-8", errors="replace")
    count = len(re.findall("\ufffd+", text)) - body.count("\ufffd".encode())
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if count <= 0 or count > max(3, non_ascii // 200):
        return None
    return text, count, text[: text.index("\ufffd")].count("\n") + 1


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.02


def guess_legacy_encoding(data: bytes) -> str | None:
    """'GBK' or 'GB18030' (or 'Big5') when the bytes read as Chinese in it."""
    for codec, label in (("gbk", "GBK"), ("gb18030", "GB18030"), ("big5", "Big5")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        non_ascii = [c for c in text if ord(c) > 127]
        if not non_ascii:
            continue
        hanzi = sum(
            1
            for c in non_ascii
            if 0x4E00 <= ord(c) <= 0x9FFF
            or 0x3000 <= ord(c) <= 0x303F
            or 0xFF00 <= ord(c) <= 0xFFEF
        )
        if hanzi >= len(non_ascii) * 0.9:
            return label
    return None


def sniff(data: bytes) -> Sniffed:
    """What the bytes are, from their content alone."""
    head = data[:1024]
    if b"%PDF-" in head:
        return Sniffed("pdf")
    if data.startswith(b"PK\x03\x04"):
        return Sniffed(_zip_kind(data))
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return Sniffed(kind)
    text, codec = decode_text(data)
    if text is not None and not _looks_binary(text.encode("utf-8", "replace")):
        lowered = text[:2048].lstrip().lower()
        if lowered.startswith(("<!doctype html", "<html")) or (
            lowered.startswith("<") and "<body" in text[:65536].lower()
        ):
            return Sniffed("html", encoding=codec)
        return Sniffed("txt", encoding=codec)
    if _looks_binary(data):
        return Sniffed("binary")
    if mostly_utf8(data) is not None:
        lowered = data[:2048].lstrip().lower()
        kind = "html" if lowered.startswith((b"<!doctype html", b"<html")) else "txt"
        return Sniffed(kind, encoding="utf-8")
    guess = guess_legacy_encoding(data)
    if guess:
        lowered = data[:2048].lstrip().lower()
        kind = "html" if lowered.startswith((b"<!doctype html", b"<html")) else "txt"
        return Sniffed(kind, guess=guess)
    return Sniffed("binary")
