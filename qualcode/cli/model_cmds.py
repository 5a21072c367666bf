"""qualcode model train / status / evaluate: suggestions learned from the team's own coding."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .common import State, emit, info, pass_state, warn

STATUS_COLUMNS = ["code", "label", "positives", "negatives", "precision", "recall", "f1", "threshold", "note"]


@click.group("model")
def model_group() -> None:
    """The project's learned model: train, status, evaluate (suggestions learned from the team's own coding).

    It learns from accepted codings, rejected suggestions, uncoded turns of transcripts marked fully
    coded and the codebook's examples; offline, and each suggestion says which words weighed most.
    """


@model_group.command("train")
@click.option("--examples", "extra", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Extra coded statements: a CSV with columns text,codes[,group] (codes ';'-separated).")
@click.option("--force", is_flag=True, help="Train again even when nothing changed.")
@click.option("--backend", type=click.Choice(["light", "semantic", "auto"]), default=None,
              help="light: word features; semantic: + sentence embeddings (needs the extra qualcode[learn]); "
                   "auto: semantic when installed. Default: [model] backend in qualcode.toml, else light.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_state
def train_cmd(state: State, extra: Path | None, force: bool, backend: str | None, fmt: str) -> None:
    """Train the model from the project's coding decisions and store it in .qualcode/model/.

    Running it again with nothing new changes nothing. Prints per code how many examples it learned
    from and its cross-validated precision, recall and F1.

    \b
    Example:
      qualcode transcripts mark-coded yp-D3 yp-V1
      qualcode model train
      qualcode model train --examples benchmarks/eval_set/dev_statements.csv
      qualcode model train --backend semantic
    """
    from ..coding.learn import choose_backend, configured_backend, model_status, train_project
    from ..engine.learned import Settings

    project = state.project()
    book = project.codebook()
    chosen = choose_backend(backend or configured_backend(project))
    result = train_project(project, book, extra=extra, force=force, settings=Settings.for_backend(chosen))
    _show_status(model_status(project, book), fmt)
    if result.unchanged:
        info(f"nothing changed since the last training ({result.examples} examples): model kept")
    else:
        info(f"trained on {result.examples} examples ({chosen} backend): {len(result.model.codes)} code(s) "
             "with a classifier")


@model_group.command("status")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_state
def status_cmd(state: State, fmt: str) -> None:
    """Per code: examples learned from, cross-validated P/R/F1, and warnings (too few examples, stale model).

    \b
    Example:
      qualcode model status
      qualcode model status --format json
    """
    from ..coding.learn import model_status

    project = state.project()
    _show_status(model_status(project, project.codebook()), fmt)


@model_group.command("evaluate")
@click.option("--against", "coder", default=None, help="Human coder to compare with (default: the project's coder).")
@click.option("--examples", "extra", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Extra coded statements used in training (as for `model train`).")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Cross-validation folds, by transcript.")
@click.option("--backend", type=click.Choice(["light", "semantic", "auto"]), default=None,
              help="Model backend (as for `model train`). Default: [model] backend in qualcode.toml, else light.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_state
def evaluate_cmd(state: State, coder: str | None, extra: Path | None, folds: int, backend: str | None,
                 fmt: str) -> None:
    """Rules alone, the learned model alone and both combined, side by side, against a coder.

    Turn-level precision, recall and F1 over the transcripts the coder coded. The model is
    cross-validated by transcript: each transcript is predicted by a model trained without it.

    \b
    Example:
      qualcode model evaluate --against analyst
      qualcode model evaluate --against analyst --folds 3 --format json
    """
    from ..coding.evaluate_model import evaluate_layers, layer_rows
    from ..coding.learn import choose_backend, configured_backend

    project = state.project()
    who = coder or project.default_coder()
    chosen = choose_backend(backend or configured_backend(project))
    rows = layer_rows(evaluate_layers(project, project.codebook(), who, folds=folds, extra=extra, backend=chosen))
    emit(fmt, ["layer", "precision", "recall", "f1", "macro_f1", "domain_f1", "no_code_uncoded"], rows,
         title=f"Rules, model ({chosen} backend) and both vs {who} (model cross-validated by transcript, "
               f"{folds} folds)")


def _show_status(status: dict, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(status, indent=2, ensure_ascii=False))
    else:
        meta = status["meta"]
        emit("table", STATUS_COLUMNS, status["rows"],
             title=f"Learned model ({status['settings'].get('backend', 'light')} backend): {meta.get('examples')} "
                   f"examples, trained {meta.get('trained_at', '?')}")
        few = [r["code"] for r in status["rows"] if r["note"].startswith("too few")]
        if few:
            warn(f"{len(few)} code(s) have too few examples for the model to suggest them: {', '.join(few)}")
    for reason in status["stale"]:
        warn(f"model out of date: {reason}")


COMMANDS = [model_group]
