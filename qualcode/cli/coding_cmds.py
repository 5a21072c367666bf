"""qualcode code add|remove|accept|reject|edit and qualcode segments."""
from __future__ import annotations

import click

from ..coding.manual import Selection, add_coding, edit_coding, get_codings, remove_codings, set_status
from ..coding.segments import SEGMENT_COLUMNS, list_segments, list_uncoded, sort_segments
from .common import State, emit, info, pass_state

STATUS = click.Choice(["suggested", "accepted", "rejected"])


def coder_option(f):
    return click.option("--coder", default=None, help="Who is coding (default: QUALCODE_CODER, then qualcode.toml's coder).")(f)


def _coder(state: State, coder: str | None) -> str:
    import os
    return coder or os.environ.get("QUALCODE_CODER") or state.project().default_coder()


def filter_options(f):
    for opt in reversed([
        click.option("--code", default=None, help="Only codings of this code id."),
        click.option("--by", "by_coder", default=None, help="Only codings by this coder (e.g. qualcode:rules)."),
        click.option("--status", default=None, type=STATUS, help="Only codings with this status."),
        click.option("--transcript", default=None, help="Only this transcript (id or name)."),
        click.option("--group", default=None, help="Only this participant group."),
        click.option("--participant", default=None, help="Only this participant id."),
    ]):
        f = opt(f)
    return f


def _selection(ids, code, by_coder, status, transcript, group, participant) -> Selection:
    return Selection(ids=list(ids) or None, code=code, coder=by_coder, status=status, transcript=transcript,
                     group=group, participant=participant)


@click.group("code")
def code_group() -> None:
    """Code text by hand; accept, reject, recode and remove codings."""


@code_group.command("add")
@click.argument("transcript")
@click.argument("code")
@click.option("--start", type=int, default=None, help="Start offset (code points).")
@click.option("--end", type=int, default=None, help="End offset (exclusive).")
@click.option("--unit", type=int, default=None, help="Turn number (see 'transcripts show --offsets').")
@click.option("--quote", default=None, help="Text to find and code (within --unit when given).")
@click.option("--exemplar", is_flag=True, help="Mark as an exemplar quote.")
@click.option("--memo", default="", help="A memo on this coding.")
@coder_option
@pass_state
def add_cmd(state: State, transcript: str, code: str, start, end, unit, quote, exemplar: bool, memo: str,
            coder: str | None) -> None:
    """Code a span of TRANSCRIPT with CODE: by offsets, by unit (turn) or by quote.

    \b
    Example:
      qualcode code add yp-D3 yp-religion --quote "I do not think it affects anything"
      qualcode code add yp-D3 yp-conducive-environment --unit 7 --exemplar
    """
    if (start is not None or end is not None) and (unit is not None or quote is not None):
        given = "--unit" if unit is not None else "--quote"
        raise click.UsageError(f"--start/--end and {given} conflict: say what to code one way "
                               "(offsets, or --unit and/or --quote)")
    row = add_coding(state.project(), transcript, code, _coder(state, coder), start=start, end=end, unit=unit,
                     quote=quote, exemplar=exemplar, memo=memo)
    from .coding_views import describe, labels

    info(f"added {row.id}  {describe(row, labels(state.project()))}  (offsets {row.start}-{row.end}, coder {row.coder})")
    click.echo(str(row.id))


def _status_command(name: str, new_status: str, summary: str):
    @click.argument("ids", nargs=-1, type=int)
    @filter_options
    @click.option("--exemplar/--no-exemplar", default=None, help="Also mark (or unmark) as exemplar.")
    @click.option("--memo", default=None, help="A memo on the codings.")
    @coder_option
    @pass_state
    def command(state: State, ids, code, by_coder, status, transcript, group, participant, exemplar, memo,
                coder) -> None:
        sel = _selection(ids, code, by_coder, status, transcript, group, participant)
        from .coding_views import show_changed

        rows = set_status(state.project(), sel, new_status, _coder(state, coder), exemplar=exemplar, memo=memo)
        before = {r.id: r.status for r in rows if r.status != new_status}
        show_changed(state.project(), rows, new_status + (" as exemplar" if exemplar else ""), before)
        info(f"{len(rows)} coding(s) {new_status}")
    command.__doc__ = summary
    return code_group.command(name)(command)


