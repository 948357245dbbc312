-- 0007_oidc_grants: the OAuth/OIDC state Pocket ID keeps in fosite's
-- oauth2_sessions and its actor store (spec 5.2, 5.4), as plain tables.
-- Bearer secrets (codes, refresh tokens) are stored as SHA-256 hex; single
-- use is enforced by UPDATE ... WHERE used_at IS NULL RETURNING.

-- A pending authorization the web UI is walking through (spec 1.1).
CREATE TABLE oidc_interactions (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE,
	user_id uuid REFERENCES users ON DELETE CASCADE,
	parameters jsonb NOT NULL,
	steps jsonb NOT NULL DEFAULT '[]',
	reauthenticated_at timestamptz
);
CREATE INDEX oidc_interactions_created ON oidc_interactions (created_at);

-- One authorization of a client by a user: the family that codes, refresh
-- tokens and access tokens belong to. Revoking it revokes them all.
CREATE TABLE oidc_grants (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE,
	user_id uuid REFERENCES users ON DELETE CASCADE,
	scope text NOT NULL,
	nonce text,
	auth_time timestamptz,
	amr text,
	revoked_at timestamptz
);
CREATE INDEX oidc_grants_user_client ON oidc_grants (user_id, client_id);

CREATE TABLE oidc_codes (
	code_hash text PRIMARY KEY,
	grant_id uuid NOT NULL REFERENCES oidc_grants ON DELETE CASCADE,
	redirect_uri text,
	code_challenge text,
	code_challenge_method text,
	expires_at timestamptz NOT NULL,
	used_at timestamptz
);
CREATE INDEX oidc_codes_expires ON oidc_codes (expires_at);

CREATE TABLE oidc_refresh_tokens (
	token_hash text PRIMARY KEY,
	grant_id uuid NOT NULL REFERENCES oidc_grants ON DELETE CASCADE,
	scope text NOT NULL,
	id_token_jti uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz
);
CREATE INDEX oidc_refresh_tokens_grant ON oidc_refresh_tokens (grant_id);
CREATE INDEX oidc_refresh_tokens_expires ON oidc_refresh_tokens (expires_at);

-- Access tokens are JWTs; this row is what userinfo and introspection
-- check, so revocation takes effect before the JWT expires.
CREATE TABLE oidc_access_tokens (
	jti uuid PRIMARY KEY,
	grant_id uuid REFERENCES oidc_grants ON DELETE CASCADE,
	client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE,
	subject text NOT NULL,
	scope text NOT NULL,
	audience jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
CREATE INDEX oidc_access_tokens_grant ON oidc_access_tokens (grant_id);
CREATE INDEX oidc_access_tokens_expires ON oidc_access_tokens (expires_at);

-- A custom claim's value is emitted as JSON when it parses as JSON, else
-- as a string (spec 2.3).
CREATE FUNCTION pocketid_claim_value(v text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	RETURN v::jsonb;
EXCEPTION WHEN others THEN
	RETURN to_jsonb(v);
END;
$$;

-- The user claims of spec 2.3 for the given scopes (flags: profile,
-- email, groups), as one JSON object. The issuer base builds the picture
-- URL. User claims override group claims of the same key.
CREATE FUNCTION pocketid_user_claims(uid uuid, want_profile boolean,
	want_email boolean, want_groups boolean, base text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('sub', u.id::text)
	|| CASE WHEN want_profile THEN
		coalesce((SELECT jsonb_object_agg(k, v) FROM (
			SELECT DISTINCT ON (c.key) c.key AS k,
				pocketid_claim_value(c.value) AS v
			FROM custom_claims c
			LEFT JOIN user_groups_users ug
				ON ug.user_group_id = c.user_group_id AND ug.user_id = u.id
			WHERE c.user_id = u.id OR ug.user_id IS NOT NULL
			ORDER BY c.key, (c.user_id IS NULL)) cc), '{}'::jsonb)
		|| jsonb_build_object(
			'given_name', coalesce(u.first_name, ''),
			'family_name', coalesce(u.last_name, ''),
			'name', coalesce(nullif(trim(coalesce(u.first_name, '') || ' '
				|| coalesce(u.last_name, '')), ''),
				nullif(u.display_name, ''), u.username::text),
			'display_name', u.display_name,
			'preferred_username', u.username::text,
			'picture', base || '/api/users/' || u.id || '/profile-picture.png')
	ELSE '{}'::jsonb END
	|| CASE WHEN want_email AND coalesce(u.email, '') <> '' THEN
		jsonb_build_object('email', u.email,
			'email_verified', u.email_verified)
	ELSE '{}'::jsonb END
	|| CASE WHEN want_groups THEN
		jsonb_build_object('groups', coalesce((SELECT jsonb_agg(g.name
			ORDER BY g.name) FROM user_groups g
			JOIN user_groups_users ug ON ug.user_group_id = g.id
			WHERE ug.user_id = u.id), '[]'::jsonb))
	ELSE '{}'::jsonb END
	FROM users u WHERE u.id = uid
$$;
