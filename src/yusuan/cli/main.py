"""Command-line entry point: ``yusuan COMMAND``.

Each command lives in its own module under :mod:`yusuan.cli` and is
registered here; ``docs/cli.md`` documents every one (a test checks).
"""

from __future__ import annotations

import sys

import click

from yusuan import __version__
from yusuan.cli.demo import demo_cmd
from yusuan.cli.facts import facts_cmd
from yusuan.cli.ingest import ingest_cmd


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


main.add_command(ingest_cmd)
main.add_command(facts_cmd)
main.add_command(demo_cmd)

from yusuan.cli.analysis_cmd import compare_cmd, export_cmd, indicators_cmd, report_cmd  # noqa: E402
from yusuan.cli.check_cmd import check_cmd, rules_cmd  # noqa: E402
from yusuan.cli.cycle_cmd import cycle_cmd  # noqa: E402
from yusuan.cli.serve_cmd import serve_cmd, user_cmd  # noqa: E402

main.add_command(check_cmd)
main.add_command(rules_cmd)
main.add_command(indicators_cmd)
main.add_command(compare_cmd)
main.add_command(report_cmd)
main.add_command(export_cmd)
main.add_command(cycle_cmd)
main.add_command(serve_cmd)
main.add_command(user_cmd)
