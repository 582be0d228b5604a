"""Documents from data: Excel disclosure tables, report paragraphs, the review
report (HTML with inline SVG charts, printable to PDF) and exports (CSV, JSON,
Parquet, Fiscal Data Package)."""
