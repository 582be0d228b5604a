"""Command-line entry point: ``yusuan COMMAND``."""

from __future__ import annotations

import sys

import click

from yusuan import __version__


@click.group(help="yusuan（预算）：读取、检查、分析政府预算文件。 Read, check and analyse government budgets.")
@click.version_option(__version__, prog_name="yusuan")
def main() -> None:
    pass


@main.command("extract", help="读取并抽取一个文件（不入库）。 Read and extract one file without storing.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json")
def extract_cmd(file: str, fmt: str) -> None:
    from yusuan.extract import extract
    from yusuan.model.serialize import dumps, extraction_dict
    from yusuan.read import read

    document, problems = read(file)
    if document is None:
        for p in problems:
            click.echo(f"{p.file}: {p.message}", err=True)
        sys.exit(1)
    ex = extract(document)
    if fmt == "json":
        click.echo(dumps(extraction_dict(ex)))
    else:
        for f in ex.facts:
            click.echo(f"{f.source.line}\t{f.scope}\t{f.stage}\t{f.period}\t{f.indicator}\t{f.amount}")
