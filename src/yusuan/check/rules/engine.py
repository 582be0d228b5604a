"""YS0xx: the engine's own findings."""

from __future__ import annotations

from collections.abc import Iterator

from yusuan.check.engine import Context, Hit, Rule, register
from yusuan.model import Severity


@register
class RuleCrashed(Rule):
    """What: a rule raised an exception while checking; its findings may be missing.

    Why: a bug in one rule must not hide the findings of the others (the run goes on), and must
    not pass unnoticed either: the review is incomplete until it is fixed.

    Example: YS101 raised ``ZeroDivisionError`` at tables.py:120.

    Fix: report the bug with the document; the other rules' findings stand.
    """

    code = "YS001"
    title = "检查规则运行出错"
    title_en = "A rule crashed"
    severity = Severity.ERROR
    tags = frozenset({"engine"})
    message = "规则 {rule} 运行出错（{error}，{where}），其检查结果可能不完整"
    message_en = "rule {rule} crashed ({error} at {where}); its findings may be incomplete"

    def check(self, ctx: Context) -> Iterator[Hit]:
        return iter(())  # raised by the engine itself when a rule crashes
