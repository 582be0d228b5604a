"""The ``yusuan`` command line."""

from yusuan.cli.main import main

__all__ = ["main"]
