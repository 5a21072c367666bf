"""The project store's tables (SQLAlchemy Core; portable between SQLite and PostgreSQL).

Offsets (``start``, ``end``) are code points into ``transcripts.text``, end exclusive.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)

participants = sa.Table(
    "participants", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("pid", sa.String(200), nullable=False),
    sa.Column("grp", sa.String(200), nullable=False),
    sa.Column("role", sa.String(200), nullable=False, default=""),
    sa.Column("attribution", sa.String(400), nullable=False, default=""),
    sa.Column("attributes", sa.Text, nullable=False, default="{}"),  # JSON object
    sa.UniqueConstraint("grp", "pid", name="uq_participant_group_pid"),
)

transcripts = sa.Table(
    "transcripts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(400), nullable=False, unique=True),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=True),
    sa.Column("grp", sa.String(200), nullable=False, default=""),
    sa.Column("source_path", sa.Text, nullable=False, default=""),
    sa.Column("source_format", sa.String(20), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("words", sa.Integer, nullable=False, default=0),
    sa.Column("imported_at", sa.String(40), nullable=False),
)

turns = sa.Table(
    "turns", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("speaker", sa.String(400), nullable=False, default=""),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("is_participant", sa.Boolean, nullable=False, default=True),
    sa.Column("time_start", sa.String(40), nullable=True),
    sa.Column("time_end", sa.String(40), nullable=True),
    sa.UniqueConstraint("transcript_id", "idx", name="uq_turn_idx"),
)

codebook_versions = sa.Table(
    "codebook_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(400), nullable=False),
    sa.Column("path", sa.Text, nullable=False, default=""),
    sa.Column("content", sa.Text, nullable=False),  # the YAML as loaded
    sa.Column("loaded_at", sa.String(40), nullable=False),
)

coders = sa.Table(
    "coders", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("created_at", sa.String(40), nullable=False),
)

codings = sa.Table(
    "codings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("snippet", sa.Text, nullable=False),
    sa.Column("code_id", sa.String(200), nullable=False),
    sa.Column("coder", sa.String(200), sa.ForeignKey("coders.name"), nullable=False),
    sa.Column("origin", sa.String(20), nullable=False),  # rule | manual | import | consensus
    sa.Column("status", sa.String(20), nullable=False),  # suggested | accepted | rejected
    sa.Column("exemplar", sa.Boolean, nullable=False, default=False),
    sa.Column("memo", sa.Text, nullable=False, default=""),
    sa.Column("rule_id", sa.String(400), nullable=False, default=""),
    sa.Column("evidence", sa.Text, nullable=False, default=""),
    sa.Column("codebook_version_id", sa.Integer, sa.ForeignKey("codebook_versions.id"), nullable=True),
    sa.Column("decided_by", sa.String(200), nullable=False, default=""),  # who accepted/rejected a suggestion
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("transcript_id", "start", "end", "code_id", "coder", name="uq_coding"),
)
sa.Index("ix_codings_code", codings.c.code_id)
sa.Index("ix_codings_coder", codings.c.coder)

memos = sa.Table(
    "memos", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),  # note | summary | comment
    sa.Column("author", sa.String(200), nullable=False, default=""),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), nullable=True),
    sa.Column("coding_id", sa.Integer, sa.ForeignKey("codings.id", ondelete="CASCADE"), nullable=True),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=True),
    sa.Column("code_id", sa.String(200), nullable=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

samples = sa.Table(  # transcripts picked for double-coding
    "samples", metadata,
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seed", sa.Integer, nullable=True),
    sa.Column("fraction", sa.Float, nullable=True),
    sa.Column("created_at", sa.String(40), nullable=False),
)

autocode_state = sa.Table(  # what the last autocode run saw, so an unchanged transcript is skipped
    "autocode_state", metadata,
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("coder", sa.String(200), primary_key=True),
    sa.Column("unit", sa.String(20), primary_key=True),
    sa.Column("codebook_sha", sa.String(64), nullable=False),
    sa.Column("text_sha", sa.String(64), nullable=False),
    sa.Column("run_at", sa.String(40), nullable=False),
)

settings = sa.Table(  # small key/value facts about the project (e.g. blind mode)
    "settings", metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

decisions = sa.Table(  # consensus decisions on disagreements
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("unit_idx", sa.Integer, nullable=False),
    sa.Column("code_id", sa.String(200), nullable=False),
    sa.Column("coders", sa.String(400), nullable=False),  # "A,B" the pair the decision is for
    sa.Column("decision", sa.String(20), nullable=False),  # include | exclude
    sa.Column("decided_by", sa.String(200), nullable=False, default=""),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("transcript_id", "unit_idx", "code_id", "coders", name="uq_decision"),
)

review_decisions = sa.Table(  # co-facilitators' decisions from review packs, one per reviewer and coding
    "review_decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("coding_id", sa.Integer, sa.ForeignKey("codings.id", ondelete="CASCADE"), nullable=False),
    sa.Column("reviewer", sa.String(200), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False, default=""),  # keep | drop | best | "" (comment only)
    sa.Column("move_to", sa.String(200), nullable=False, default=""),  # code id, or ""
    sa.Column("state", sa.String(20), nullable=False),  # applied | conflict | overruled
    sa.Column("pack", sa.Text, nullable=False, default=""),  # the file it came from
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("coding_id", "reviewer", name="uq_review_decision"),
)

code_sets = sa.Table(  # code groups (REFI-QDA <Sets>): named groups of codes and transcripts
    "code_sets", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("description", sa.Text, nullable=False, default=""),
)

code_set_members = sa.Table(
    "code_set_members", metadata,
    sa.Column("set_id", sa.Integer, sa.ForeignKey("code_sets.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # code | transcript
    sa.Column("member", sa.String(200), nullable=False),  # a code id or a transcript name
    sa.UniqueConstraint("set_id", "kind", "member", name="uq_code_set_member"),
)

coded_transcripts = sa.Table(  # transcripts the team marked fully coded: their uncoded turns teach the model "no code"
    "coded_transcripts", metadata,
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("marked_by", sa.String(200), nullable=False, default=""),
    sa.Column("text_sha", sa.String(64), nullable=False),  # the text that was fully coded
    sa.Column("marked_at", sa.String(40), nullable=False),
)

transcript_speakers = sa.Table(  # each transcript's speakers and the role their turns got (migration 5)
    "transcript_speakers", metadata,
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("speaker", sa.String(400), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),  # participant | interviewer | other
    sa.Column("source", sa.String(20), nullable=False),  # built-in | config | roster | pattern | user | unknown
    sa.Column("turns", sa.Integer, nullable=False, default=0),
    sa.Column("words", sa.Integer, nullable=False, default=0),
)

transcript_warnings = sa.Table(  # what the import found doubtful, shown until resolved (migration 5)
    "transcript_warnings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("transcript_id", sa.Integer, sa.ForeignKey("transcripts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("line", sa.Integer, nullable=True),
    sa.Column("speaker", sa.String(400), nullable=False, default=""),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("resolved_at", sa.String(40), nullable=True),
    sa.Column("resolution", sa.Text, nullable=False, default=""),
)

embeddings = sa.Table(  # sentence embeddings of turn texts for the semantic model backend (migration 6)
    "embeddings", metadata,
    sa.Column("text_sha", sa.String(64), primary_key=True),  # sha256 of the text
    sa.Column("model", sa.String(100), primary_key=True),  # the embedding model, e.g. all-MiniLM-L6-v2
    sa.Column("vector", sa.Text, nullable=False),  # base64 of little-endian float32
)
