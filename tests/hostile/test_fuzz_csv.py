"""Fuzz: random edits of a roster and of an exported codings CSV (cells, quotes, delimiters, huge fields,
odd characters, random bytes) through the readers and through `qualcode import --participants` and
`qualcode import-codings`: imported, or refused naming the file; never an internal error, never a hang."""
from __future__ import annotations

import csv
import io
import itertools

from hypothesis import given
from hypothesis import strategies as st

from qualcode.ingest.roster import read_roster

from .fuzz import cli_outcome, reader_outcome

_n = itertools.count()
ODD = '",;\t\n\r\x00\x0b\x0c\x1c\x85\u2028\u2029\ufeff=+-@ \'' + "é"
CELL = (st.text(st.sampled_from(ODD) | st.characters(), max_size=30)
        | st.builds(lambda c, n: c * n, st.sampled_from('a "\n'), st.integers(100_000, 300_000))
        | st.sampled_from(["", "id", "group", "transcript", "D3", "yp-D3", "environment", "accepted", "-1",
                           "99999999999999999999", "1e308", "NaN", "true", " ", "young-person"]))


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@st.composite
def edited_csv(draw, original: str) -> bytes:
    """The original CSV with random cells replaced, rows/columns added or dropped, re-delimited; or
    random bytes spliced into it."""
    if draw(st.integers(0, 5)) == 0:
        raw = original.encode()
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(max_size=40)) + raw[at + draw(st.integers(0, 20)):]
    rows = _rows(original)
    for _ in range(draw(st.integers(1, 6))):
        r = draw(st.integers(0, len(rows) - 1))
        what = draw(st.sampled_from(["cell", "cell", "cell", "add-row", "drop-row", "add-cell", "drop-cell"]))
        if what == "cell" and rows[r]:
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(CELL)
        elif what == "add-row":
            rows.insert(r, draw(st.lists(CELL, max_size=10)))
        elif what == "drop-row" and len(rows) > 1:
            del rows[r]
        elif what == "add-cell":
            rows[r].append(draw(CELL))
        elif what == "drop-cell" and rows[r]:
            rows[r].pop()
    out = io.StringIO()
    csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"]))).writerows(rows)
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + out.getvalue().encode(
        draw(st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"])), errors="replace")


def _write(root, data: bytes, stem: str, ext: str = ".csv"):
    path = root / "fuzz" / f"{stem}{next(_n)}{ext}"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


ROSTER = "id,group,role,attribution,transcript,age,gender\nD3,young-person,young person,Respondent D3,yp-D3,19,female\n"
TRANSCRIPT = b"Interviewer: Hello?\nRespondent G1: Privacy matters, we met weekly.\n"


@given(edited_csv(ROSTER))
def test_random_roster_is_read_or_refused_by_name(fuzz_project, data):
    reader_outcome(read_roster, _write(fuzz_project, data, "roster"))


@given(edited_csv(ROSTER))
def test_random_roster_imports_or_is_refused_by_name(fuzz_project, data):
    roster = _write(fuzz_project, data, "roster")
    transcript = _write(fuzz_project, TRANSCRIPT, "yp-G", ".txt")
    cli_outcome(["import", str(transcript), "--participants", str(roster), "--check"], fuzz_project, roster)


@given(st.data())
def test_random_codings_csv_imports_or_is_refused_by_name(fuzz_project, data):
    original = (fuzz_project / "exports" / "codings.csv").read_text(encoding="utf-8-sig")
    path = _write(fuzz_project, data.draw(edited_csv(original)), "codings")
    cli_outcome(["import-codings", str(path)], fuzz_project, path)


KEY = "pseudonym,kind,original\n[NAME-1],NAME,Privacy\n[PLACE-1],PLACE,Nairobi\n"


@given(edited_csv(KEY))
def test_random_deidentification_key_is_read_or_refused_by_name(fuzz_project, data):
    from qualcode.deidentify.pseudonyms import Pseudonyms

    reader_outcome(Pseudonyms.load, _write(fuzz_project, data, "key"))


@given(edited_csv("original,kind\nPrivacy,NAME\nNairobi,PLACE\n"))
def test_random_names_list_is_read_or_refused_by_name(fuzz_project, data):
    from qualcode.deidentify.terms import read_names_file

    reader_outcome(read_names_file, _write(fuzz_project, data, "names", ".txt"))
