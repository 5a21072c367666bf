"""Codebook: YAML schema, loading with located errors, and readable exports."""
from .load import load_codebook, parse_codebook
from .model import Code, Codebook, Rule

__all__ = ["Code", "Codebook", "Rule", "load_codebook", "parse_codebook"]
