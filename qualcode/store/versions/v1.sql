-- qualcode store schema, migration 1, as shipped in 0.1.0 (generated once from qualcode/store/schema.py; never edit).
-- One text for SQLite and PostgreSQL: {serial} is INTEGER (a rowid alias) on SQLite, SERIAL on PostgreSQL.
CREATE TABLE codebook_versions (
	id {serial} NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	name VARCHAR(400) NOT NULL, 
	path TEXT NOT NULL, 
	content TEXT NOT NULL, 
	loaded_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (sha256)
);

CREATE TABLE coders (
	name VARCHAR(200) NOT NULL, 
	created_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (name)
);

CREATE TABLE participants (
	id {serial} NOT NULL, 
	pid VARCHAR(200) NOT NULL, 
	grp VARCHAR(200) NOT NULL, 
	role VARCHAR(200) NOT NULL, 
	attribution VARCHAR(400) NOT NULL, 
	attributes TEXT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_participant_group_pid UNIQUE (grp, pid)
);

CREATE TABLE settings (
	"key" VARCHAR(200) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE transcripts (
	id {serial} NOT NULL, 
	name VARCHAR(400) NOT NULL, 
	participant_id INTEGER, 
	grp VARCHAR(200) NOT NULL, 
	source_path TEXT NOT NULL, 
	source_format VARCHAR(20) NOT NULL, 
	text TEXT NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	words INTEGER NOT NULL, 
	imported_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name), 
	FOREIGN KEY(participant_id) REFERENCES participants (id)
);

CREATE TABLE autocode_state (
	transcript_id INTEGER NOT NULL, 
	coder VARCHAR(200) NOT NULL, 
	unit VARCHAR(20) NOT NULL, 
	codebook_sha VARCHAR(64) NOT NULL, 
	text_sha VARCHAR(64) NOT NULL, 
	run_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (transcript_id, coder, unit), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE
);

CREATE TABLE codings (
	id {serial} NOT NULL, 
	transcript_id INTEGER NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	snippet TEXT NOT NULL, 
	code_id VARCHAR(200) NOT NULL, 
	coder VARCHAR(200) NOT NULL, 
	origin VARCHAR(20) NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	exemplar BOOLEAN NOT NULL, 
	memo TEXT NOT NULL, 
	rule_id VARCHAR(400) NOT NULL, 
	evidence TEXT NOT NULL, 
	codebook_version_id INTEGER, 
	decided_by VARCHAR(200) NOT NULL, 
	created_at VARCHAR(40) NOT NULL, 
	updated_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_coding UNIQUE (transcript_id, start, "end", code_id, coder), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE, 
	FOREIGN KEY(coder) REFERENCES coders (name), 
	FOREIGN KEY(codebook_version_id) REFERENCES codebook_versions (id)
);

CREATE INDEX ix_codings_code ON codings (code_id);

CREATE INDEX ix_codings_coder ON codings (coder);

CREATE TABLE decisions (
	id {serial} NOT NULL, 
	transcript_id INTEGER NOT NULL, 
	unit_idx INTEGER NOT NULL, 
	code_id VARCHAR(200) NOT NULL, 
	coders VARCHAR(400) NOT NULL, 
	decision VARCHAR(20) NOT NULL, 
	decided_by VARCHAR(200) NOT NULL, 
	note TEXT NOT NULL, 
	created_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_decision UNIQUE (transcript_id, unit_idx, code_id, coders), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE
);

CREATE TABLE samples (
	transcript_id INTEGER NOT NULL, 
	seed INTEGER, 
	fraction FLOAT, 
	created_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (transcript_id), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE
);

CREATE TABLE turns (
	id {serial} NOT NULL, 
	transcript_id INTEGER NOT NULL, 
	idx INTEGER NOT NULL, 
	speaker VARCHAR(400) NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	is_participant BOOLEAN NOT NULL, 
	time_start VARCHAR(40), 
	time_end VARCHAR(40), 
	PRIMARY KEY (id), 
	CONSTRAINT uq_turn_idx UNIQUE (transcript_id, idx), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE
);

CREATE TABLE memos (
	id {serial} NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	author VARCHAR(200) NOT NULL, 
	text TEXT NOT NULL, 
	transcript_id INTEGER, 
	coding_id INTEGER, 
	participant_id INTEGER, 
	code_id VARCHAR(200), 
	created_at VARCHAR(40) NOT NULL, 
	updated_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE, 
	FOREIGN KEY(coding_id) REFERENCES codings (id) ON DELETE CASCADE, 
	FOREIGN KEY(participant_id) REFERENCES participants (id)
);
