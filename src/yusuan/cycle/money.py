"""Money in the cycle: Decimal yuan at the edges, integer fen (分) inside.

The ledger stores every amount as an integer number of fen.  Integers are
exact on every backend (SQLite has no decimal type: a ``Numeric`` column there
round-trips through a float), sum without rounding, and compare fast on the
hot payment path.  Users and the model see ``Decimal`` yuan.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.cycle.errors import Refused

FEN = Decimal("0.01")


def to_fen(yuan: Decimal | int | str) -> int:
    """Yuan as integer fen; refuses amounts finer than one fen."""
    value = Decimal(yuan)
    fen = value * 100
    if fen != fen.to_integral_value():
        raise Refused(
            "cycle.amount_precision",
            f"金额 {value} 元精度超过分，无法入账",
            f"amount {value} yuan is finer than one fen",
        )
    return int(fen)


def to_yuan(fen: int) -> Decimal:
    """Integer fen as Decimal yuan with two places."""
    return (Decimal(fen) / 100).quantize(FEN)
