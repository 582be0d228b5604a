"""``yusuan check`` and ``yusuan rules``: the checker on the command line.

Registered on the main group with ``main.add_command(check_cmd)`` and
``main.add_command(rules_cmd)``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

import click

from yusuan.model import Document, Extraction, Severity


def _split(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        out += [p for p in v.replace(";", ",").split(",") if p.strip()]
    return out


def load_paths(paths: Sequence[str]) -> tuple[list[Extraction], list[str]]:
    """Read and extract each file; problems (unreadable files) are returned as messages."""
    from yusuan.extract import extract
    from yusuan.read import read

    exs: list[Extraction] = []
    problems: list[str] = []
    for path in paths:
        document, probs = read(path)
        problems += [f"{p.file}: {p.message}" for p in probs]
        if document is None:
            continue
        exs.append(extract(document))
    return exs, problems


def load_db(url: str) -> list[Extraction]:
    from yusuan.store import Store

    store = Store.open(url)
    try:
        return [store.extraction(d.id) for d in store.documents()]
    finally:
        store.close()


@click.command("check", help="检查勾稽关系与算术，列出每项发现及其出处。 "
                             "Check every identity and arithmetic claim, with evidence.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--db", "db", default=None, help="检查账本中的全部文件 Check the documents of a ledger (URL).")
@click.option("--select", "select", multiple=True,
              help="只运行这些规则：编码、前缀或 #标签 Rules to run: code, prefix or #tag (comma-separated).")
@click.option("--ignore", "ignore", multiple=True, help="跳过这些规则 Rules to skip.")
@click.option("--preview", is_flag=True, help="也运行预览规则 Also run preview rules.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "html"]), default="text")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="写入文件 Write to a file instead of standard output.")
@click.option("--save", is_flag=True, help="把发现存入账本（需 --db） Store the findings in the ledger (with --db).")
@click.option("--english", is_flag=True, help="英文消息 English messages in text output.")
def check_cmd(paths: tuple[str, ...], db: str | None, select: tuple[str, ...],
              ignore: tuple[str, ...], preview: bool, fmt: str, output: str | None,
              save: bool, english: bool) -> None:
    from yusuan.check import check
    from yusuan.check.render import to_csv, to_html, to_json, to_text

    if not paths and not db:
        raise click.UsageError("给出文件或 --db Give files or --db URL.")
    t0 = time.perf_counter()
    extractions, problems = load_paths(paths) if paths else ([], [])
    if db:
        extractions += load_db(db)
    for p in problems:
        click.echo(p, err=True)
    try:
        result = check(extractions, _split(select) or None, _split(ignore), preview=preview)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    docs: dict[str, Document] = {ex.document.id: ex.document for ex in extractions}
    findings = result.findings
    if fmt == "json":
        text = to_json(findings, {"documents": [{"id": d.id, "path": d.path} for d in docs.values()],
                                  "rules": list(result.rules),
                                  "seconds": round(time.perf_counter() - t0, 3)})
    elif fmt == "csv":
        text = to_csv(findings)
    elif fmt == "html":
        text = to_html(findings, docs)
    else:
        text = to_text(findings, docs, english=english)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if save and db:
        from yusuan.store import Store

        store = Store.open(db)
        try:
            for doc_id in docs:
                store.save_findings(doc_id, [f for f in findings if f.document in (doc_id, None)])
        finally:
            store.close()
    if problems or any(f.severity == Severity.ERROR for f in findings):
        sys.exit(1)


@click.command("rules", help="列出检查规则。 List the checker's rules.")
@click.option("--select", "select", multiple=True, help="编码、前缀或 #标签 Code, prefix or #tag.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.argument("code", required=False)
def rules_cmd(select: tuple[str, ...], fmt: str, code: str | None) -> None:
    import inspect

    from yusuan.check import REGISTRY
    from yusuan.check.docs import render_rules_md
    from yusuan.model.serialize import dumps

    if fmt == "markdown":
        click.echo(render_rules_md(), nl=False)
        return
    try:
        rules = REGISTRY.select(_split(select) or ([code] if code else None), preview=True)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if fmt == "json":
        click.echo(dumps([{"code": r.code, "title": r.title, "title_en": r.title_en,
                           "severity": r.severity.value, "tags": sorted(r.tags),
                           "lifecycle": r.lifecycle.value, "message": r.message,
                           "message_en": r.message_en, "doc": inspect.cleandoc(r.__doc__ or "")}
                          for r in rules]))
        return
    for r in rules:
        tags = " ".join("#" + t for t in sorted(r.tags))
        click.echo(f"{r.code}  {r.severity.value:<7}  {r.title}  {r.title_en}  {tags}")
        if code:
            click.echo("\n" + inspect.cleandoc(r.__doc__ or ""))
