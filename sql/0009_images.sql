-- 0009_images: stored objects (spec 5.5): application images, client
-- logos and profile pictures, keyed by Pocket ID's object paths
-- ("application-images/logoLight.png", "profile-pictures/<uuid>.png",
-- "oidc-client-images/<stem>[-dark].<ext>", ...). Every byte of state is
-- in PostgreSQL, so any replica serves any image.
--
-- Deleting a user or a client removes its images in the same transaction
-- through the triggers below, whichever code path deletes the row.

CREATE TABLE storage (
	path text PRIMARY KEY CHECK (length(path) BETWEEN 1 AND 512),
	content bytea NOT NULL CHECK (octet_length(content) <= 4194304),
	content_type text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- The file-name stem of a client's logos: the client ID when it matches
-- the client-ID rule, else "cimd-" and the SHA-256 hex of the ID (CIMD
-- URLs do not fit in a path segment).
CREATE FUNCTION pocketid_client_image_stem(client_id text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT CASE WHEN client_id ~ '^[a-zA-Z0-9._-]+$' THEN client_id
	ELSE 'cimd-' || encode(sha256(convert_to(client_id, 'UTF8')), 'hex')
	END
$$;

-- The path of a client's light or dark logo; NULL when it has none.
CREATE FUNCTION pocketid_client_logo_path(client_id text, dark boolean,
    ext text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN coalesce(ext, '') = '' THEN NULL
	ELSE 'oidc-client-images/' || pocketid_client_image_stem(client_id) ||
	CASE WHEN dark THEN '-dark' ELSE '' END || '.' || ext END
$$;

CREATE FUNCTION pocketid_client_images_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM storage WHERE path IN (
	    pocketid_client_logo_path(OLD.id, false, OLD.image_type),
	    pocketid_client_logo_path(OLD.id, true, OLD.dark_image_type));
	RETURN OLD;
END
$$;

CREATE TRIGGER oidc_clients_images_delete AFTER DELETE ON oidc_clients
	FOR EACH ROW EXECUTE FUNCTION pocketid_client_images_delete();

CREATE FUNCTION pocketid_user_picture_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM storage
	    WHERE path = 'profile-pictures/' || OLD.id::text || '.png';
	RETURN OLD;
END
$$;

CREATE TRIGGER users_picture_delete AFTER DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION pocketid_user_picture_delete();
