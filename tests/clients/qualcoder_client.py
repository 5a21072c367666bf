"""Run QualCoder's own REFI-QDA project importer (``qualcoder/refi.py``, RefiImport.import_project)
headless on a .qdpx and print, as JSON, what it stored in its sqlite project. Test-only.

QualCoder is not on PyPI and its source (LGPL-3.0) is not part of this repository: pass the path
of a QualCoder checkout (its repository root or its ``src`` folder). Run with a Python that has
PyQt6, PyMuPDF and Pillow (``make qualcoder-client`` builds ``.venv-qualcoder`` with pinned
versions):

    QT_QPA_PLATFORM=offscreen python qualcoder_client.py QUALCODER_SRC FILE.qdpx WORKDIR [--export OUT.qdpx]

With ``--export``, QualCoder's own REFI-QDA project exporter (RefiExport, line endings left
unchanged, its default) then writes the imported project to OUT.qdpx: a real QualCoder file.

The only scaffolding: a stand-in for QualCoder's ``App`` (settings, sqlite connection, project
path), the project database made with the CREATE TABLE statements read from QualCoder's own
``MainWindow.new_project`` (so its schema is not copied here), file dialogs answered with the
.qdpx path, message boxes and the line-endings dialog answered with their defaults, ``~`` (where
its exporter prepares files) set to WORKDIR, and empty Qt multimedia modules when the
machine lacks the audio libraries Qt needs (the text import never plays media).
"""
import ast
import contextlib
import json
import os
import re
import sqlite3
import sys
import types
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def source_root(arg: str) -> Path:
    root = Path(arg)
    return root / "src" if (root / "src" / "qualcoder").is_dir() else root


def schema_statements(src: Path) -> list[str]:
    """The CREATE TABLE statements QualCoder's MainWindow.new_project runs, read from its source."""
    tree = ast.parse((src / "qualcoder" / "__main__.py").read_text(encoding="utf-8"))
    func = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "new_project")
    found = []
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "execute" and node.args:
            text = _constant_text(node.args[0])
            if text and text.lstrip().upper().startswith("CREATE TABLE"):
                found.append(text)
    return found


def _constant_text(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp):  # "..." "..." split over lines, or joined with +
        left, right = _constant_text(node.left), _constant_text(node.right)
        return left + right if left is not None and right is not None else None
    return None


def qualcoder_version(src: Path) -> str:
    """QualCoder's App.version ("QualCoder 4.0 Beta"), which its exporter writes as ``origin``."""
    found = re.search(r'self\.version = "(QualCoder[^"]*)"', (src / "qualcoder" / "app.py").read_text(encoding="utf-8"))
    return found.group(1) if found else "QualCoder"


def stub_multimedia() -> None:
    try:
        import PyQt6.QtMultimedia  # noqa: F401
        import PyQt6.QtMultimediaWidgets  # noqa: F401
    except ImportError:  # e.g. no libpulse on a server
        from PyQt6 import QtWidgets

        media = types.ModuleType("PyQt6.QtMultimedia")
        media.QMediaPlayer = media.QAudioOutput = type("Unavailable", (), {})
        widgets = types.ModuleType("PyQt6.QtMultimediaWidgets")
        widgets.QVideoWidget = QtWidgets.QWidget
        sys.modules.update({"PyQt6.QtMultimedia": media, "PyQt6.QtMultimediaWidgets": widgets})


class Log:
    """Stands in for the QTextEdit QualCoder writes its import log to."""

    def __init__(self):
        self.lines = []

    def append(self, text):
        self.lines.append(str(text))


def make_app(project: Path, schema: list[str], version: str):
    project.mkdir(parents=True)
    for folder in ("images", "audio", "video", "documents"):
        (project / folder).mkdir()
    conn = sqlite3.connect(project / "data.qda")
    for statement in schema:
        conn.execute(statement)
    conn.execute("INSERT INTO project (databaseversion, date, memo, about, bookmarkfile, bookmarkpos, codername,"
                 " recently_used_codes) VALUES ('v17', '', '', 'QualCoder', 0, 0, 'default', '')")
    conn.commit()
    settings = {"codername": "default", "directory": str(project.parent), "ai_enable": "False", "fontsize": 10}
    return types.SimpleNamespace(conn=conn, project_path=str(project), project_name=project.name,
                                 settings=settings, ai_models=[], version=version,
                                 write_config_ini=lambda *a: None, project_events=None)


