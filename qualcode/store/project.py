"""A qualcode project: a folder with ``qualcode.toml`` and a store.

``qualcode.toml``::

    [project]
    name = "Working alliance study"
    codebooks = ["codebooks/working-alliance.yaml"]
    roster = "transcripts/roster.csv"
    store = "sqlite:///.qualcode/project.db"    # relative paths are relative to the project folder
    coder = "analyst"                            # default coder for manual coding

    [groups.young-person]
    title = "Table 3"
    subtitle = "Young person's views"

    [reports]
    paper = "a4"                                 # or "letter": every Word and Excel output
"""
from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ProjectError
from . import sql
from .migrations import LATEST

if TYPE_CHECKING:
    import sqlalchemy as sa

CONFIG_NAME = "qualcode.toml"
DEFAULT_STORE = "sqlite:///.qualcode/project.db"


@dataclass
class ProjectConfig:
    root: Path
    name: str = "qualcode project"
    codebooks: list[str] = field(default_factory=list)
    roster: str = ""
    store: str = DEFAULT_STORE
    coder: str = ""
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    paper: str = "a4"
    speakers: dict[str, Any] = field(default_factory=dict)  # [speakers] interviewer/participant/other labels

    def codebook_paths(self) -> list[Path]:
        return [self.root / c for c in self.codebooks]

    def roster_path(self) -> Path | None:
        return self.root / self.roster if self.roster else None

    def store_url(self) -> str:
        url = os.environ.get("QUALCODE_STORE") or self.store
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            rel = url[len("sqlite:///"):]
            if rel and rel != ":memory:":
                return "sqlite:///" + str((self.root / rel).resolve())
        return url


def write_config(config: ProjectConfig) -> Path:
    """Write ``config`` to ``qualcode.toml``, keeping everything else the file holds (other sections,
    comments, layout) as the user wrote it. Values keep their TOML types (tomlkit)."""
    import tomlkit

    path = config.root / CONFIG_NAME
    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.document()
    project = doc.setdefault("project", tomlkit.table())
    project["name"] = config.name
    project["codebooks"] = list(config.codebooks)
    for key in ("roster", "coder"):
        if getattr(config, key):
            project[key] = getattr(config, key)
        elif key in project:
            del project[key]
    project["store"] = config.store
    if config.groups:
        groups = doc.setdefault("groups", tomlkit.table(is_super_table=True))
        for group, values in config.groups.items():
            table = groups.setdefault(group, tomlkit.table())
            table.update(values)
    if config.paper != "a4" or "reports" in doc:
        doc.setdefault("reports", tomlkit.table())["paper"] = config.paper
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def read_config(root: Path) -> ProjectConfig:
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path}: cannot read: {exc}") from None
    project = data.get("project", {})
    if not isinstance(project, dict):
        raise ProjectError(f"{path}: [project] must be a table")
    unknown = set(project) - {"name", "codebooks", "roster", "store", "coder"}
    if unknown:
        raise ProjectError(f"{path}: unknown setting(s) in [project]: {', '.join(sorted(unknown))}")
    codebooks = project.get("codebooks", [])
    if isinstance(codebooks, str):
        codebooks = [codebooks]
    groups = data.get("groups", {})
    speakers = data.get("speakers", {})
    if not isinstance(speakers, dict):
        raise ProjectError(f"{path}: [speakers] must be a table (interviewer = [...], participant = [...])")
    return ProjectConfig(root=root, name=str(project.get("name", root.name)), codebooks=list(codebooks),
                         roster=str(project.get("roster", "")), store=str(project.get("store", DEFAULT_STORE)),
                         coder=str(project.get("coder", "")), groups=groups if isinstance(groups, dict) else {},
                         paper=_paper(path, data.get("reports", {})),
                         speakers=speakers)


def _paper(path: Path, reports: Any) -> str:
    """``[reports] paper``: "a4" (default) or "letter"; anything else is an error naming the file."""
    from ..paper import PAPERS, check_paper

    if not isinstance(reports, dict):
        raise ProjectError(f"{path}: [reports] must be a table")
    try:
        return check_paper(reports.get("paper", "a4"))
    except ValueError:
        raise ProjectError(f"{path}: [reports] paper = {reports.get('paper')!r}: use "
                           f"{' or '.join(repr(p) for p in PAPERS)}") from None


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``qualcode.toml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ProjectError(f"no qualcode project in {here} or any folder above it "
                       f"(run 'qualcode init' to create one, or pass --project DIR)")


