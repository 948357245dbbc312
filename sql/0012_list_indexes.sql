-- 0012_list_indexes: indexes for the searches of the admin lists
-- (src/store/statements.c, STMT_LIST_USERS and STMT_LIST_USER_GROUPS).
-- Those search with ILIKE '%term%' (src/store/list.c builds the pattern):
-- a leading wildcard rules out B-tree indexes, lower() ones included, so
-- each searched column gets a trigram GIN index, and the planner combines
-- them (BitmapOr) for the OR of the columns. Each expression is the one
-- the statement writes: the user name is citext and searched as text.
--
-- pg_trgm ships with PostgreSQL's contrib modules (Debian: part of the
-- postgresql-NN server package) and, like citext (0001_init), is a
-- "trusted" extension since PostgreSQL 13: the database's owner may
-- create it. A role without the CREATE privilege on the database fails
-- here; then have a superuser run, once, in the pocket-id database:
--     CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- and run pocket-id again.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX users_username_trgm ON users
	USING gin ((username::text) gin_trgm_ops);
CREATE INDEX users_email_trgm ON users USING gin (email gin_trgm_ops);
CREATE INDEX users_first_name_trgm ON users
	USING gin (first_name gin_trgm_ops);
CREATE INDEX users_last_name_trgm ON users
	USING gin (last_name gin_trgm_ops);

CREATE INDEX user_groups_name_trgm ON user_groups
	USING gin (name gin_trgm_ops);
CREATE INDEX user_groups_friendly_name_trgm ON user_groups
	USING gin (friendly_name gin_trgm_ops);
