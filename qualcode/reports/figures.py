"""Heatmaps for slides, papers and print (PNG, SVG or PDF, chosen by the path's suffix).

Uses matplotlib's object API with the Agg canvas: no pyplot, no display, no global backend
switch, so it is safe from a notebook or a server. Labels are wrapped, never cut: codes go down
the side (read horizontally); the co-occurrence matrix numbers its columns after the codes down
the side. Colour scales get darker as values grow (monotonic lightness), so they read in grey
print, and every cell carries its value as text.
"""
from __future__ import annotations

import textwrap
from os import PathLike
from pathlib import Path

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
MAX_WIDTH_IN, MAX_HEIGHT_IN = 11.0, 7.5
ANNOTATE_MAX_CELLS = 900
LABEL_WIDTH = 34  # characters per line of a wrapped label
COUNTS_CMAP = "Blues"  # both scales: lighter = less, darker = more, in colour and in grey
COOCCURRENCE_CMAP = "Greys"
TINY_C = 0.05  # below this the coefficient reads as 0.0x: the cell shows the count instead


def wrap_label(label, width: int = LABEL_WIDTH) -> str:
    """A label wrapped onto lines of ``width`` characters, every word kept."""
    return "\n".join(textwrap.wrap(str(label), width, break_long_words=False)) or str(label)


def _format_for(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot tell the image format of {path.name!r}: use one of {', '.join(FORMATS)}")
    return fmt


def _figure(n_rows: int, n_cols: int, y_labels: list[str], x_labels: list[str]):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lines = sum(label.count("\n") + 1 for label in y_labels)
    longest_x = max((len(x) for x in x_labels), default=1)
    width = min(MAX_WIDTH_IN, max(7.0, 3.8 + 0.55 * n_cols))
    height = min(MAX_HEIGHT_IN, max(4.0, 1.6 + 0.17 * max(lines, 2 * n_rows) + 0.07 * longest_x))
    fig = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def _heatmap(values, path, *, y_labels: list[str], x_labels: list[str], texts, title: str, cmap: str,
             colorbar_label: str, xlabel: str = "", ylabel: str = "", rotate: bool = True,
             integer_scale: bool = False) -> None:
    """``values`` (2-D float array, NaN = blank) drawn with ``texts[i][j]`` written in each cell."""
    import numpy as np

    path = Path(path)
    fmt = _format_for(path)
    n_rows, n_cols = values.shape
    fig = _figure(n_rows, n_cols, y_labels, x_labels)
    ax = fig.add_subplot()
    vmax = np.nanmax(values) if np.isfinite(values).any() else 1.0
    image = ax.imshow(values, cmap=cmap, aspect="auto", vmin=0, vmax=max(vmax, 1e-9), interpolation="nearest")
    font = 8 if max(n_rows, n_cols) <= 30 else 6
    ax.set_xticks(range(n_cols), x_labels, rotation=45 if rotate else 0, ha="right" if rotate else "center",
                  rotation_mode="anchor", fontsize=font)
    ax.set_yticks(range(n_rows), y_labels, fontsize=font)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(wrap_label(title, 80), fontsize=10)
    ax.set_xticks([x - 0.5 for x in range(1, n_cols)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, n_rows)], minor=True)
    ax.grid(which="minor", color="#c8c8c8", linewidth=0.5)  # cell borders, visible on white cells
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(colorbar_label)
    if integer_scale:
        from matplotlib.ticker import MaxNLocator

        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    if n_rows * n_cols <= ANNOTATE_MAX_CELLS:
        for i in range(n_rows):
            for j in range(n_cols):
                if texts[i][j]:
                    v = values[i, j]
                    r, g, b, _ = image.cmap(image.norm(v if np.isfinite(v) else 0))
                    dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5  # text contrasting the cell
                    ax.text(j, i, texts[i][j], ha="center", va="center", fontsize=max(font - 1, 5),
                            color="white" if dark else "black")
    fig.tight_layout()
    fig.savefig(path, format=fmt)


def heatmap_codes_by_participants(counts, path: str | PathLike, *,
                                  title: str = "Coded segments per participant and code",
                                  code_labels: dict[str, str] | None = None) -> None:
    """``counts``: participants (rows) x codes (columns), as ``frequencies.codes_by_participants``
    returns. Drawn with codes down the side (labels wrapped) and participants across; each cell
    shows its count (blank for none)."""
    data = (counts.rename(columns=code_labels) if code_labels else counts).T
    values = data.to_numpy(dtype=float)
    texts = [["" if v == 0 else f"{v:.0f}" for v in row] for row in values]
    _heatmap(values, path, y_labels=[wrap_label(r) for r in data.index], x_labels=[str(c) for c in data.columns],
             texts=texts, title=title, cmap=COUNTS_CMAP, colorbar_label="coded segments",
             xlabel="Participant", ylabel="Code", integer_scale=True)


def heatmap_cooccurrence(c, path: str | PathLike, *, counts=None,
                         title: str = "Code co-occurrence: c-coefficient (n = segments coded with both)",
                         code_labels: dict[str, str] | None = None) -> None:
    """``c`` (and ``counts``): the code x code matrices from ``cooccurrence``. Codes are numbered
    down the side ("3  Confidentiality") and across ("3"), so no label is cut. The diagonal is
    blank. A cell shows its coefficient, or "n=2" when the coefficient is below ``TINY_C`` (a
    pair that co-occurs, but rarely, would otherwise read 0.00)."""
    import numpy as np

    values = c.to_numpy(dtype=float, copy=True)
    n = counts.to_numpy(dtype=float) if counts is not None else np.zeros_like(values)
    if values.size:
        np.fill_diagonal(values, np.nan)
    labels = [code_labels.get(k, str(k)) if code_labels else str(k) for k in c.index]
    texts = [[_pair_text(values[i, j], n[i, j]) if i != j else "" for j in range(len(labels))]
             for i in range(len(labels))]
    _heatmap(values, path, y_labels=[wrap_label(f"{i + 1}  {label}") for i, label in enumerate(labels)],
             x_labels=[str(i + 1) for i in range(len(labels))], texts=texts, title=title, cmap=COOCCURRENCE_CMAP,
             colorbar_label="c-coefficient", xlabel="Code (numbered as down the side)", rotate=False)


def _pair_text(c: float, n12: float) -> str:
    if not n12 and not c:
        return ""
    if c < TINY_C:
        return f"n={n12:.0f}"
    return f"{c:.2f}\nn={n12:.0f}" if n12 else f"{c:.2f}"
