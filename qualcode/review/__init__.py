"""Reviewing codings: the terminal app (``qualcode review``) and the Word/Excel review packs for
co-facilitators (``qualcode review-pack export|import``)."""
