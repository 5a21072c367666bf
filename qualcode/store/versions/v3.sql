-- qualcode store schema, migration 3 (generated once from qualcode/store/schema.py when it shipped; never edit).
-- One text for SQLite and PostgreSQL: {serial} is INTEGER (a rowid alias) on SQLite, SERIAL on PostgreSQL.
CREATE TABLE code_sets (
	id {serial} NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);

CREATE TABLE code_set_members (
	set_id INTEGER NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	member VARCHAR(200) NOT NULL, 
	CONSTRAINT uq_code_set_member UNIQUE (set_id, kind, member), 
	FOREIGN KEY(set_id) REFERENCES code_sets (id) ON DELETE CASCADE
);
