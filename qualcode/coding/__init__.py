"""Codings: locating quotes, manual coding operations, and the codings CSV exchange format."""
