-- qualcode store schema, migration 4 (generated once from qualcode/store/schema.py when it shipped; never edit).
-- One text for SQLite and PostgreSQL: {serial} is INTEGER (a rowid alias) on SQLite, SERIAL on PostgreSQL.
CREATE TABLE coded_transcripts (
	transcript_id INTEGER NOT NULL, 
	marked_by VARCHAR(200) NOT NULL, 
	text_sha VARCHAR(64) NOT NULL, 
	marked_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (transcript_id), 
	FOREIGN KEY(transcript_id) REFERENCES transcripts (id) ON DELETE CASCADE
);
