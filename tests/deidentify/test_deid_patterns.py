"""The detectors one by one: what a reader of the de-identified text would see, and Presidio kept offline."""
from __future__ import annotations

import socket
import stat

import pytest

from qualcode.deidentify.config import DeidConfig, read_deid_config
from qualcode.deidentify.detector import Detector
from qualcode.deidentify.pseudonyms import Pseudonyms
from qualcode.deidentify.rewrite import rewrite
from qualcode.deidentify.terms import Term
from qualcode.errors import ProjectError


def deid(text: str, terms: list[Term] | None = None, config: DeidConfig | None = None) -> str:
    detector = Detector(config or DeidConfig(), terms or [], None)
    [hits] = detector.find_many([text])
    return rewrite(text, hits, Pseudonyms())[0]


@pytest.mark.parametrize("text, expected", [
    ("I am 19 years old.", "I am [AGE 18-24] years old."),
    ("a 19-year-old student", "a [AGE 18-24]-year-old student"),
    ("She was aged 35 then.", "She was aged [AGE 35-44] then."),
    ("when I was fifteen, and", "when I was [AGE 13-15], and"),
    ("at the age of twenty-one.", "at the age of [AGE 18-24]."),
    ("I was 5 minutes late.", "I was 5 minutes late."),
])
def test_ages_are_generalised_to_bands(text, expected):
    assert deid(text) == expected


def test_age_bands_and_pseudonyms_are_configurable():
    assert deid("I was 15.", config=DeidConfig(age_bands=(10, 20))) == "I was [AGE 10-19]."
    assert deid("I was 15.", config=DeidConfig(ages="pseudonym")) == "I was [AGE-1]."
    assert deid("I was 15.", config=DeidConfig(ages="keep")) == "I was 15."


@pytest.mark.parametrize("dates, expected", [
    ("redact", "Seen 13/03/2021, 2021-04-12 and 12th of March; again 13/03/2021, then 5 May 2022."),
    ("year", "Seen [DATE 2021], [DATE 2021] and [DATE]; again [DATE 2021], then [DATE 2022]."),
    ("month", "Seen [DATE March 2021], [DATE April 2021] and [DATE March]; again [DATE March 2021], then [DATE May 2022]."),
    ("pseudonym", "Seen [DATE-1], [DATE-2] and [DATE-3]; again [DATE-1], then [DATE-4]."),
])
def test_dates_are_redacted_or_generalised_as_configured(dates, expected):
    text = "Seen 13/03/2021, 2021-04-12 and 12th of March; again 13/03/2021, then 5 May 2022."
    if dates == "redact":
        expected = "Seen [DATE], [DATE] and [DATE]; again [DATE], then [DATE]."
        assert deid(text) == expected  # the default
    once = deid(text, config=DeidConfig(dates=dates))
    assert once == expected
    assert deid(once, config=DeidConfig(dates=dates)) == once  # a second run leaves them alone


def test_a_day_month_order_not_given_keeps_only_the_year():
    assert deid("On 12/03/2021 and 03/12/21.", config=DeidConfig(dates="month")) == "On [DATE 2021] and [DATE 2021]."


def test_addresses_postcodes_handles_urls_and_ids():
    text = ("I live at 14 Samora Machel Avenue, M13 9PL. Find me @tendai_m or instagram.com/chips.dube, "
            "student S2019-04417.")
    assert deid(text) == ("I live at [ADDRESS], [POSTCODE]. Find me [HANDLE-1] or [URL-1], student [ID-1].")


def test_nicknames_introduced_in_the_text_are_replaced_everywhere_in_it():
    text = "Everyone calls me Tee, or TeeMo at home. Tee was scared. We call her Chips. Chips said no."
    assert deid(text) == ("Everyone calls me [NAME-1], or [NAME-2] at home. [NAME-1] was scared. "
                          "We call her [NAME-3]. [NAME-3] said no.")


def test_listed_names_inside_handles_and_joined_words():
    out = deid("Message tendai_m or TendaiMoyo, or Tendai's sister.", [Term("Tendai Moyo")])
    assert out == "Message [HANDLE-1] or [NAME-1], or [NAME-2]'s sister."


def test_allow_list_and_project_patterns(tmp_path):
    (tmp_path / "qualcode.toml").write_text(
        "[deidentify]\nallow = ['Friendship Bench']\n[deidentify.patterns]\nNATIONAL_ID = '\\d{2}-\\d{7} [A-Z] \\d{2}'\n",
        encoding="utf-8")
    config = read_deid_config(tmp_path)
    assert deid("At the Friendship Bench, ID 63-1234567 F 42.", config=config) == \
        "At the Friendship Bench, ID [NATIONAL_ID-1]."


@pytest.mark.parametrize("toml, message", [
    ("[deidentify.patterns]\nID = '('\n", "not a valid regular expression"),
    ("[deidentify]\nages = 'round'\n", "ages = 'round' must be one of band, pseudonym, keep"),
    ("[deidentify]\nage_bands = [18, 13]\n", "age_bands must be increasing"),
    ("[deidentify]\nalow = ['x']\n", "unknown setting(s) in [deidentify]: alow"),
    ("[deidentify]\ndates = 'day'\n", "dates = 'day' must be one of redact, year, month, pseudonym"),
    ("[deidentify]\nprocesses = 0\n", "processes = 0 must be \"auto\" or a whole number"),
])
def test_bad_settings_name_the_file_and_the_setting(tmp_path, toml, message):
    (tmp_path / "qualcode.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ProjectError) as err:
        read_deid_config(tmp_path)
    assert str(tmp_path / "qualcode.toml") in str(err.value) and message in str(err.value)


def test_presidio_recognisers_never_touch_the_network(monkeypatch):
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OSError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from qualcode.deidentify.recognisers import presidio_spans

    text = "Write to tendai.moyo@example.org or see https://example.co.uk/x, call +254 712 345678."
    kinds = {text[s:e]: k for s, e, k in presidio_spans(text)}
    assert kinds["tendai.moyo@example.org"] == "EMAIL" and kinds["+254 712 345678"] == "PHONE"
    assert kinds["https://example.co.uk/x"] == "URL"
    assert calls == []


def test_report_file_is_owner_only_and_lists_what_was_left(tmp_path):
    from qualcode.deidentify.review import render, write_report
    from qualcode.deidentify.run import Change, DeidReport

    report = DeidReport(changes=[Change("yp-T1", 3, "NAME", "Tendai", "[NAME-1]", "...[Tendai -> [NAME-1]]...")],
                        after={"yp-T1": "So [NAME-1] met Zvikomborero at the clinic."})
    write_report(tmp_path / "r.md", report)
    assert stat.S_IMODE((tmp_path / "r.md").stat().st_mode) == 0o600
    text = render(report)
    assert "| NAME | 1 | 1 |" in text and "| Tendai | [NAME-1] | 1 |" in text
    assert "| Zvikomborero | 1 | yp-T1 |" in text
