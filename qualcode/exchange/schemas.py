"""The REFI-QDA schemas (Project.xsd, Codebook.xsd; MIT, REFI) shipped with qualcode, and XML
validation against them with ``xmlschema``. Everything qualcode writes is validated before it
is saved; a failure is a bug in qualcode, never the user's fault."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).with_name("schemas")
SCHEMAS = {"project": "Project.xsd", "codebook": "Codebook.xsd"}


@lru_cache(maxsize=None)
def schema(which: str):
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA_DIR / SCHEMAS[which]))


def schema_errors(xml: bytes, which: str) -> list[str]:
    """Validation errors of ``xml`` against the ``project`` or ``codebook`` schema (empty when valid)."""
    import xmlschema

    try:
        errors = list(schema(which).iter_errors(xml.decode("utf-8")))
    except xmlschema.XMLSchemaException as exc:  # not parseable at all
        return [str(exc)]
    return [f"{e.path}: {e.reason}" for e in errors]


def check_valid(xml: bytes, which: str) -> None:
    """Raise ``RuntimeError`` (reported as a qualcode bug) when qualcode wrote invalid XML."""
    errors = schema_errors(xml, which)
    if errors:
        raise RuntimeError(f"qualcode produced XML that does not validate against {SCHEMAS[which]}: "
                           + "; ".join(errors[:5]))
