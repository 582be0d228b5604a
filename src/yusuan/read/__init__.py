"""Readers: a file in any supported format becomes a :class:`Document`.

Every reader renders the file as text in which table rows are
tab-separated lines, so that one layout step serves every format; all
offsets of the ledger point into that text.
"""

from yusuan.read.base import read, read_bytes

__all__ = ["read", "read_bytes"]