def run(src: Path, qdpx: Path, workdir: Path, export: Path | None) -> dict:
    sys.path.insert(0, str(src))
    from PyQt6 import QtWidgets

    qt = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    stub_multimedia()
    from qualcoder import helpers, refi

    messages = []
    helpers.Message.exec = lambda self: messages.append(self.text()) or 0
    refi.RefiLineEndings.exec = lambda self: 0  # "No change to line endings" is checked by default
    QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(qdpx), "(*.qdpx *.QDPX)"))
    app = make_app(workdir / "project.qda", schema_statements(src), qualcoder_version(src))
    log = Log()
    refi.RefiImport(app, log, "qdpx")
    result = dump(app.conn)
    if export is not None:
        result["exported"] = run_export(refi, QtWidgets, app, log, workdir, export)
    result.update(log=log.lines, messages=messages)
    qt.processEvents()
    return result


def run_export(refi, QtWidgets, app, log, workdir: Path, export: Path) -> str:
    os.environ["HOME"] = str(workdir)  # its exporter prepares the archive in ~/.qualcoder/PROJECT
    (workdir / ".qualcoder").mkdir(exist_ok=True)
    out_dir = workdir / "exported"
    out_dir.mkdir()
    QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(out_dir))
    app.get_annotations = lambda: [dict(zip(("anid", "fid", "pos0", "pos1", "memo", "owner", "date"), row))
                                   for row in app.conn.execute("SELECT anid, fid, pos0, pos1, memo, owner, date"
                                                               " FROM annotation")]
    app.settings["font"] = "Noto Sans"
    refi.RefiExport(app, log, "project")
    written = out_dir / f"{app.project_name[:-4]}.qdpx"
    export.write_bytes(written.read_bytes())
    return str(export)


QUERIES = {
    "codes": "SELECT c.cid, c.name, c.memo, c.catid, c.supercid, p.name FROM code_name c"
             " LEFT JOIN code_name p ON p.cid = c.supercid ORDER BY c.cid",
    "categories": "SELECT catid, name, memo, supercatid FROM code_cat ORDER BY catid",
    "sources": "SELECT id, name, fulltext, memo FROM source ORDER BY id",
    "codings": "SELECT n.name, s.name, t.pos0, t.pos1, t.seltext, t.owner, t.memo FROM code_text t"
               " LEFT JOIN code_name n ON n.cid = t.cid LEFT JOIN source s ON s.id = t.fid ORDER BY t.ctid",
    "cases": "SELECT caseid, name, memo FROM cases ORDER BY caseid",
    "case_text": "SELECT c.name, s.name, t.pos0, t.pos1 FROM case_text t JOIN cases c ON c.caseid = t.caseid"
                 " JOIN source s ON s.id = t.fid ORDER BY t.id",
    "attributes": "SELECT name, attr_type, value, id FROM attribute ORDER BY attrid",
    "attribute_types": "SELECT name, caseOrFile, memo FROM attribute_type ORDER BY name",
    "annotations": "SELECT s.name, a.pos0, a.pos1, a.memo FROM annotation a JOIN source s ON s.id = a.fid",
    "journals": "SELECT name, jentry FROM journal ORDER BY jid",
    "project_memo": "SELECT memo FROM project",
}


def dump(conn) -> dict:
    return {key: [list(row) for row in conn.execute(sql)] for key, sql in QUERIES.items()}


def main(argv):
    export = None
    if len(argv) == 5 and argv[3] == "--export":
        export = Path(argv[4]).resolve()
    elif len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with contextlib.redirect_stdout(sys.stderr):  # QualCoder prints to stdout; the JSON goes there alone
        result = run(source_root(argv[0]), Path(argv[1]).resolve(), Path(argv[2]).resolve(), export)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
