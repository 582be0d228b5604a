"""Refusals: a command the rules do not allow, with its reason (Chinese first).

A refusal is a request error in the sense of the service layer (raised, then
shown with its stable code), not a bug.  Warnings that do not stop a command
are returned as :class:`Warning_` records on the command's result.
"""

from __future__ import annotations

from dataclasses import dataclass


class Refused(Exception):
    """A command refused by the budget rules."""

    def __init__(self, code: str, message: str, message_en: str = "", **facts: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = message_en
        self.facts = facts

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "facts": {k: str(v) for k, v in self.facts.items()},
        }


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning attached to an accepted command (e.g. 三保 short while paying other items)."""

    code: str
    message: str
    message_en: str = ""
