"""The web UI's words: Chinese first, English with ``?lang=en`` or the ``yusuan_lang`` cookie."""

from __future__ import annotations

LANG_COOKIE = "yusuan_lang"
LANGS = ("zh", "en")

BOOK = {
    "general": ("一般公共预算", "General public budget"),
    "fund": ("政府性基金预算", "Government fund budget"),
    "capital": ("国有资本经营预算", "State capital operations budget"),
    "social": ("社会保险基金预算", "Social insurance fund budget"),
    "all": ("四本合计", "All books"),
}
STAGE = {
    "budget": ("年初预算", "Budget"),
    "adjusted": ("调整预算", "Adjusted budget"),
    "execution": ("执行数", "Execution"),
    "final": ("决算数", "Final accounts"),
    "limit": ("限额", "Limit"),
    "balance": ("余额", "Balance"),
    "plan": ("安排", "Plan"),
    "other": ("其他", "Other"),
}
SCOPE = {"whole": ("全口径", "Whole"), "own": ("本级", "Own level")}
KIND = {
    "budget_report": ("预算报告", "Budget report"),
    "execution_report": ("预算执行情况报告", "Execution report"),
    "final_report": ("决算报告", "Final accounts report"),
    "department_budget": ("部门预算", "Department budget"),
    "tables": ("公开表", "Disclosure tables"),
    "other": ("其他", "Other"),
}
SEVERITY = {"error": ("错误", "Error"), "warning": ("警告", "Warning"), "notice": ("提示", "Notice")}
STATUS = {
    "open": ("待审", "Open"),
    "confirmed": ("已确认", "Confirmed"),
    "dismissed": ("已驳回", "Dismissed"),
}
ROLE = {
    "admin": ("管理员", "Administrator"),
    "editor": ("编辑", "Editor"),
    "reviewer": ("审核", "Reviewer"),
    "viewer": ("只读", "Viewer"),
}
JOB = {
    "queued": ("排队中", "Queued"),
    "reading": ("读取文件", "Reading"),
    "extracting": ("抽取数据", "Extracting"),
    "storing": ("写入账本", "Storing"),
    "checking": ("审查勾稽关系", "Checking"),
    "done": ("完成", "Done"),
    "failed": ("失败", "Failed"),
}

TEXT: dict[str, tuple[str, str]] = {
    "app": ("预算审查", "yusuan budget review"),
    "documents": ("文件", "Documents"),
    "governments": ("政府", "Governments"),
    "findings": ("审查发现", "Findings"),
    "codes": ("科目", "Classification"),
    "search": ("搜索", "Search"),
    "cycle": ("预算管理", "Budget cycle"),
    "audit": ("审计日志", "Audit log"),
    "users": ("用户", "Users"),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "role": ("角色", "Role"),
    "upload": ("上传文件", "Upload a document"),
    "upload_hint": (
        "支持 PDF、Word、Excel、HTML、文本；上传后自动读取、入库并审查。",
        "PDF, Word, Excel, HTML or text; read, stored and checked on upload.",
    ),
    "submit": ("提交", "Submit"),
    "name": ("名称", "Name"),
    "kind": ("类型", "Kind"),
    "year": ("年度", "Year"),
    "government": ("政府", "Government"),
    "facts": ("数据项", "Facts"),
    "tables": ("表格", "Tables"),
    "ingested": ("入库时间", "Stored at"),
    "no_documents": ("尚无文件。", "No documents yet."),
    "progress": ("处理进度", "Progress"),
    "open_document": ("查看文件", "Open the document"),
    "paragraphs": ("正文", "Text"),
    "quote": ("原文", "Quote"),
    "expected": ("应为", "Expected"),
    "printed": ("文中", "Printed"),
    "gap": ("差额", "Gap"),
    "tolerance": ("容差", "Tolerance"),
    "severity": ("级别", "Severity"),
    "status": ("状态", "Status"),
    "comment": ("意见", "Comment"),
    "confirm": ("确认", "Confirm"),
    "dismiss": ("驳回", "Dismiss"),
    "reopen": ("重新打开", "Reopen"),
    "reviewed_by": ("审核人", "Reviewed by"),
    "show_quote": ("定位原文", "Show the quote"),
    "no_findings": ("未发现问题。", "No findings."),
    "books": ("四本预算", "The four books"),
    "item": ("项目", "Item"),
    "execution_rate": ("完成预算%", "Execution %"),
    "elapsed": ("序时进度%", "Time elapsed %"),
    "indicators": ("指标", "Indicators"),
    "value": ("数值", "Value"),
    "rating": ("评价", "Rating"),
    "charts": ("图表", "Charts"),
    "chart_progress": ("执行进度与序时进度", "Execution against time elapsed"),
    "chart_composition": ("收支构成", "Composition"),
    "chart_debt": ("债务余额与限额", "Debt against limit"),
    "chart_yoy": ("同比", "Year over year"),
    "no_data": ("暂无数据。", "No data."),
    "query": ("关键词", "Keywords"),
    "results": ("结果", "Results"),
    "download": ("下载", "Download"),
    "unit_yi": ("亿元", "100m yuan"),
    "add_user": ("添加用户", "Add a user"),
    "when": ("时间", "When"),
    "who": ("用户", "Who"),
    "action": ("操作", "Action"),
    "target": ("对象", "Target"),
    "prev": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "scope": ("口径", "Scope"),
    "book": ("预算本", "Book"),
    "stage": ("阶段", "Stage"),
    "code": ("编码", "Code"),
    "children": ("下级科目", "Subitems"),
    "error": ("出错了", "Error"),
    "back": ("返回", "Back"),
    "language": ("English", "中文"),
    "all": ("全部", "All"),
    "problems": ("读取提示", "Reader notes"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


class Translator:
    """``t("key")`` in templates; ``t.book("general")`` and friends for vocabularies."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else "zh"

    def __call__(self, key: str) -> str:
        pair = TEXT.get(key)
        return pick(pair, self.lang) if pair else key

    def _of(self, table: dict[str, tuple[str, str]], key: str | None) -> str:
        if key is None:
            return ""
        pair = table.get(str(key))
        return pick(pair, self.lang) if pair else str(key)

    def book(self, key: str | None) -> str:
        return self._of(BOOK, key)

    def stage(self, key: str | None) -> str:
        return self._of(STAGE, key)

    def scope(self, key: str | None) -> str:
        return self._of(SCOPE, key)

    def kind(self, key: str | None) -> str:
        return self._of(KIND, key)

    def severity(self, key: str | None) -> str:
        return self._of(SEVERITY, key)

    def status(self, key: str | None) -> str:
        return self._of(STATUS, key or "open")

    def role(self, key: str | None) -> str:
        return self._of(ROLE, key)

    def job(self, key: str | None) -> str:
        return self._of(JOB, key)
