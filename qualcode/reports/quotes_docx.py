"""Write a quote table as a Word document laid out like a published qualitative results table:

    Table 3                      (bold)
    Young person's views
    | Domain | Subtheme | Verbatim quote(s) |   header row: bold, light grey, repeats on every page
    | Bond   | ...      | “quote” (Respondent D3)
    |  (merged down)    | ...                   one row per subtheme, rows never split across pages

Each quote is its own paragraph: the quote in italics inside curly quotation marks, then the
attribution in brackets, upright. Suggested (not yet accepted) quotes carry a grey "[suggested]".
"""
from __future__ import annotations

from os import PathLike

from docx import Document

from qualcode.reports import docx_helpers as dx
from qualcode.analysis.quote_table import Quote, QuoteTable, iter_rows, quoted, unbroken

FONT_PT = 10
HEADER_FILL = "D9D9D9"
SUGGESTED_COLOUR = "808080"
COLUMN_FRACTIONS = (0.22, 0.22, 0.56)


def _quote_paragraph(quote: Quote, last: bool):
    runs = [dx.run(quoted(quote.text), italic=True, size_pt=FONT_PT)]
    if quote.attribution:
        attribution = unbroken(quote.attribution)
        runs.append(dx.run(f" ({attribution})", italic=False, size_pt=FONT_PT))
    if quote.suggested:
        runs.append(dx.run(" [suggested]", italic=False, size_pt=FONT_PT, color=SUGGESTED_COLOUR))
    return dx.paragraph(runs, space_after_pt=0 if last else 4)


BREAK_AFTER_SLASH = "/\u200b"  # a zero-width space lets "trust/confidentiality" wrap after the slash


def _label(text: str, *, bold: bool = False):
    text = text.replace("/", BREAK_AFTER_SLASH)
    return [dx.paragraph([dx.run(text, bold=bold, size_pt=FONT_PT)] if text else [])]


def _reference(path: str | PathLike):
    """The ``--reference-docx`` document, or a clean error naming the file."""
    from qualcode.errors import QualcodeError
    from qualcode.safezip import check_archive

    check_archive(path, QualcodeError, what="a .docx reference document", required="word/document.xml")
    try:
        return Document(str(path))
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on damaged parts
        raise QualcodeError(f"{path}: is not a usable .docx reference document ({type(exc).__name__}: {exc})") from None


def write_quotes_docx(table: QuoteTable, path: str | PathLike, *, landscape: bool = False,
                      reference_docx: str | PathLike | None = None, borders: str = "grid",
                      paper: str = "a4") -> None:
    """Save ``table`` as a .docx at ``path``.

    ``paper``: "a4" or "letter" (2 cm margins). ``landscape``: turn the page.
    ``reference_docx``: start from this document (its styles, fonts, page setup, headers and
    footers, which win over ``paper``) with its body content removed.
    ``borders``: "grid" (all lines) or "rules" (journal style: top/bottom rules, light row lines).
    """
    document = _reference(reference_docx) if reference_docx else Document()
    if reference_docx:
        dx.clear_body(document)
    section = document.sections[-1]
    if not reference_docx:
        dx.set_page(section, paper, landscape=landscape)
    elif landscape:
        dx.set_landscape(section)

    dx.append_block(document, dx.paragraph([dx.run(table.title, bold=True)], keep_next=True))
    if table.subtitle:
        dx.append_block(document, dx.paragraph([dx.run(table.subtitle)], keep_next=True,
                                               space_after_pt=6))

    widths = dx.split_width(dx.text_width(section), COLUMN_FRACTIONS)
    tbl = dx.table(widths, borders=borders)
    tbl.append(dx.row(
        [dx.cell(_label(h, bold=True), w, fill=HEADER_FILL) for h, w in zip(table.header, widths)],
        header=True,
    ))
    for domain, sub, first in iter_rows(table):
        # The domain cell is merged down over its subthemes: its text goes in the first cell only.
        domain_cell = dx.cell(_label(domain.label) if first else [dx.paragraph()], widths[0],
                              vmerge="restart" if first else "continue")
        quotes = sub.quotes if sub is not None else []
        quote_paras = [_quote_paragraph(q, i == len(quotes) - 1) for i, q in enumerate(quotes)]
        tbl.append(dx.row([
            domain_cell,
            dx.cell(_label(sub.label if sub is not None else ""), widths[1]),
            dx.cell(quote_paras, widths[2]),
        ]))
    dx.append_block(document, tbl)
    dx.append_block(document, dx.paragraph())  # Word wants a paragraph after a closing table
    document.save(str(path))
