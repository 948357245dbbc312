-- The claims of spec §2.3 are built by one SQL expression that the
-- prepared statements carry (SQL_USER_CLAIMS in src/store/statements.c),
-- so that PostgreSQL plans it once with them; the function that held the
-- same expression is no longer called.
DROP FUNCTION pocketid_user_claims(uuid, boolean, boolean, boolean, text);
