"""Quote tables as CSV (one row per quote), Markdown and standalone HTML (for quick sharing).

User text (quotes, labels, attributions) is escaped for each format: HTML via ``html.escape``;
Markdown by backslash-escaping the characters that would break the table or add formatting.
"""
from __future__ import annotations

import html
import re
from os import PathLike

from qualcode.cells import csv_writer
from qualcode.analysis.quote_table import (QUOTE_COLUMNS, QuoteTable, iter_rows, quote_records,
                                          quoted)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def write_quotes_csv(table: QuoteTable, path: str | PathLike) -> None:
    """One row per quote, columns ``QUOTE_COLUMNS``, in table order; a subtheme without quotes
    gets one row with an empty quote. UTF-8 with a byte-order mark so Excel reads accents and
    curly quotes correctly; ``exemplar`` is "true"/"false"."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv_writer(handle)
        writer.writerow(QUOTE_COLUMNS)
        for record in quote_records(table):
            writer.writerow([_csv_value(record[c]) for c in QUOTE_COLUMNS])


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def md_escape(text: str) -> str:
    """``text`` safe inside a Markdown table cell: specials backslash-escaped, line breaks as spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_quote(quote) -> str:
    text = f"*{md_escape(quoted(quote.text))}*"
    if quote.attribution:
        text += f" ({md_escape(quote.attribution)})"
    if quote.suggested:
        text += " \\[suggested\\]"
    return text


def write_quotes_md(table: QuoteTable, path: str | PathLike) -> None:
    """A Markdown pipe table; the domain is named on its first row only; quotes are separated
    by ``<br>`` inside the cell."""
    lines = [f"**{md_escape(table.title)}**"]
    if table.subtitle:
        lines += ["", md_escape(table.subtitle)]
    lines += ["", "| " + " | ".join(md_escape(h) for h in table.header) + " |", "|---|---|---|"]
    for domain, sub, first in iter_rows(table):
        quotes = sub.quotes if sub is not None else []
        cells = [md_escape(domain.label) if first else "",
                 md_escape(sub.label) if sub is not None else "",
                 "<br>".join(_md_quote(q) for q in quotes)]
        lines.append("| " + " | ".join(cells) + " |")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; font-size: 10pt; margin: 2em; }
table { border-collapse: collapse; width: 100%; max-width: 60em; }
th, td { border: 1px solid #000; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #d9d9d9; }
td.quotes p { margin: 0 0 4px 0; }
.caption { font-weight: bold; margin: 0; }
.subtitle { margin: 0 0 6px 0; }
.suggested { color: #808080; }
col.domain, col.subtheme { width: 22%; }
""".strip()


def _html_quote(quote) -> str:
    text = f"<em>{html.escape(quoted(quote.text))}</em>"
    if quote.attribution:
        text += f" ({html.escape(quote.attribution).replace(' ', '&nbsp;')})"
    if quote.suggested:
        text += ' <span class="suggested">[suggested]</span>'
    return f"<p>{text}</p>"


def write_quotes_html(table: QuoteTable, path: str | PathLike) -> None:
    """A standalone HTML page; the domain cell spans its subthemes (``rowspan``)."""
    esc = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{esc(' '.join(filter(None, [table.title, table.subtitle])))}</title>",
           f"<style>\n{_CSS}\n</style>", "</head>", "<body>",
           f'<p class="caption">{esc(table.title)}</p>']
    if table.subtitle:
        out.append(f'<p class="subtitle">{esc(table.subtitle)}</p>')
    out += ["<table>", '<colgroup><col class="domain"><col class="subtheme"><col></colgroup>',
            "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in table.header) + "</tr></thead>",
            "<tbody>"]
    for domain, sub, first in iter_rows(table):
        cells = []
        if first:
            span = max(len(domain.subthemes), 1)
            cells.append(f'<td rowspan="{span}">{esc(domain.label)}</td>')
        cells.append(f"<td>{esc(sub.label) if sub is not None else ''}</td>")
        quotes = sub.quotes if sub is not None else []
        cells.append('<td class="quotes">' + "".join(_html_quote(q) for q in quotes) + "</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</body>", "</html>"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out) + "\n")
