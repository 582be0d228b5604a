"""The service: REST API and web UI over the ledger, with accounts and roles.

``create_app(db_url)`` builds the ASGI application (see :mod:`yusuan.service.app`);
``yusuan serve`` runs it with uvicorn.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # imported lazily so that `yusuan user add` works without loading FastAPI
    if name == "create_app":
        from yusuan.service.app import create_app

        return create_app
    raise AttributeError(name)
