-- 0008_oidc_device: the device authorization grant (RFC 8628, spec 1.1).
-- The device code is a bearer secret kept as SHA-256 hex; the user code is
-- what a person types on the verification page. Approval creates the
-- oidc_grants row the tokens will belong to; the token endpoint uses the
-- code up once (used_at) under a row lock.

CREATE TABLE oidc_device_codes (
	device_code_hash text PRIMARY KEY,
	user_code text NOT NULL UNIQUE,
	client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE,
	scope text NOT NULL,
	nonce text,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	interval_seconds integer NOT NULL,
	last_polled_at timestamptz,
	grant_id uuid REFERENCES oidc_grants ON DELETE CASCADE,
	approved_at timestamptz,
	used_at timestamptz
);
CREATE INDEX oidc_device_codes_expires ON oidc_device_codes (expires_at);

-- Pushed authorization requests (RFC 9126, spec 1.1): the parameters a
-- client pushed, found again by the SHA-256 of the request_uri handed out
-- for them; single use, 90 seconds.
CREATE TABLE oidc_par_requests (
	request_uri_hash text PRIMARY KEY,
	client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE,
	parameters jsonb NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz
);
CREATE INDEX oidc_par_requests_expires ON oidc_par_requests (expires_at);
