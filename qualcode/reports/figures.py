"""Heatmaps for slides and papers (PNG, SVG or PDF, chosen by the path's suffix).

Uses matplotlib's object API with the Agg canvas: no pyplot, no display, no global backend
switch, so it is safe from a notebook or a server.
"""
from __future__ import annotations

import textwrap
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

MAX_WIDTH_IN, MAX_HEIGHT_IN = 13.33, 7.5  # a 16:9 slide
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
ANNOTATE_MAX_CELLS = 400
LABEL_WIDTH = 28  # characters per line of a wrapped label


def _wrap(label, width: int = LABEL_WIDTH) -> str:
    """A label wrapped onto lines of ``width`` characters (for the y axis, read horizontally)."""
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def _shorten(label, width: int = 32) -> str:
    """A one-line label (for the x axis: wrapped lines of rotated labels run into each other)."""
    text = " ".join(str(label).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _format_for(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot tell the image format of {path.name!r}: use one of {', '.join(FORMATS)}")
    return fmt


def _heatmap(data: pd.DataFrame, path, *, title: str, cmap: str, colorbar_label: str,
             value_format: str, vmin: float | None = None, vmax: float | None = None,
             xlabel: str = "", ylabel: str = "") -> None:
    path = Path(path)
    fmt = _format_for(path)
    values = data.to_numpy(dtype=float) if data.size else np.zeros((1, 1))
    n_rows, n_cols = values.shape
    x_labels = [_shorten(c) for c in data.columns] if data.size else [""]
    y_labels = [_wrap(r) for r in data.index] if data.size else [""]
    rotate = n_cols > 6 or max(len(label) for label in x_labels) > 10
    longest_x = max(len(label) for label in x_labels)
    width = min(MAX_WIDTH_IN, max(7.0, 3.5 + 0.5 * n_cols))
    height = min(MAX_HEIGHT_IN, max(4.5, 1.5 + 0.4 * n_rows + (0.06 * longest_x if rotate else 0)))
    fig = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    image = ax.imshow(values, cmap=cmap, aspect="auto", vmin=vmin, vmax=vmax,
                      interpolation="nearest")
    font = 9 if max(n_rows, n_cols) <= 30 else 7 if max(n_rows, n_cols) <= 60 else 5
    ax.set_xticks(range(n_cols), x_labels, rotation=45 if rotate else 0,
                  ha="right" if rotate else "center", rotation_mode="anchor", fontsize=font)
    ax.set_yticks(range(n_rows), y_labels, fontsize=font)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(colorbar_label)
    if data.size and n_rows * n_cols <= ANNOTATE_MAX_CELLS:
        for i in range(n_rows):
            for j in range(n_cols):
                v = values[i, j]
                if np.isfinite(v):
                    r, g, b, _ = image.cmap(image.norm(v))
                    dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5  # text contrasting the cell
                    ax.text(j, i, format(v, value_format), ha="center", va="center",
                            fontsize=max(font - 1, 5), color="white" if dark else "black")
    fig.tight_layout()
    fig.savefig(path, format=fmt)


def heatmap_codes_by_participants(counts: pd.DataFrame, path: str | PathLike, *,
                                  title: str = "Coded segments per participant and code",
                                  code_labels: dict[str, str] | None = None) -> None:
    """``counts``: participants (rows) x codes (columns), as ``frequencies.codes_by_participants``
    returns. Drawn with codes down the side (long labels wrap and read horizontally) and
    participants across; counts are printed in the cells when there are few enough to read."""
    data = counts.rename(columns=code_labels) if code_labels else counts
    _heatmap(data.T, path, title=title, cmap="Blues", colorbar_label="coded segments",
             value_format=".0f", vmin=0, xlabel="Participant", ylabel="Code")


def heatmap_cooccurrence(c: pd.DataFrame, path: str | PathLike, *,
                         title: str = "Code co-occurrence (c-coefficient)",
                         code_labels: dict[str, str] | None = None) -> None:
    """``c``: the code x code c-coefficient matrix from ``cooccurrence``; the diagonal (always 1
    for a used code) is left blank so the colour scale (0 to the largest pair) shows the pairs."""
    data = c.rename(index=code_labels, columns=code_labels) if code_labels else c.copy()
    data = data.astype(float)
    if data.shape[0] == data.shape[1] and data.size:
        values = data.to_numpy(copy=True)
        np.fill_diagonal(values, np.nan)
        data = pd.DataFrame(values, index=data.index, columns=data.columns)
    _heatmap(data, path, title=title, cmap="viridis", colorbar_label="c-coefficient",
             value_format=".2f", vmin=0)
