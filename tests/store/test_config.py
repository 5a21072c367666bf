"""qualcode.toml: what qualcode writes keeps what the user wrote."""
from __future__ import annotations

import tomllib

from qualcode.store.project import ProjectConfig, read_config, write_config


def test_writing_the_config_keeps_other_sections_comments_and_types(tmp_path):
    (tmp_path / "qualcode.toml").write_text(
        '# our study\n[project]\nname = "Study"\ncodebooks = []\nstore = "sqlite:///.qualcode/project.db"\n\n'
        '[groups.yp]\ntitle = "Table 3"\nmin_quotes = 3\n\n'
        '[reports]  # print on A4\npaper = "a4"\nmax_words = 120\n', encoding="utf-8")
    config = read_config(tmp_path)
    config.codebooks = ["codebooks/imported.yaml"]
    write_config(config)
    text = (tmp_path / "qualcode.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["project"]["codebooks"] == ["codebooks/imported.yaml"]
    assert data["reports"] == {"paper": "a4", "max_words": 120}
    assert data["groups"]["yp"]["min_quotes"] == 3  # an integer stays an integer, not "3"
    assert "# our study" in text and "# print on A4" in text


def test_a_new_config_reads_back_the_same(tmp_path):
    config = ProjectConfig(root=tmp_path, name='Quotes "and" back\\slashes', codebooks=["a.yaml", "b.yaml"],
                           roster="roster.csv", coder="sam", groups={"clinician": {"title": "Table 4", "rows": 2}})
    write_config(config)
    again = read_config(tmp_path)
    assert (again.name, again.codebooks, again.roster, again.coder) == (config.name, config.codebooks,
                                                                        "roster.csv", "sam")
    assert again.groups == {"clinician": {"title": "Table 4", "rows": 2}}
