"""Codebooks to and from other programs: `export codebook --format qdc` and `codebook import`."""
from __future__ import annotations

from pathlib import Path

import xmlschema
from defusedxml import ElementTree as DET

from qualcode.codebook import load_codebook
from qualcode.exchange.refi_export import export_refi
from qualcode.exchange.schemas import SCHEMA_DIR
from tests.conftest import SHARED, run
from tests.exchange.conftest import CODEBOOK

NS = "{urn:QDA-XML:codebook:1.0}"
REFERENCE = SHARED / "reference" / "refi-qda" / "Codebook.xsd"

# Annex A.1 of the REFI-QDA 1.5 specification (GUIDs with and without braces, a code folder).
SPEC_QDC = """<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" xmlns:qda="urn:QDA-XML:codebook:1.0"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="urn:QDA-XML:codebook:1.0 http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd">
<Codes>
<Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Topics" isCodable="false">
<Code guid="{d7aa29da-519b-4946-9b90-253b6db8fd0a}" name="Economy" isCodable="true" color="#ffff00">
<Description>Anything about jobs or taxes or business</Description>
</Code>
<Code guid="{0dcef2f5-e55c-49da-8c33-9b0803c7aeb4}" name="Health care" isCodable="true" color="#33cc33">
<Description>Health care issues, doctor, patients, etc.</Description>
</Code>
</Code>
<Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="Values" isCodable="false">
<Code guid="{7c108712-b650-4892-ac0b-fc9a10190c3b}" name="Conservatives" isCodable="true" color="#ff0000">
<Description>Republicans or right-wing libertarians</Description>
</Code>
<Code guid="{12365523-1035-4afa-9e7b-281fe0bc51c5}" name="Économie &amp; santé" isCodable="true" color="#00f"/>
<Code guid="{12365523-1035-4afa-9e7b-281fe0bc51c6}" name="Health care" isCodable="true"/>
</Code>
</Codes>
</CodeBook>
"""


def codebook_xsd() -> str:
    return str(REFERENCE if REFERENCE.is_file() else SCHEMA_DIR / "Codebook.xsd")


def test_export_codebook_qdc_validates_and_keeps_hierarchy_colours_descriptions(tmp_path):
    yaml_path = tmp_path / "book.yaml"
    yaml_path.write_text(CODEBOOK, encoding="utf-8")
    out = tmp_path / "book.qdc"
    r = run(["export", "codebook", "--format", "qdc", "--codebook", str(yaml_path), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == str(out) and "5 codes" in r.stderr
    data = out.read_text(encoding="utf-8")
    xmlschema.XMLSchema(codebook_xsd()).validate(data)
    root = DET.fromstring(data.encode())
    assert root.tag == f"{NS}CodeBook"
    top = root.find(f"{NS}Codes").findall(f"{NS}Code")
    assert [c.get("name") for c in top] == ["Bond", "Goals"]
    env = top[0].findall(f"{NS}Code")[0]
    assert env.get("color") == "#f28e2b" and env.get("isCodable") == "true"
    assert env.find(f"{NS}Description").text.startswith("A private, quiet, safe space for sessions.")


def test_export_codebook_uses_the_projects_codebook(source_project, tmp_path):
    r = run(["--project", str(source_project.root), "export", "codebook", "-o", str(tmp_path / "p.qdc")])
    assert r.exit_code == 0, r.stderr
    xmlschema.XMLSchema(codebook_xsd()).validate((tmp_path / "p.qdc").read_text(encoding="utf-8"))


def test_yaml_to_qdc_and_back_keeps_every_field(tmp_path):
    (tmp_path / "book.yaml").write_text(CODEBOOK, encoding="utf-8")
    run(["export", "codebook", "--codebook", str(tmp_path / "book.yaml"), "-o", str(tmp_path / "book.qdc")])
    r = run(["codebook", "import", str(tmp_path / "book.qdc"), "-o", str(tmp_path / "back.yaml")])
    assert r.exit_code == 0, r.stderr
    before, after = load_codebook(tmp_path / "book.yaml"), load_codebook(tmp_path / "back.yaml")
    fields = lambda b: [(c.id, c.label, c.definition, c.when_to_use, c.when_not_to_use, c.examples, c.colour,  # noqa: E731
                         c.parent.id if c.parent else None) for c in b.walk()]
    assert fields(after) == fields(before)


def test_a_codebook_from_another_program_becomes_a_yaml_codebook(tmp_path):
    (tmp_path / "spec.qdc").write_text(SPEC_QDC, encoding="utf-8")
    out = tmp_path / "codebooks" / "spec.yaml"
    r = run(["codebook", "import", str(tmp_path / "spec.qdc"), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == str(out)
    book = load_codebook(out)
    assert [(c.id, c.label, c.colour, c.parent.id if c.parent else None) for c in book.walk()] == [
        ("topics", "Topics", None, None),
        ("economy", "Economy", "#ffff00", "topics"),
        ("health-care", "Health care", "#33cc33", "topics"),
        ("values", "Values", None, None),
        ("conservatives", "Conservatives", "#ff0000", "values"),
        ("economie-sante", "Économie & santé", "#0000ff", "values"),
        ("health-care-2", "Health care", None, "values"),
    ]
    assert book.get("economy").definition == "Anything about jobs or taxes or business"
    assert run(["codebook", "check", str(out)]).exit_code == 0


def test_codebook_import_takes_the_codebook_of_a_qdpx(source_project, tmp_path):
    qdpx = export_refi(source_project, tmp_path / "study.qdpx").path
    r = run(["codebook", "import", str(qdpx), "-o", str(tmp_path / "from-project.yaml")])
    assert r.exit_code == 0, r.stderr
    book = load_codebook(tmp_path / "from-project.yaml")
    assert book.name == "Exchange test" and book.get("yp-conducive-environment").label == "Conducive environment"


def test_codebook_import_refuses_bad_input_and_never_overwrites(tmp_path):
    (tmp_path / "spec.qdc").write_text(SPEC_QDC, encoding="utf-8")
    out = tmp_path / "spec.yaml"
    out.write_text("keep me", encoding="utf-8")
    r = run(["codebook", "import", str(tmp_path / "spec.qdc"), "-o", str(out)])
    assert r.exit_code == 6 and "already exists" in r.stderr and out.read_text() == "keep me"
    assert run(["codebook", "import", str(tmp_path / "spec.qdc"), "-o", str(out), "--force"]).exit_code == 0
    (tmp_path / "project.qdc").write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', encoding="utf-8")
    r = run(["codebook", "import", str(tmp_path / "project.qdc"), "-o", str(tmp_path / "x.yaml")])
    assert r.exit_code == 6 and "not <CodeBook>" in r.stderr
    (tmp_path / "empty.qdc").write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', encoding="utf-8")
    r = run(["codebook", "import", str(tmp_path / "empty.qdc"), "-o", str(tmp_path / "y.yaml")])
    assert r.exit_code == 6 and "no codes" in r.stderr
    assert not Path(tmp_path / "x.yaml").exists() and not Path(tmp_path / "y.yaml").exists()
