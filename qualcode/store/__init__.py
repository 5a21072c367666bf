"""The project store: SQLite by default (PostgreSQL for teams), through SQLAlchemy Core."""
from .project import Project, init_project, open_project

__all__ = ["Project", "init_project", "open_project"]
