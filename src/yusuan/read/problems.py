"""Problems a reader reports: stable codes with Chinese and English templates."""

from __future__ import annotations

from pathlib import Path

from yusuan.model import Problem

# code: (Chinese template, English template).  Fields: name, plus per code.
TEMPLATES: dict[str, tuple[str, str]] = {
    "read.empty": (
        "{name}：文件为空，没有可读取的内容。",
        "{name}: the file is empty; there is nothing to read.",
    ),
    "read.binary": (
        "{name}：不是文本文件，也不是可识别的文档格式（{what}），无法读取。",
        "{name}: not a text file nor a known document format ({what_en}); cannot read it.",
    ),
    "read.encoding": (
        "{name}：文本编码不是 UTF-8，看起来是 {encoding}；请先转换为 UTF-8，例如 "
        "iconv -f {encoding} -t UTF-8 {name} > 新文件.txt",
        "{name}: the text is not UTF-8, it looks like {encoding}; convert it first, e.g. "
        "iconv -f {encoding} -t UTF-8 {name} > new.txt",
    ),
    "read.bytes": (
        "{name}：第 {line} 行起有 {count} 处不是有效的 UTF-8 字节，已用 \ufffd 代替；其余内容照常读取。",
        "{name}: {count} invalid UTF-8 byte sequence(s) from line {line}, replaced by \ufffd; "
        "the rest was read as usual.",
    ),
    "read.truncated": (
        "{name}：{what}文件不完整或已损坏（{reason}），{kept}",
        "{name}: the {what_en} file is truncated or damaged ({reason}); {kept_en}",
    ),
    "read.extension": (
        "{name}：扩展名为 {ext}，但内容实际是{what}；已按{what}读取，请更正扩展名。",
        "{name}: the extension is {ext} but the content is really {what_en}; "
        "read it as {what_en}; please correct the extension.",
    ),
    "read.unsupported": (
        "{name}：不支持的文件类型 {ext}{what}；支持 .txt、.pdf、.docx、.xlsx、.html。",
        "{name}: unsupported file type {ext}{what_en}; supported: .txt, .pdf, .docx, .xlsx, .html.",
    ),
    "read.formulas": (
        "{name}：有 {count} 个公式单元格没有保存计算结果（文件由程序生成、未经 Excel 保存），"
        "这些单元格读为空白；请用 Excel 或 WPS 打开并保存后再读。",
        "{name}: {count} formula cell(s) were saved without a computed value (written by a "
        "program, never saved by Excel) and read as blank; open and save the file in Excel or "
        "WPS, then read it again.",
    ),
    "read.io": (
        "{name}：无法打开文件（{reason}）。",
        "{name}: cannot open the file ({reason}).",
    ),
    "read.scanned": (
        "{name}：PDF 共 {pages} 页，其中 {empty} 页没有文字层（可能是扫描件），需要先做文字识别（OCR）。",
        "{name}: {empty} of the PDF's {pages} pages have no text layer (scanned?); "
        "they need OCR first.",
    ),
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def problem(code: str, path: str, line: int | None = None, **fields: object) -> Problem:
    """A :class:`Problem` of ``code`` about ``path``, messages from the templates."""
    zh, en = TEMPLATES[code]
    values = _Blank(name=Path(path).name or path, **{k: str(v) for k, v in fields.items()})
    return Problem(
        file=path,
        message=zh.format_map(values),
        message_en=en.format_map(values),
        line=line,
        code=code,
    )
