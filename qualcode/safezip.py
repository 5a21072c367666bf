"""Every archive and XML file the program reads goes through here: one set of limits.

Transcripts (.docx), review packs (.xlsx/.docx), consensus sheets (.xlsx/.docx), REFI-QDA projects
(.qdpx) and codebooks (.qdc) may come from anyone, so before anything is read:

- entry names must be relative and stay inside the archive (no ``/abs``, ``C:\\``, ``..``), no symlinks,
  no encrypted entries;
- sizes are limited (entry count, each entry, the total uncompressed size, and the compression ratio
  of large entries) against zip bombs; sizes are enforced while reading too, not only from the
  headers, which a crafted file can fake;
- XML is parsed with defusedxml: entity declarations (billion laughs) and external references are
  refused; ``check_archive`` also reads every XML entry of an Office file (within the limits) and
  refuses one that declares a DOCTYPE or entities, before openpyxl or python-docx parse it.

Every problem is an error of the class the caller names (``ExchangeError`` by default; transcripts
use ``TranscriptError``) naming the file and the entry. ``OFFICE_LIMITS`` are for Word and Excel
files (a transcript or a review pack is a few MB at most); ``DEFAULT_LIMITS`` for .qdpx projects,
which carry their sources.
"""
from __future__ import annotations

import stat
import xml.etree.ElementTree as ET
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import defusedxml
import defusedxml.ElementTree as DET

from .errors import ExchangeError, QualcodeError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_entries: int = 20_000
    max_entry_bytes: int = 512 * MB
    max_total_bytes: int = 2048 * MB
    max_ratio: float = 200.0  # uncompressed / compressed, checked for entries above ratio_floor
    ratio_floor: int = 1 * MB


