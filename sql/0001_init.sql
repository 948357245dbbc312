-- 0001_init: the extensions later migrations rely on, and the kv table.
--
-- citext (case-insensitive text, for user names as Pocket ID keeps them)
-- ships with PostgreSQL's contrib modules (Debian: part of the
-- postgresql-NN server package). Since PostgreSQL 13 it is a "trusted"
-- extension: a role that is not superuser may create it if it has the
-- CREATE privilege on the database, which the database's owner has. A role
-- without that privilege fails here with "permission denied to create
-- extension"; then have a superuser run, once, in the pocket-id database:
--     CREATE EXTENSION IF NOT EXISTS citext;
-- and run pocket-id again (this statement then finds it and does nothing).
CREATE EXTENSION IF NOT EXISTS citext;

-- Small named values (spec 5.2 kv): instance id and the like.
CREATE TABLE kv (
	key text PRIMARY KEY,
	value text NOT NULL
);
