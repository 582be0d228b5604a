"""Plain text: the file's own decoded characters, unaltered."""

from __future__ import annotations

from yusuan.model import Document, Problem
from yusuan.read.base import make_document
from yusuan.read.problems import problem
from yusuan.read.sniff import decode_text, describe, guess_legacy_encoding, mostly_utf8


class TxtReader:
    """UTF-8 (BOM optional) or UTF-16 with a BOM.

    A UTF-8 file spoilt by a few bad bytes is read with U+FFFD in their
    place and a ``read.bytes`` problem; text in another encoding (GBK,
    GB18030, Big5) is a ``read.encoding`` problem that says how to convert.

    ``Document.text`` is exactly the decoded characters (a BOM is not a
    character of the text): ``\\r\\n`` stays, nothing is normalised, so a
    quote is always ``text[start:end]`` of what the file says.
    """

    format = "txt"
    extensions = (".txt", ".text")

    def read(self, data: bytes, path: str) -> tuple[Document | None, list[Problem]]:
        text, _codec = decode_text(data)
        if text is None:
            mostly = mostly_utf8(data)
            if mostly is not None:
                text, count, line = mostly
                if not text.strip():
                    return None, [problem("read.empty", path)]
                document = make_document(data, path, self.format, text)
                return document, [problem("read.bytes", path, line=line, count=count)]
            guess = guess_legacy_encoding(data)
            if guess:
                return None, [problem("read.encoding", path, encoding=guess)]
            zh, en = describe("binary")
            return None, [problem("read.binary", path, what=zh, what_en=en)]
        if not text.strip():
            return None, [problem("read.empty", path)]
        return make_document(data, path, self.format, text), []
