"""How a date found in the text is written after de-identification (``[deidentify] dates``):

- ``"redact"`` (the default): ``[DATE]``. Nothing of the date is left, and two mentions of the same
  day cannot be linked. An exact date (a birthday, the day of an admission or an incident) can
  single a young person out in a small community, and the year alone can too when it goes with
  a named event; a committee can accept this setting without argument.
- ``"year"``: ``[DATE 2021]``; a date without a year becomes ``[DATE]``.
- ``"month"``: ``[DATE March 2021]``; without a year ``[DATE March]``. ``12/03/2021`` could be
  12 March or 3 December, so it gives only its year unless one number is over 12.
- ``"pseudonym"``: ``[DATE-1]``, the same date always the same number (the key holds the original).

Two-digit years (``12.03.21``) are read as 20xx up to this year, else 19xx.
"""
from __future__ import annotations

import datetime
import re

MODES = ("redact", "year", "month", "pseudonym")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_BY_PREFIX = {m[:3].lower(): i for i, m in enumerate(MONTHS, start=1)}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-\d{1,2}")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_YEAR = re.compile(r"\b(\d{4})\b")
_MONTH = re.compile(r"[A-Za-z]{3,}")
# what the generalised dates look like, so that a second run leaves them alone
WRITTEN = rf"\[DATE(?: (?:{'|'.join(MONTHS)}))?(?: \d{{4}})?\]"


def _full_year(digits: str) -> int:
    if len(digits) == 4:
        return int(digits)
    this = datetime.date.today().year
    year = this - this % 100 + int(digits)
    return year if year <= this else year - 100


def year_and_month(text: str) -> tuple[int | None, int | None]:
    """The year and month a date found in the text names (None where it does not say, or is ambiguous)."""
    iso = _ISO.fullmatch(text)
    if iso:
        month = int(iso.group(2))
        return int(iso.group(1)), month if 1 <= month <= 12 else None
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        a, b = int(numeric.group(1)), int(numeric.group(2))
        month = b if a > 12 >= b else a if b > 12 >= a else None  # 12/03: day-month or month-day? not said
        return _full_year(numeric.group(3)), month
    year = _YEAR.search(text)
    month = next((_BY_PREFIX[w.lower()[:3]] for w in _MONTH.findall(text) if w.lower()[:3] in _BY_PREFIX), None)
    return (int(year.group(1)) if year else None), month


def date_label(text: str, mode: str) -> str | None:
    """The fixed replacement for the date ``text`` under ``mode``; None for ``"pseudonym"`` (numbered)."""
    if mode == "pseudonym":
        return None
    if mode == "redact":
        return "[DATE]"
    year, month = year_and_month(text)
    parts = [MONTHS[month - 1]] if mode == "month" and month else []
    parts += [str(year)] if year else []
    return f"[DATE {' '.join(parts)}]" if (year or parts) else "[DATE]"
