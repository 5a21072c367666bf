"""qualcode speakers / speakers set-role: who speaks in each transcript, and whose turns are coded."""
from __future__ import annotations

import click

from ..model import ROLES
from ..store.speakers import list_speakers, set_role
from ..store.transcripts import get_transcript
from .common import State, emit, format_option, info, pass_state, warn


@click.group("speakers", invoke_without_command=True)
@click.option("--transcript", "ref", default=None, help="Only this transcript (id or name).")
@format_option
@click.pass_context
def speakers_group(ctx: click.Context, ref: str | None, fmt: str) -> None:
    """List each transcript's speakers with their role, what decided it, turns and words.

    Roles: participant (coded), interviewer and other (never coded). "decided by" is the
    roster, the project's [speakers] lists in qualcode.toml, the built-in labels, your
    `set-role`, or "unknown" (taken as the participant's, with a warning).

    \b
    Example:
      qualcode speakers
      qualcode speakers --transcript interview3 --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.find_object(State)
    with state.project().engine.connect() as conn:
        tid = get_transcript(conn, ref).id if ref else None
        rows = list_speakers(conn, tid)
    data = [dict(transcript=r.transcript, speaker=r.speaker, role=r.role, decided_by=r.source, turns=r.turns,
                 words=r.words) for r in rows]
    emit(fmt, ["transcript", "speaker", "role", "decided_by", "turns", "words"], data, title="Speakers")


@speakers_group.command("set-role")
@click.argument("speaker")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--transcript", "refs", multiple=True, help="Only in this transcript (id or name); repeatable. "
              "Default: every transcript where the speaker speaks.")
@pass_state
def set_role_cmd(state: State, speaker: str, role: str, refs: tuple[str, ...]) -> None:
    """Give a speaker a role: their turns are coded only as a participant's.

    The role is kept when the transcript is re-imported with --replace. Run autocode again
    afterwards: the transcripts changed are looked at again.

    \b
    Example:
      qualcode speakers set-role SPEAKER_00 interviewer --transcript interview3
      qualcode speakers set-role "Speaker 2" participant
    """
    with state.project().engine.begin() as conn:
        ids = [get_transcript(conn, ref).id for ref in refs] or None
        change = set_role(conn, speaker, role, ids)
    info(f"{speaker!r} is now {role} in {len(change.transcripts)} transcript(s) ({change.turns} turns); "
         f"{change.resolved} warning(s) resolved")
    if change.codings_on_turns:
        warn(f"{change.codings_on_turns} coding(s) lie in {speaker!r}'s turns, which are no longer coded: "
             "review them (qualcode review) or remove them")


COMMANDS = [speakers_group]
