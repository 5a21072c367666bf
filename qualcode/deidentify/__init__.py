"""De-identification of a project's transcripts before sharing.

Names (the roster's ``name`` column and a names list the team keeps), places and organisations
the team lists, phone numbers and e-mail addresses are replaced by consistent pseudonyms
(``[NAME-3]``, ``[PLACE-1]``, ``[ORG-2]``, ``[PHONE-1]``, ``[EMAIL-1]``); ages, dates and unlisted
places are generalised (``[AGE 18-24]``, ``[DATE]``, ``[CITY]``). Codings and turns keep covering
the same words. The key (pseudonym -> original) goes to a separate,
owner-only file, never into the store or an export.
"""
from .run import DeidReport, deidentify_project

__all__ = ["DeidReport", "deidentify_project"]