_status_command("accept", "accepted", """Accept suggestions: by coding id, or all matching the filters.

    \b
    Example:
      qualcode code accept 12 15 --exemplar
      qualcode code accept --code yp-gender --status suggested
    """)
_status_command("reject", "rejected", """Reject suggestions: by coding id, or all matching the filters.

    \b
    Example:
      qualcode code reject 14
      qualcode code reject --by qualcode:rules --transcript yp-D3 --status suggested
    """)


@code_group.command("edit")
@click.argument("coding_id", type=int)
@click.option("--code", "new_code", default=None, help="Recode to this code id.")
@click.option("--exemplar/--no-exemplar", default=None, help="Mark or unmark as exemplar.")
@click.option("--memo", default=None, help="Set the coding's memo.")
@coder_option
@pass_state
def edit_cmd(state: State, coding_id: int, new_code, exemplar, memo, coder) -> None:
    """Recode a coding, mark it as exemplar, or set its memo.

    \b
    Example:
      qualcode code edit 12 --code yp-communication-skills
      qualcode code edit 12 --exemplar --memo "best statement of the theme"
    """
    from .coding_views import show_changed

    project = state.project()
    [old] = get_codings(project, [coding_id])
    row = edit_coding(project, coding_id, _coder(state, coder), code_id=new_code, exemplar=exemplar, memo=memo)
    if row.code_id != old.code_id:
        show_changed(project, [row], "recoded", {row.id: old.code_id})
    else:
        show_changed(project, [row], "edited")
    info(f"coding {row.id}: {row.code_id}, {row.status}{', exemplar' if row.exemplar else ''}")


@code_group.command("remove")
@click.argument("ids", nargs=-1, type=int)
@filter_options
@pass_state
def remove_cmd(state: State, ids, code, by_coder, status, transcript, group, participant) -> None:
    """Remove codings: by id, or all matching the filters.

    \b
    Example:
      qualcode code remove 12
      qualcode code remove --by qualcode:rules --status rejected
    """
    from .coding_views import show_changed

    rows = remove_codings(state.project(), _selection(ids, code, by_coder, status, transcript, group, participant))
    show_changed(state.project(), rows, "removed")
    info(f"{len(rows)} coding(s) removed")


@click.command("segments")
@click.option("--code", default=None, help="Only this code id.")
@click.option("--coder", default=None, help="Only this coder's codings.")
@click.option("--status", default=None, type=STATUS)
@click.option("--group", default=None)
@click.option("--participant", default=None)
@click.option("--transcript", default=None)
@click.option("--search", default=None, help="Only segments whose text contains this.")
@click.option("--uncoded", is_flag=True, help="List participant turns with no suggested or accepted coding instead.")
@click.option("--as", "viewer", default=None, help="View as this coder (blind mode hides other coders' codings).")
@click.option("--sort", "sort", type=click.Choice(["position", "confidence", "uncertainty"]), default="position",
              show_default=True, help="confidence: the learned model's least likely first; uncertainty: the "
              "decisions that would teach the model most first (probability nearest 0.5).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@pass_state
def segments_cmd(state: State, code, coder, status, group, participant, transcript, search, uncoded, viewer, sort,
                 fmt) -> None:
    """List coded (or uncoded) segments with their text, and why each suggestion was made.

    'why' holds the words a rule matched, the learned model's confidence and the words that weighed
    most (LOW marks a rule suggestion the model finds unlikely), or for the model's own suggestions
    its words and the closest coded example.

    \b
    Example:
      qualcode segments --code yp-gender --status accepted
      qualcode segments --uncoded --group clinician --format csv
      qualcode segments --status suggested --sort uncertainty
    """
    project = state.project()
    if uncoded:
        rows = list_uncoded(project, group=group, participant=participant, search=search)
        emit(fmt, ["transcript", "participant", "group", "unit", "start", "end", "text"], rows, title="Uncoded turns")
        return
    rows = sort_segments(list_segments(project, code=code, coder=coder, status=status, group=group,
                                       participant=participant, search=search, transcript=transcript, viewer=viewer),
                         sort)
    columns = SEGMENT_COLUMNS if fmt != "table" else ["id", "transcript", "participant", "code", "coder", "status",
                                                       "exemplar", "text", "confidence", "evidence"]
    emit(fmt, columns, rows, title=f"{len(rows)} segment(s)")


COMMANDS = [code_group, segments_cmd]