DEFAULT_LIMITS = Limits()
OFFICE_LIMITS = Limits(max_entries=5_000, max_entry_bytes=100 * MB, max_total_bytes=200 * MB, max_ratio=100.0)
_DECLARATIONS = [m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")]


def unsafe_name_reason(name: str) -> str | None:
    """Why an entry name is unsafe to extract, or None when it is a plain relative path."""
    if not name or "\x00" in name:
        return "an empty or NUL-containing name"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "an absolute path"
    if ".." in PurePosixPath(norm).parts:
        return "a '..' path component (it points outside the archive)"
    return None


class SafeArchive:
    """A zip opened for reading with every entry checked first. Use as a context manager."""

    def __init__(self, path: Path | str, limits: Limits = DEFAULT_LIMITS, *,
                 error: type[QualcodeError] = ExchangeError,
                 not_zip: str = "not a REFI-QDA project (.qdpx is a zip archive; this file is not one: {exc})"):
        self.path = Path(path)
        self.limits = limits
        self._error = error
        self._read_total = 0
        if not self.path.is_file():
            raise error(f"{self.path}: no such file")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise error(f"{self.path}: " + not_zip.format(exc=exc or type(exc).__name__)) from None
        try:
            self._infos = {i.filename: i for i in self._check(self._zip.infolist())}
        except QualcodeError:
            self._zip.close()
            raise

    def _check(self, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
        lim = self.limits
        if len(infos) > lim.max_entries:
            raise self._error(f"{self.path}: {len(infos)} entries in the archive (the limit is {lim.max_entries})")
        total = 0
        for info in infos:
            where = f"{self.path}: entry {info.filename!r}"
            reason = unsafe_name_reason(info.filename)
            if reason:
                raise self._error(f"{where} has {reason}; refusing to read this archive")
            mode = info.external_attr >> 16
            if mode and stat.S_ISLNK(mode):
                raise self._error(f"{where} is a symbolic link; refusing to read this archive")
            if info.flag_bits & 0x1:
                raise self._error(f"{where} is encrypted; export the project again without a password")
            if info.file_size > lim.max_entry_bytes:
                raise self._error(f"{where} is {info.file_size // MB} MB uncompressed, over the "
                                  f"{lim.max_entry_bytes // MB} MB limit per entry; refusing to open it (possible zip bomb)")
            if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(info.compress_size, 1):
                raise self._error(f"{where} is compressed more than {lim.max_ratio:g}:1 ({info.file_size // MB} MB "
                                  "uncompressed); refusing to open it (possible zip bomb)")
            total += info.file_size
        if total > lim.max_total_bytes:
            raise self._error(f"{self.path}: {total // MB} MB uncompressed in total, over the "
                              f"{lim.max_total_bytes // MB} MB limit; refusing to open it (possible zip bomb)")
        return infos

    def __enter__(self) -> "SafeArchive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return [n for n, i in self._infos.items() if not i.is_dir()]

    def find(self, name: str) -> str | None:
        """The entry called ``name``, compared case-insensitively and with ``\\`` read as ``/``."""
        want = name.replace("\\", "/").lower()
        for real in self.names():
            if real.replace("\\", "/").lower() == want:
                return real
        return None

    def read(self, name: str) -> bytes:
        """An entry's bytes, never more than the limits allow (whatever its header claims)."""
        info = self._infos[name]
        cap = min(info.file_size, self.limits.max_entry_bytes)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as fh:
                while True:
                    chunk = fh.read(min(1 * MB, cap + 1 - size))
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > cap:
                        raise self._error(f"{self.path}: entry {name!r} is larger than its header says; "
                                            "refusing to read this archive")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError,
                RuntimeError) as exc:
            raise self._error(f"{self.path}: entry {name!r} is damaged: {exc}") from None
        self._read_total += size
        if self._read_total > self.limits.max_total_bytes:
            raise self._error(f"{self.path}: more than {self.limits.max_total_bytes // MB} MB uncompressed")
        return b"".join(chunks)


def check_archive(path: Path | str, error: type[QualcodeError], *, what: str, required: str | None = None,
                  limits: Limits = OFFICE_LIMITS) -> None:
    """Refuse an Office file (``what``: "a .docx transcript", "an .xlsx review pack", ...) that is not
    a zip, lacks the ``required`` entry, breaks the limits (counted while inflating, not only from
    the headers), or has an XML entry declaring a DOCTYPE or entities (entity expansion)."""
    with SafeArchive(path, limits, error=error, not_zip=f"is not {what} (not a readable zip archive: {{exc}})") as zf:
        names = zf.names()
        if required is not None and required not in names:
            raise error(f"{zf.path}: is not {what} (no {required} inside)")
        for name in names:
            if name.lower().endswith((".xml", ".rels", ".vml")):
                head = zf.read(name)
                if any(d in head for d in _DECLARATIONS):
                    raise error(f"{zf.path}: entry {name!r} declares a DOCTYPE or entities, which Office files "
                                "never need; refusing to read it (entity expansion attack)")


def parse_xml(data: bytes, where: str) -> ET.Element:
    """Parse XML with entity declarations and external references refused."""
    try:
        return DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise ExchangeError(f"{where}: the XML declares entities, which exchange files never need; "
                            "refusing to read it (entity expansion attacks)") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise ExchangeError(f"{where}: the XML refers to external resources; refusing to read it") from None
    except ET.ParseError as exc:
        raise ExchangeError(f"{where}: not well-formed XML: {exc}") from None


@contextmanager
def parsing(path: Path | str, error: type[QualcodeError], what: str):
    """Around a third-party parser (openpyxl, python-docx) reading a file that passed the archive
    checks: whatever it raises on a damaged or tampered file (TypeError, KeyError, lxml errors...)
    becomes ``error`` naming the file. Our own typed errors pass through unchanged."""
    try:
        yield
    except QualcodeError:
        raise
    except Exception as exc:  # noqa: BLE001 - the parser's errors on bad input have no common type
        raise error(f"{path}: cannot read this file as {what} ({type(exc).__name__}: {exc})"[:2000]) from None
