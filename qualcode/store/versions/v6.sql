-- qualcode store schema, migration 6 (generated once from qualcode/store/schema.py when it shipped; never edit).
-- One text for SQLite and PostgreSQL: {serial} is INTEGER (a rowid alias) on SQLite, SERIAL on PostgreSQL.
CREATE TABLE embeddings (
	text_sha VARCHAR(64) NOT NULL, 
	model VARCHAR(100) NOT NULL, 
	vector TEXT NOT NULL, 
	PRIMARY KEY (text_sha, model)
);
