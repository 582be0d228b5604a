"""Readers: a file in any supported format becomes a :class:`Document`.

Every reader renders the file as text in which table rows are
tab-separated lines, so that one layout step serves every format; all
offsets of the ledger point into that text.  Formats: .txt, .pdf
(pypdfium2), .docx (python-docx), .xlsx (openpyxl), .html (lxml); the
heavy libraries are imported only when a file of their format is read.
Bad input is returned as :class:`~yusuan.model.Problem` records, never
raised.
"""

from yusuan.read.base import Reader, read, read_bytes, split_lines

__all__ = ["Reader", "read", "read_bytes", "split_lines"]
