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


def presidio_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, our kind) for every Presidio recogniser result in ``text``."""
    out = []
    for recogniser in recognisers():
        entities = recogniser.supported_entities
        for r in recogniser.analyze(text, entities, None):
            kind = KINDS.get(r.entity_type)
            if kind and r.score > 0:
                end = r.end
                while end > r.start and text[end - 1] in ".,;:!?)]}'\"”’":  # "see example.org/x." ends at x
                    end -= 1
                out.append((r.start, end, kind))
    return out
