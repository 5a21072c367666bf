-- qualcode store schema, migration 2, as shipped in 0.1.0 (generated once from qualcode/store/schema.py; never edit).
-- One text for SQLite and PostgreSQL: {serial} is INTEGER (a rowid alias) on SQLite, SERIAL on PostgreSQL.
CREATE TABLE review_decisions (
	id {serial} NOT NULL, 
	coding_id INTEGER NOT NULL, 
	reviewer VARCHAR(200) NOT NULL, 
	decision VARCHAR(20) NOT NULL, 
	move_to VARCHAR(200) NOT NULL, 
	state VARCHAR(20) NOT NULL, 
	pack TEXT NOT NULL, 
	created_at VARCHAR(40) NOT NULL, 
	updated_at VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_review_decision UNIQUE (coding_id, reviewer), 
	FOREIGN KEY(coding_id) REFERENCES codings (id) ON DELETE CASCADE
);
