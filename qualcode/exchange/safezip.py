"""Open exchange archives (.qdpx) and parse their XML defensively.

A ``.qdpx`` may come from anyone, so before anything is read:

- entry names must be relative and stay inside the archive (no ``/abs``, ``C:\\``, ``..``), no symlinks,
  no encrypted entries;
- sizes are limited (entry count, each entry, the total uncompressed size, and the compression ratio
  of large entries) against zip bombs; sizes are enforced while reading too, not only from the
  headers, which a crafted file can fake;
- XML is parsed with defusedxml: entity declarations (billion laughs) and external references are refused.

Every problem is an ``ExchangeError`` naming the file and the entry.
"""
from __future__ import annotations

import stat
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import defusedxml
import defusedxml.ElementTree as DET

from ..errors import ExchangeError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_entries: int = 20_000
    max_entry_bytes: int = 512 * MB
    max_total_bytes: int = 2048 * MB
    max_ratio: float = 200.0  # uncompressed / compressed, checked for entries above ratio_floor
    ratio_floor: int = 1 * MB


DEFAULT_LIMITS = Limits()


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

    def __init__(self, path: Path | str, limits: Limits = DEFAULT_LIMITS):
        self.path = Path(path)
        self.limits = limits
        self._read_total = 0
        if not self.path.is_file():
            raise ExchangeError(f"{self.path}: no such file")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise ExchangeError(f"{self.path}: not a REFI-QDA project (.qdpx is a zip archive; this file is not "
                                f"one: {exc})") from None
        try:
            self._infos = {i.filename: i for i in self._check(self._zip.infolist())}
        except ExchangeError:
            self._zip.close()
            raise

    def _check(self, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
        lim = self.limits
        if len(infos) > lim.max_entries:
            raise ExchangeError(f"{self.path}: {len(infos)} entries in the archive (the limit is {lim.max_entries})")
        total = 0
        for info in infos:
            where = f"{self.path}: entry {info.filename!r}"
            reason = unsafe_name_reason(info.filename)
            if reason:
                raise ExchangeError(f"{where} has {reason}; refusing to read this archive")
            mode = info.external_attr >> 16
            if mode and stat.S_ISLNK(mode):
                raise ExchangeError(f"{where} is a symbolic link; refusing to read this archive")
            if info.flag_bits & 0x1:
                raise ExchangeError(f"{where} is encrypted; export the project again without a password")
            if info.file_size > lim.max_entry_bytes:
                raise ExchangeError(f"{where} is {info.file_size // MB} MB uncompressed "
                                    f"(the limit is {lim.max_entry_bytes // MB} MB per entry)")
            if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(info.compress_size, 1):
                raise ExchangeError(f"{where} expands {info.file_size // max(info.compress_size, 1)} times "
                                    f"(limit {lim.max_ratio:g}): this looks like a zip bomb")
            total += info.file_size
        if total > lim.max_total_bytes:
            raise ExchangeError(f"{self.path}: {total // MB} MB uncompressed in total "
                                f"(the limit is {lim.max_total_bytes // MB} MB)")
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
                        raise ExchangeError(f"{self.path}: entry {name!r} is larger than its header says; "
                                            "refusing to read this archive")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise ExchangeError(f"{self.path}: entry {name!r} is damaged: {exc}") from None
        self._read_total += size
        if self._read_total > self.limits.max_total_bytes:
            raise ExchangeError(f"{self.path}: more than {self.limits.max_total_bytes // MB} MB uncompressed")
        return b"".join(chunks)


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