def make_engine(url: str) -> sa.Engine:
    import sqlalchemy as sa

    if url.startswith("sqlite"):
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": sql.TIMEOUT})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            for pragma in sql.PRAGMAS:
                cur.execute(pragma)
            cur.close()
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise ProjectError(f"cannot use store {url!r}: {exc}") from None


def _content_key(paths: list[Path]) -> tuple[tuple[str, str], ...] | None:
    """The codebook files' names and content hashes (None when one cannot be read: loading says why)."""
    try:
        return tuple((str(p), hashlib.sha256(Path(p).read_bytes()).hexdigest()) for p in paths)
    except OSError:
        return None


@dataclass
class Project:
    config: ProjectConfig
    _engine: Any = field(default=None, repr=False, compare=False)  # made on first use (SQLAlchemy)
    _codebooks: dict = field(default_factory=dict, repr=False, compare=False)  # content key -> Codebook

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, made (and SQLAlchemy imported) on first use."""
        if self._engine is None:
            self._engine = make_engine(self.config.store_url())
        return self._engine

    def connect(self):
        """A connection for the plain-SQL queries of ``store.sql`` (changes are not kept): the stdlib
        ``sqlite3`` on a SQLite file, else a SQLAlchemy connection."""
        path = sql.sqlite_file(self.config.store_url())
        return sql.sqlite_connection(path, commit=False) if path else self.engine.connect()

    def begin(self):
        """Like ``connect()``, in one transaction committed when the block ends without error."""
        path = sql.sqlite_file(self.config.store_url())
        return sql.sqlite_connection(path, commit=True) if path else self.engine.begin()

    def codebook(self, override: Path | None = None):
        """The project's codebook (several files are merged in order), or ``override``; parsed once per
        content (a codebook edited while the project is open is read again)."""
        from ..codebook import load_codebook
        from ..codebook.merge import merge_codebooks

        paths = [override] if override else self.config.codebook_paths()
        if not paths:
            raise ProjectError("this project has no codebook: add 'codebooks = [\"FILE.yaml\"]' to "
                               "qualcode.toml or pass --codebook FILE")
        key = _content_key(paths)
        if key is not None and key in self._codebooks:
            return self._codebooks[key]
        book = merge_codebooks([load_codebook(p) for p in paths])
        if key is not None:
            self._codebooks[key] = book
        return book

    def default_coder(self) -> str:
        return os.environ.get("QUALCODE_CODER") or self.config.coder or os.environ.get("USER", "") or "analyst"


def open_project(root: Path | None = None, *, search: bool = True) -> Project:
    """Open the project at ``root`` (or found upwards from the current folder) and migrate its store."""
    folder = find_root(root) if search else Path(root or Path.cwd()).resolve()
    project = Project(read_config(folder))
    path = sql.sqlite_file(project.config.store_url())
    if path and sql.schema_version(path) == LATEST:  # the usual case, checked without SQLAlchemy
        return project
    _migrate(project)
    return project


def _migrate(project: Project) -> None:
    """Create the store or bring it to the latest schema (SQLAlchemy)."""
    import sqlalchemy as sa

    from .migrations import current_version, migrate

    try:
        with project.engine.connect() as conn:
            version = current_version(conn)
        if version > LATEST:
            raise ProjectError(f"the store was written by a newer qualcode (schema {version} > {LATEST}); upgrade qualcode")
        migrate(project.engine)
    except sa.exc.OperationalError as exc:
        raise ProjectError(f"cannot open the store {project.config.store_url()}: {exc.orig}") from None


def init_project(root: Path, *, name: str | None = None, codebooks: list[str] | None = None,
                 roster: str = "", store: str | None = None, coder: str = "") -> Project:
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    if (root / CONFIG_NAME).exists():
        raise ProjectError(f"{root / CONFIG_NAME} already exists: this folder is already a qualcode project")
    config = ProjectConfig(root=root, name=name or root.name, codebooks=list(codebooks or []), roster=roster,
                           store=store or DEFAULT_STORE, coder=coder)
    write_config(config)
    if config.store.startswith("sqlite:///.qualcode/"):
        (root / ".qualcode").mkdir(exist_ok=True)
        (root / ".qualcode" / ".gitignore").write_text("*\n", encoding="utf-8")
    return open_project(root, search=False)
