"""Import spaCy without its command-line interface.

spaCy 3's ``spacy/__init__.py`` runs ``from .cli.info import info``, which imports spaCy's whole
terminal interface (typer, requests, weasel, jinja2, and a YAML file parsed with a pure-Python loader)
only to offer ``spacy.info()``. That is about a third of spaCy's import time, 0.3-0.5 s in every
command that tags. ``import_spacy()`` imports spaCy with a stand-in for ``spacy.cli.info`` that is
removed as soon as spaCy is loaded, so nothing else changes: ``import spacy.cli`` later imports the
real interface, and ``spacy.info(...)`` imports it when first called. Should a spaCy version need
more of its CLI at import, spaCy is imported again the usual way.

Every qualcode module that uses spaCy imports this module first (``from . import spacy_import``);
nothing is cached or written anywhere.
"""
from __future__ import annotations

import sys
import types

CLI, CLI_INFO = "spacy.cli", "spacy.cli.info"


def _info(*args, **kwargs):
    """``spacy.info``: the real one, imported on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """spaCy, imported without its CLI unless something imported spaCy already."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    cli = types.ModuleType(CLI)
    cli.__path__ = []  # a package: spacy.cli.info is found under it
    info = types.ModuleType(CLI_INFO)
    info.info = _info
    sys.modules.update({CLI: cli, CLI_INFO: info})
    try:
        import spacy
    except ImportError:
        spacy = None
    finally:
        for name, stand_in in ((CLI, cli), (CLI_INFO, info)):
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
    if spacy is None:  # this spaCy wants more of its CLI: forget the partial import, do the usual one
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    elif getattr(spacy, "cli", None) is cli:
        del spacy.cli
    return spacy


import_spacy()
