"""Participant roster: (group, id) identity, transcript mapping, located errors."""
from __future__ import annotations

import pytest

from qualcode.errors import RosterError
from qualcode.ingest import Roster, load_roster, read_roster
from qualcode.model import Participant

CSV = (
    "ID,Group,Role,Attribution,Transcript,Age,Site\n"
    "B1,young person,Young person,,yp-B1,17,Khayelitsha\n"
    "B1,lay counsellor,Lay counsellor,Lay counsellor B1,lc-B1;lc-B1-followup,45,Khayelitsha\n"
    "T1,clinician,,,,,Gugulethu\n"
    "D3,young person,,Respondent D3,,16,\n"
)


def test_csv_roster_keeps_same_id_in_different_groups_apart(write):
    people = load_roster(write("roster.csv", CSV))
    assert [(p.group, p.pid) for p in people] == [
        ("young person", "B1"), ("lay counsellor", "B1"), ("clinician", "T1"), ("young person", "D3"),
    ]
    yp, lc, t1, d3 = people
    assert yp.key != lc.key
    assert yp.attribution == "Young person B1" and lc.attribution == "Lay counsellor B1"
    assert t1.attribution == "Participant T1" and d3.attribution == "Respondent D3"
    assert yp.attributes == {"Age": "17", "Site": "Khayelitsha"}


def test_roster_maps_transcripts_to_participants(write):
    roster = read_roster(write("roster.csv", CSV))
    assert roster.for_transcript("yp-B1").key == ("young person", "B1")
    assert roster.for_transcript("lc-B1-followup").key == ("lay counsellor", "B1")
    assert roster.for_transcript("LC-B1").key == ("lay counsellor", "B1")
    # no transcript column entry: matched by id in the stem when unambiguous
    assert roster.for_transcript("interview_T1_2023").key == ("clinician", "T1")
    assert roster.for_transcript("unknown") is None
    assert roster.get("lay counsellor", "B1").role == "Lay counsellor"
    assert roster.get("clinician", "B1") is None


def test_ambiguous_id_in_stem_is_never_guessed():
    people = [Participant("B1", "yp"), Participant("B1", "clinician")]
    roster = Roster(people, {})
    assert roster.for_transcript("B1") is None
    assert roster.for_transcript("clinician-B1").key == ("clinician", "B1")
    assert roster.for_transcript("yp_B1").key == ("yp", "B1")


def test_yaml_roster_reads_values_as_text(write):
    path = write("roster.yaml", (
        "participants:\n"
        "  - id: '007'\n"
        "    group: young person\n"
        "    transcript: [yp-007, yp-007b]\n"
        "    consent: yes\n"
        "  - pid: 01\n"
        "    Group: clinician\n"
        "    role: Nurse\n"
    ))
    roster = read_roster(path)
    a, b = roster.participants
    assert (a.pid, a.attributes) == ("007", {"consent": "yes"})
    assert (b.pid, b.group, b.attribution) == ("01", "clinician", "Nurse 01")
    assert roster.for_transcript("yp-007b") is a


def test_yaml_plain_list(write):
    people = load_roster(write("r.yml", "- {id: A1, group: g}\n- {id: A1, group: h}\n"))
    assert [p.key for p in people] == [("g", "A1"), ("h", "A1")]


def test_csv_roster_problems_have_line_numbers(write):
    path = write("roster.csv", (
        "id,group,transcript\n"
        "B1,young person,yp-B1\n"
        ",young person,\n"
        "B2,,\n"
        "B1,young person,\n"
        "T1,clinician,yp-B1\n"
    ))
    with pytest.raises(RosterError) as err:
        load_roster(path)
    problems = [(p.line, p.message) for p in err.value.problems]
    assert [line for line, _ in problems] == [3, 4, 5, 6]
    assert "missing id" in problems[0][1] and "missing group" in problems[1][1]
    assert "duplicate participant" in problems[2][1] and "line 2" in problems[2][1]
    assert "'yp-B1' is claimed by both young person/B1" in problems[3][1]
    assert str(err.value).splitlines()[0] == f"{path}:3: missing id"
    assert err.value.exit_code == 3


def test_csv_line_numbers_count_multiline_cells(write):
    path = write("roster.csv", 'id,group,notes\nA1,g,"two\nlines"\nA1,g,x\n')
    with pytest.raises(RosterError) as err:
        load_roster(path)
    assert err.value.problems[0].line == 4


