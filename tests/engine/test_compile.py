import pytest

from qualcode.codebook.load import load_codebook
from qualcode.engine.compile import check_rules, compile_codebook, rule_patterns, validate_rules
from qualcode.errors import CodebookError

from engine_helpers import book, code, one_code_book, rule


def test_rule_patterns_are_plain_data_for_every_rule_and_exclusion():
    b = book(code("d", [rule("phrases", ["x"], id="d/p")],
                  codes=[code("c", [rule("regex", "y+", id="c/r")], [rule("lemmas", ["z"], id="c/x")])]))
    pats = rule_patterns(b)
    assert [(p["label"], p["id"], p["kind"], p["exclude"]) for p in pats] == [
        ("d", "d/p", "phrases", False), ("c", "c/r", "regex", False), ("c", "c/x", "lemmas", True)]
    assert pats[1]["pattern"] == "y+"


def test_invalid_token_pattern_is_a_codebook_error_at_the_rule_location(nlp):
    b = one_code_book(rule("pattern", [{"LEMMA": "meet"}, {"OP": "??"}], id="c/pattern-1", line=12, column=9))
    with pytest.raises(CodebookError) as err:
        compile_codebook(b, nlp)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.column) == ("book.yaml", 12, 9)
    assert "c/pattern-1" in problem.message and "token 2, OP" in problem.message
    assert str(problem).startswith("book.yaml:12:9: ")


def test_invalid_regex_is_a_codebook_error_at_the_rule_location(nlp):
    b = one_code_book(rule("regex", "(unclosed", line=7, column=20))
    with pytest.raises(CodebookError) as err:
        compile_codebook(b, nlp)
    (problem,) = err.value.problems
    assert (problem.line, problem.column) == (7, 20)
    assert "invalid regular expression" in problem.message


def test_every_problem_is_reported_not_just_the_first(nlp):
    b = one_code_book(rule("regex", "a**", line=3),
                      rule("regex", "x?", line=4),  # matches the empty string
                      rule("pattern", [{"LOWERR": "x"}], line=5),
                      rule("near", {"a": ["x"], "within": 0}, line=6),
                      rule("phrases", [""], line=7))
    problems = validate_rules(b, nlp)
    assert [p.line for p in problems] == [3, 4, 5, 6, 6, 7]
    assert "empty string" in problems[1].message
    assert "LOWERR" in problems[2].message


def test_valid_rules_have_no_problems(nlp):
    b = one_code_book(rule("phrases", ["a b"]), rule("lemmas", ["meet regularly"]),
                      rule("pattern", [{"lemma": "meet"}, {"OP": "{0,2}"}, {"LOWER": {"IN": ["weekly"]}}]),
                      rule("regex", r"\bweekly\b"), rule("near", {"a": ["age"], "b": ["counsellor"]}))
    assert validate_rules(b, nlp) == []
    compiled = compile_codebook(b, nlp)
    assert compiled.needs_lemmas


def test_a_bad_pattern_is_reported_with_its_yaml_line_when_rules_are_checked(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text(
        "codebook:\n"
        "  name: t\n"
        "domains:\n"
        "  - id: d\n"
        "    label: D\n"
        "    rules:\n"
        "      - phrases: [privacy]\n"
        "      - pattern: [{LOWER: x}, {LOWER: y, OP: '!!'}]\n", encoding="utf-8")
    book = load_codebook(path)  # loading alone does not build spaCy to check patterns
    with pytest.raises(CodebookError) as err:
        check_rules(book)
    (problem,) = err.value.problems
    assert (problem.file, problem.line) == (str(path), 8)
    assert "token 2, OP" in problem.message
