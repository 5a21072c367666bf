"""Microsoft Presidio's recognisers (presidio-analyzer, MIT): phone numbers for the regions our
studies work in (libphonenumber), e-mail addresses, URLs, IP addresses, UK postcodes, UK National
Insurance and NHS numbers, payment cards and IBANs.

We call the recognisers directly and never build Presidio's ``AnalyzerEngine``, whose default NLP
engine loads ``en_core_web_lg``: nothing is downloaded and no model is needed for these. Presidio's
e-mail and URL recognisers check the domain with ``tldextract``, which by default fetches the public
suffix list over the network and caches it under the home folder: we replace its extractor with one
that reads only the snapshot shipped inside the package (no URL, no cache).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

PHONE_REGIONS = ("GB", "KE", "ZW", "ZA", "US", "NG", "UG", "TZ", "IN")
KINDS = {"PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL", "URL": "URL", "IP_ADDRESS": "ID",
         "UK_POSTCODE": "POSTCODE", "UK_NINO": "ID", "UK_NHS": "ID", "CREDIT_CARD": "ID", "IBAN_CODE": "ID"}


def offline_tldextract() -> None:
    """Make ``tldextract.extract`` use the bundled public suffix snapshot only (no network, no cache)."""
    import tldextract.tldextract as tx

    if getattr(tx.TLD_EXTRACTOR, "_qualcode_offline", False):
        return
    extractor = tx.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    extractor._qualcode_offline = True  # type: ignore[attr-defined]
    tx.TLD_EXTRACTOR = extractor


@lru_cache(maxsize=1)
def recognisers() -> tuple:
    offline_tldextract()
    from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, EmailRecognizer, IbanRecognizer,
                                                          IpRecognizer, NhsRecognizer, PhoneRecognizer,
                                                          UkNinoRecognizer, UkPostcodeRecognizer, UrlRecognizer)

    return (PhoneRecognizer(supported_regions=PHONE_REGIONS), EmailRecognizer(), UrlRecognizer(), IpRecognizer(),
            UkPostcodeRecognizer(), UkNinoRecognizer(), NhsRecognizer(), CreditCardRecognizer(), IbanRecognizer())


# Every match of a recogniser holds one of its trigger characters, and no character of a match is more
# than MARGIN characters from one (phones: digit blocks at most 4 punctuation marks apart, extensions;
# IBANs: at most six 4-letter groups; e-mails and URLs: no spaces, and windows are widened to whole
# words). So the recognisers only need to read the text around triggers: the windows, joined by line
# breaks, give exactly the results the whole text gives, at a fraction of the cost (a transcript has
# few digits, '@' or "x.y").
MARGIN = 48
_DIGIT = r"\d"
_THREE_DIGITS = r"\d(?=(?:\D{0,5}\d){2})"  # a valid phone number has 3+ digits, at most 4 marks apart
TRIGGERS = {"PHONE_NUMBER": _THREE_DIGITS, "UK_POSTCODE": _DIGIT, "UK_NINO": _DIGIT, "UK_NHS": _DIGIT,
            "CREDIT_CARD": _DIGIT, "IBAN_CODE": _DIGIT, "IP_ADDRESS": r"\d|:[0-9A-Fa-f:]", "EMAIL_ADDRESS": "@",
            "URL": r"\.\w"}


@lru_cache(maxsize=None)
def _trigger(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def windows(text: str, trigger: re.Pattern, margin: int = MARGIN) -> list[tuple[int, int]]:
    """Stretches of ``text`` within ``margin`` of a trigger, widened to whitespace, merged when they touch."""
    out: list[list[int]] = []
    for m in trigger.finditer(text):
        if out and m.start() - margin <= out[-1][1]:
            out[-1][1] = max(out[-1][1], _word_end(text, m.end() + margin))
            continue
        start, end = _word_start(text, m.start() - margin), _word_end(text, m.end() + margin)
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _word_start(text: str, i: int) -> int:
    i = max(i, 0)
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    i = min(i, len(text))
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def presidio_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, our kind) for every Presidio recogniser result in ``text``."""
    out = []
    joined: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    for recogniser in recognisers():
        entities = recogniser.supported_entities
        trigger = TRIGGERS.get(entities[0])
        if trigger not in joined:
            spans = windows(text, _trigger(trigger)) if trigger else [(0, len(text))]
            joined[trigger] = ("\n".join(text[s:e] for s, e in spans), spans)
        part, spans = joined[trigger]
        if not part:
            continue
        offsets = _offsets(spans)
        for r in recogniser.analyze(part, entities, None):
            kind = KINDS.get(r.entity_type)
            if kind and r.score > 0:
                shift = offsets[bisect_right(offsets, (r.start, len(text) + 1)) - 1][1]
                start, end = r.start + shift, r.end + shift
                while end > start and text[end - 1] in ".,;:!?)]}'\"”’":  # "see example.org/x." ends at x
                    end -= 1
                out.append((start, end, kind))
    return out


def _offsets(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start in the joined text, shift to the original) for each window."""
    out, at = [], 0
    for s, e in spans:
        out.append((at, s - at))
        at += e - s + 1
    return out


def presidio_spans_whole(text: str) -> list[tuple[int, int, str]]:
    """The same as ``presidio_spans`` reading the whole text (slower; kept to check the windows)."""
    out = []
    for recogniser in recognisers():
        entities = recogniser.supported_entities
        for r in recogniser.analyze(text, entities, None):
            kind = KINDS.get(r.entity_type)
            if kind and r.score > 0:
                end = r.end
                while end > r.start and text[end - 1] in ".,;:!?)]}'\"”’":
                    end -= 1
                out.append((r.start, end, kind))
    return out