def test_roster_needs_id_and_group_columns(write):
    with pytest.raises(RosterError, match="missing id and group"):
        load_roster(write("r.csv", "name,age\nAna,17\n"))


@pytest.mark.parametrize("name,content", [("r.csv", ""), ("r.yaml", "# nothing\n"), ("r.yaml", "participants: []\n")])
def test_empty_roster(name, content, write):
    with pytest.raises(RosterError, match="empty"):
        load_roster(write(name, content))


def test_broken_yaml_has_line(write):
    path = write("r.yaml", "- id: A1\n  group: g\n- id: [A2\n  group: g\n")
    with pytest.raises(RosterError) as err:
        load_roster(path)
    assert err.value.problems[0].line is not None
    assert str(err.value).startswith(f"{path}:") and "broken YAML" in str(err.value)


def test_yaml_that_is_not_a_list(write):
    with pytest.raises(RosterError, match="expected a list of participants"):
        load_roster(write("r.yaml", "id: A1\ngroup: g\n"))


def test_csv_row_with_too_many_values(write):
    path = write("r.csv", "id,group\nA1,g,\nA2,g,extra\n")  # a trailing empty cell is fine
    with pytest.raises(RosterError) as err:
        load_roster(path)
    assert str(err.value) == f"{path}:3: 3 values but the header has 2 columns"


def test_semicolon_separated_roster_from_excel(write):
    people = load_roster(write("r.csv", "ID;Group;Age\r\nA1;young person;15\r\n".encode("utf-8-sig")))
    assert [(p.pid, p.group, p.attributes) for p in people] == [("A1", "young person", {"Age": "15"})]
    people = load_roster(write("r2.csv", "id;group;site\r\nA1;yp;Lagos Île\r\n".encode("cp1252")))
    assert people[0].attributes == {"site": "Lagos Île"}


def test_unsupported_roster_format(write):
    with pytest.raises(RosterError, match="use a .csv or .yaml file"):
        load_roster(write("r.xlsx", b"PK\x03\x04"))


def test_roster_accepts_participants_in_transcript_map():
    b1 = Participant("B1", "yp")
    assert Roster([b1], {"interview-7": b1}).for_transcript("interview-7") is b1


def test_csv_header_marks_identifying_attributes(write):
    roster = read_roster(write("roster.csv", "id,group,Site (identifying),age ( Identifying ),gender\n"
                                             "B1,yp,Khayelitsha,17,f\n"))
    assert roster.identifying == ("Site", "age")
    assert roster.participants[0].attributes == {"Site": "Khayelitsha", "age": "17", "gender": "f"}


def test_yaml_attributes_mapping_marks_identifying_attributes(write):
    roster = read_roster(write("roster.yaml", "attributes:\n  site: {identifying: true}\n  gender:\n"
                                              "    identifying: no\nparticipants:\n"
                                              "  - {id: B1, group: yp, site: Khayelitsha, gender: f}\n"))
    assert roster.identifying == ("site",)
    assert roster.participants[0].attributes == {"site": "Khayelitsha", "gender": "f"}


@pytest.mark.parametrize("name, content, line, message", [
    ("roster.csv", "id (identifying),group\nB1,yp\n", 1, "only an attribute column can be marked"),
    ("roster.yaml", "attributes:\n  site: {identifying: maybe}\nparticipants:\n  - {id: B1, group: yp, site: x}\n",
     2, "identifying must be true or false, not 'maybe'"),
    ("roster.yaml", "attributes:\n  site: {identifing: true}\nparticipants:\n  - {id: B1, group: yp, site: x}\n",
     2, "expected {identifying: true}"),
    ("roster.yaml", "attributes:\n  shcool: {identifying: true}\nparticipants:\n  - {id: B1, group: yp, school: x}\n",
     None, "attribute 'shcool' is marked identifying but no participant has it"),
    ("roster.yaml", "attributes:\n  site: {identifying: true}\n", None, "needs the participants under 'participants:'"),
])
def test_bad_identifying_marks_are_located(write, name, content, line, message):
    with pytest.raises(RosterError) as err:
        read_roster(write(name, content))
    problem = err.value.problems[0]
    assert problem.line == line and message in problem.message and problem.file.endswith(name)
