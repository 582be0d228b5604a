"""The ledger database: every document, fact, table, relation and finding.

SQLite by default, PostgreSQL by URL; the schema is migrated on open.

>>> from yusuan.store import Store
>>> store = Store.open("sqlite:///yusuan.db")        # doctest: +SKIP
>>> store.ingest(extraction)                         # doctest: +SKIP
"""

import yusuan.store.accounts  # the accounts and cycle tables belong to the same schema
import yusuan.store.cycle  # noqa: F401
from yusuan.store.db import DEFAULT_URL, normalize_url
from yusuan.store.ledger import (
    REVIEW_STATUSES,
    IngestResult,
    ReviewedFinding,
    Store,
    StoredDocument,
)

__all__ = [
    "DEFAULT_URL",
    "REVIEW_STATUSES",
    "IngestResult",
    "ReviewedFinding",
    "Store",
    "StoredDocument",
    "normalize_url",
]
