"""The review report: HTML structure (not pixels), charts as inline SVG."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.conftest import seed
from tests.test_analyze_indicators import seed000_facts
from yusuan.model import Finding, Period, Severity, Source
from yusuan.report.browser import find_chromium, render
from yusuan.report.charts import Progress, composition_chart, debt_chart, progress_chart
from yusuan.report.review import main_period, render_review, review_data

H1 = Period(2024, 1, 6)
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def _page(facts: list, findings: tuple = ()) -> lxml_html.HtmlElement:
    data = review_data(facts, "昌吉回族自治州", H1, findings, checked=True)
    return lxml_html.fromstring(render_review(data, WHEN))


def test_sections_figures_and_ratings() -> None:
    page = _page(seed000_facts())
    assert page.findtext(".//h1") == "昌吉回族自治州2024年上半年预算执行审查报告"
    assert [s.get("id") for s in page.findall(".//section")] == ["key-figures", "charts", "indicators", "findings"]
    rows = page.xpath('//table[@class="key-figures"]/tbody/tr')
    first = [td.text_content().strip() for td in rows[0].findall("td")]
    assert first[:4] == ["全州", "一般公共预算收入", "131.50", "10.59"]
    assert "131.5亿元" in first[5]
    ind = {(tr.get("data-indicator"), tr.get("data-scope")): tr
           for tr in page.xpath('//table[@class="indicators"]/tbody/tr')}
    fss = ind[("fiscal_self_sufficiency", "whole")]
    assert fss.xpath('.//td[@class="num"]')[0].text_content() == "68.80%"
    assert fss.xpath('.//span[contains(@class, "rating")]')[0].get("class") == "rating green"
    own = ind[("expenditure_progress", "own")]
    assert own.xpath('.//span[contains(@class, "rating")]')[0].text == "明显慢于序时进度"
    assert "序时进度 50.00%" in own.text_content()
    missing = page.xpath('//section[@id="indicators"]/p[@class="missing"]')[0].text_content()
    assert "转移支付依赖度（全州，缺 转移支付收入）" in missing


def test_three_charts_inline_svg() -> None:
    page = _page(seed000_facts())
    svgs = page.xpath("//figure/svg")
    assert [s.getparent().get("id") for s in svgs] == ["chart-progress", "chart-composition", "chart-debt"]
    progress = svgs[0]
    labels = [t.text for t in progress.findall("text")]
    assert "州本级一般公共预算支出" in labels and "26.19%" in labels
    assert len(progress.xpath('.//line[@class="elapsed"]')) == len(progress.xpath('.//rect[@class="bar"]'))
    assert len(svgs[1].xpath('.//rect[@class="segment"]')) == 2  # 税收 and 非税
    assert "未披露" in svgs[2].xpath("string(.)")  # no limit disclosed in seed 000
    assert not page.xpath("//script") and not page.xpath("//link")  # offline: nothing to fetch


def test_findings_with_quotes() -> None:
    f = Finding("YS101", Severity.ERROR, "合计与分项之和不符", ("a",),
                (Source("d", 25, 0, 10, "全州一般公共预算收入完成131.5亿元"),), expected="131.49", printed="131.5")
    page = _page(seed000_facts(), (f,))
    (tr,) = page.xpath('//table[@class="findings"]/tbody/tr')
    cells = [td.text_content() for td in tr.findall("td")]
    assert cells[0] == "YS101" and cells[1] == "错误"
    assert "「全州一般公共预算收入完成131.5亿元」" in cells[3]


def test_chart_text_is_escaped() -> None:
    svg = composition_chart([("<b>", Decimal(1)), ("x", Decimal(3))], "t&t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "t&amp;t" in svg
    assert progress_chart([Progress("a", Decimal(40), Decimal(50))]).count('class="elapsed"') == 1
    assert "未披露" in debt_chart(Decimal(5), None)


def test_main_period_is_latest_outturn() -> None:
    assert main_period(seed000_facts(), "昌吉回族自治州") == H1


@pytest.mark.browser
def test_seed000_review_renders_to_png_and_pdf(tmp_path: Path) -> None:
    if find_chromium() is None:
        pytest.skip("chromium not installed")
    from yusuan.extract import extract
    from yusuan.read import read

    document, _ = read(seed("000"))
    assert document is not None
    ex = extract(document)
    gov = ex.government.name if ex.government else "昌吉回族自治州"
    page = tmp_path / "review.html"
    page.write_text(render_review(review_data(ex.facts, gov, H1), WHEN), encoding="utf-8")
    png = render(page, tmp_path / "review.png")
    pdf = render(page, tmp_path / "review.pdf")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.read_bytes()[:5] == b"%PDF-"
