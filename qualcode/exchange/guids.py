"""Stable GUIDs: the same project exported twice gets the same GUIDs, so another program (or a
second import) recognises the same code, source or coding. Each GUID is a UUID5 of a fixed
namespace and a key that names the thing (a code id, a transcript name, a coding's
(transcript, start, end, code, coder), a coder's name...)."""
from __future__ import annotations

import re
import uuid

# Fixed for ever: changing it would change every GUID qualcode has ever written.
NAMESPACE = uuid.UUID("5d0c7a52-3f4e-4a8e-9b7b-2f1c6e0a9d41")
GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")


def stable_guid(kind: str, *parts: object) -> str:
    """The GUID of ``kind`` (code, source, case, user, ...) named by ``parts``."""
    key = "\x1f".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(NAMESPACE, key))


def code_guid(code_id: str) -> str:
    return stable_guid("code", code_id)


def norm_guid(value: str | None) -> str:
    """GUIDs compare case-insensitively and with or without braces (``{...}``)."""
    return (value or "").strip().strip("{}").lower()


def is_guid(value: str | None) -> bool:
    return bool(value) and GUID_RE.match(value.strip()) is not None
