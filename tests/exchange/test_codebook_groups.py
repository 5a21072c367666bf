"""Code groups (REFI-QDA <Sets> of codes) in a .qdc or a .qdpx are kept by `codebook import` as the
YAML codebook's `code_groups`, checked by the loader, and written again by `export codebook` (.qdc)
and `export refi` (.qdpx). Exporters make missing output folders, as the report writers do."""
from __future__ import annotations

import zipfile

import pytest
import xmlschema
from defusedxml import ElementTree as DET

from qualcode.codebook import load_codebook
from qualcode.codebook.load import parse_codebook
from qualcode.errors import CodebookError
from qualcode.exchange.guids import code_guid, norm_guid
from qualcode.store.code_sets import CodeSet, save_code_set
from tests.conftest import run
from tests.exchange.test_codebook_exchange import SPEC_QDC, codebook_xsd

NS = "{urn:QDA-XML:codebook:1.0}"
ECONOMY, HEALTH, CONSERVATIVES = ("{d7aa29da-519b-4946-9b90-253b6db8fd0a}", "{0dcef2f5-e55c-49da-8c33-9b0803c7aeb4}",
                                  "{7c108712-b650-4892-ac0b-fc9a10190c3b}")
# the spec's codebook with code groups as ATLAS.ti writes them (a <Sets> in the CodeBook, MemberCode guid=)
GROUPED_QDC = SPEC_QDC.replace("</Codes>", f"""</Codes>
<Sets>
<Set guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0" name="Policy"><Description>Talk about policy</Description>
<MemberCode guid="{ECONOMY}"/><MemberCode guid="{HEALTH}"/></Set>
<Set guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F1" name="Politics"><MemberCode guid="{CONSERVATIVES}"/></Set>
</Sets>""")


def members(root, name):
    group = next(s for s in root.iter(f"{NS}Set") if s.get("name") == name)
    return sorted(norm_guid(m.get("guid")) for m in group.iter(f"{NS}MemberCode"))


def test_code_groups_of_a_qdc_become_code_groups_of_the_yaml_and_go_out_again(tmp_path):
    (tmp_path / "grouped.qdc").write_text(GROUPED_QDC, encoding="utf-8")
    r = run(["codebook", "import", str(tmp_path / "grouped.qdc"), "-o", str(tmp_path / "book.yaml")])
    assert r.exit_code == 0, r.stderr
    assert "2 code group(s)" in r.stderr
    book = load_codebook(tmp_path / "book.yaml")
    labels = {c.id: c.label for c in book.walk()}
    assert [(g.name, g.description, sorted(labels[c] for c in g.codes)) for g in book.code_groups] == [
        ("Policy", "Talk about policy", ["Economy", "Health care"]), ("Politics", "", ["Conservatives"])]
    assert "code_groups:" in (tmp_path / "book.yaml").read_text(encoding="utf-8")

    out = tmp_path / "back.qdc"
    r = run(["export", "codebook", "--format", "qdc", "--codebook", str(tmp_path / "book.yaml"), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    xmlschema.XMLSchema(codebook_xsd()).validate(out.read_text(encoding="utf-8"))
    root = DET.fromstring(out.read_bytes())
    names = {norm_guid(c.get("guid")): c.get("name") for c in root.iter(f"{NS}Code")}
    assert sorted(names[g] for g in members(root, "Policy")) == ["Economy", "Health care"]
    assert [names[g] for g in members(root, "Politics")] == ["Conservatives"]
    assert members(root, "Policy") == sorted(norm_guid(code_guid(c)) for c in book.code_groups[0].codes)
    r = run(["codebook", "import", str(out), "-o", str(tmp_path / "again.yaml")])
    assert r.exit_code == 0, r.stderr
    assert load_codebook(tmp_path / "again.yaml").code_groups == book.code_groups


def test_a_projects_code_groups_are_kept_and_document_sets_are_named_as_left_out(source_project, tmp_path):
    with source_project.engine.begin() as conn:
        save_code_set(conn, CodeSet("Alliance core", "Bond and goals", ["yp-trust", "yp-decision"], ["yp-D3"]))
        save_code_set(conn, CodeSet("Noisy interviews", "", [], ["yp-D3"]))
    qdpx = tmp_path / "p.qdpx"
    assert run(["--project", str(source_project.root), "export", "refi", "-o", str(qdpx)]).exit_code == 0
    r = run(["codebook", "import", str(qdpx), "-o", str(tmp_path / "book.yaml")])
    assert r.exit_code == 0, r.stderr
    assert "1 set(s) with no code of this codebook" in r.stderr
    [group] = load_codebook(tmp_path / "book.yaml").code_groups
    assert (group.name, sorted(group.codes)) == ("Alliance core", ["yp-decision", "yp-trust"])


def test_the_codebooks_code_groups_go_into_export_refi(source_project, tmp_path):
    path = source_project.root / "codebooks" / "test.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "code_groups:\n  - name: Place\n    codes: [yp-conducive-environment]\n",
                    encoding="utf-8")
    out = tmp_path / "new" / "folder" / "x.qdpx"  # folders made, as `report quotes -o newdir/x.docx` does
    r = run(["--project", str(source_project.root), "export", "refi", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    root = DET.fromstring(zipfile.ZipFile(out).read("project.qde"))
    [group] = root.iter("{urn:QDA-XML:project:1.0}Set")
    assert group.get("name") == "Place"
    assert [m.get("targetGUID") for m in group] == [code_guid("yp-conducive-environment")]


@pytest.mark.parametrize("groups, message", [
    ("code_groups:\n  - name: G\n    codes: [nope]\n", "no code with id 'nope'"),
    ("code_groups:\n  - name: G\n  - name: g\n", "listed twice"),
    ("code_groups:\n  - codes: [a]\n", "needs a 'name'"),
    ("code_groups: G\n", "must be a list"),
])
def test_bad_code_groups_are_errors_naming_the_line(groups, message):
    text = "codebook:\n  name: X\ndomains:\n  - id: a\n    label: A\n" + groups
    with pytest.raises(CodebookError) as err:
        parse_codebook(text, "book.yaml")
    [problem] = err.value.problems
    assert message in problem.message and problem.line >= 6
