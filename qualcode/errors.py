"""Typed errors. Every error a user can cause is one of these; the CLI maps them to exit codes
in one place (``qualcode.cli.errors``). Each carries what the user needs to fix the problem."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem: ``FILE:LINE:COL: message`` (line and column are 1-based)."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class QualcodeError(Exception):
    """Base class for every error caused by user input. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if self.problems:
            return "\n".join(str(p) for p in self.problems)
        return self.message


class CodebookError(QualcodeError):
    """The codebook YAML is invalid; ``problems`` lists every located problem."""


class TranscriptError(QualcodeError):
    """A transcript file cannot be read or parsed."""

    exit_code = 3


class RosterError(QualcodeError):
    """The participant roster is invalid."""

    exit_code = 3


class ProjectError(QualcodeError):
    """No project, a broken project configuration, or a store problem."""

    exit_code = 4


class CodingError(QualcodeError):
    """A coding refers to an unknown code, transcript or offsets outside the text."""

    exit_code = 5


class ExchangeError(QualcodeError):
    """An exchange file (CSV codings, REFI-QDA, review pack) is malformed."""

    exit_code = 6


class AgreementError(QualcodeError):
    """Agreement cannot be computed from the data given."""

    exit_code = 7


class ModelError(QualcodeError):
    """The project's learned model is missing, damaged or out of date for what was asked."""

    exit_code = 8
