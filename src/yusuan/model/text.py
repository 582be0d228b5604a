"""Repaired text that still maps back to the exact characters of the source.

Readers and the layout step repair PDF damage (sentences broken across
lines, spaces inside numbers, ``1—6 月``) for extraction.  A
:class:`MappedText` holds the repaired string together with, for every
character of it, the offset of the source character it came from, so that
any match in the repaired text maps back to a span of the original.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MappedText:
    """``text[i]`` came from ``source[offsets[i]]``."""

    text: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, source: str, start: int = 0, end: int | None = None) -> MappedText:
        end = len(source) if end is None else end
        return cls(source[start:end], tuple(range(start, end)))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span ``[s, e)`` covering repaired characters ``[start, end)``."""
        if end <= start:
            at = self.offsets[start] if start < len(self.offsets) else self.offsets[-1] + 1
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.offsets[start:end])

    def __add__(self, other: MappedText) -> MappedText:
        return MappedText(self.text + other.text, self.offsets + other.offsets)

    @classmethod
    def join(cls, parts: list[MappedText]) -> MappedText:
        return cls("".join(p.text for p in parts), tuple(o for p in parts for o in p.offsets))

    def drop(self, positions: set[int]) -> MappedText:
        """Remove repaired characters at ``positions``."""
        keep = [i for i in range(len(self.text)) if i not in positions]
        return MappedText("".join(self.text[i] for i in keep), tuple(self.offsets[i] for i in keep))

    def replace_char(self, position: int, char: str) -> MappedText:
        """Replace one character keeping its source offset (e.g. ``—`` -> ``-``)."""
        return MappedText(
            self.text[:position] + char + self.text[position + 1 :], self.offsets
        )
