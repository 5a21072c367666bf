-- qualcode store schema, migration 5 (generated once from qualcode/store/schema.py when it shipped; never edit).
-- One text for SQLite and PostgreSQL: {serial} is INTEGER (a rowid alias) on SQLite, SERIAL on PostgreSQL.
CREATE TABLE transcript_speakers (
	transcript_id INTEGER NOT NULL, 
	speaker VARCHAR(400) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	source VARCHAR(20) NOT NULL, 
	turns INTEGER NOT NULL, 
	words INTEGER NOT NULL, 
	PRIMARY KEY (transcript_id, speaker), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE
);

CREATE TABLE transcript_warnings (
	id {serial} NOT NULL, 
	transcript_id INTEGER NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	line INTEGER, 
	speaker VARCHAR(400) NOT NULL, 
	message TEXT NOT NULL, 
	created_at VARCHAR(40) NOT NULL, 
	resolved_at VARCHAR(40), 
	resolution TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE
);
