-- 0006_oidc_clients: OAuth clients (spec 5.2 oidc_clients), who may use
-- them (oidc_clients_allowed_user_groups) and what users agreed to
-- (user_authorized_oidc_clients, spec 2.9).
--
-- Deliberate difference from Pocket ID: client secrets live in their own
-- table, oidc_client_secrets, not in the credentials JSON document. A row
-- per secret lets the 20-secret limit be enforced under a row lock, lets
-- one secret be deleted without rewriting the others, and keeps hashes out
-- of every statement that reads credentials for display. credentials keeps
-- only {"federatedIdentities": [...]}. An import of a Pocket ID export
-- turns each credentials.secrets entry into a row here (alg 'sha256' or
-- 'bcrypt', hash, prefix, created_at, expires_at).

CREATE TABLE oidc_clients (
	id text PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	name varchar(255) NOT NULL,
	description text NOT NULL DEFAULT '',
	callback_urls jsonb NOT NULL DEFAULT '[]',
	logout_callback_urls jsonb NOT NULL DEFAULT '[]',
	image_type varchar(10),
	dark_image_type text,
	created_by_id uuid REFERENCES users ON DELETE SET NULL,
	is_public boolean NOT NULL DEFAULT false,
	pkce_enabled boolean NOT NULL DEFAULT false,
	pkce_supported boolean NOT NULL DEFAULT false,
	credentials jsonb NOT NULL DEFAULT '{}',
	launch_url text,
	requires_reauthentication boolean NOT NULL DEFAULT false,
	requires_pushed_authorization_requests boolean NOT NULL DEFAULT false,
	skip_consent boolean NOT NULL DEFAULT false,
	is_group_restricted boolean NOT NULL DEFAULT false,
	client_type text NOT NULL DEFAULT 'standard'
		CHECK (client_type IN ('standard', 'cimd')),
	metadata_expires_at timestamptz,
	metadata_grant_types jsonb,
	access_token_duration_minutes bigint NOT NULL DEFAULT 60
		CHECK (access_token_duration_minutes BETWEEN 1 AND 525600),
	refresh_token_duration_minutes bigint NOT NULL DEFAULT 43200
		CHECK (refresh_token_duration_minutes BETWEEN 1 AND 525600),
	CHECK (jsonb_typeof(callback_urls) = 'array'),
	CHECK (jsonb_typeof(logout_callback_urls) = 'array')
);
CREATE INDEX oidc_clients_created_by ON oidc_clients (created_by_id);

-- Secrets: SHA-256 hex of the value (alg 'sha256'), or a bcrypt hash
-- imported from Pocket ID (alg 'bcrypt'). prefix holds the first four
-- characters in clear ('' for imported bcrypt secrets).
CREATE TABLE oidc_client_secrets (
	id uuid PRIMARY KEY,
	client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE,
	alg text NOT NULL CHECK (alg IN ('sha256', 'bcrypt')),
	hash text NOT NULL,
	prefix text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz
);
CREATE INDEX oidc_client_secrets_client ON oidc_client_secrets (client_id);

CREATE TABLE oidc_clients_allowed_user_groups (
	oidc_client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE,
	user_group_id uuid NOT NULL REFERENCES user_groups ON DELETE CASCADE,
	PRIMARY KEY (oidc_client_id, user_group_id)
);
CREATE INDEX oidc_clients_allowed_user_groups_group
	ON oidc_clients_allowed_user_groups (user_group_id);

-- Consent: scope is a JSON array of consent keys (spec 2.9), merged as a
-- set on each approval; last_used_at moves on each authorization.
CREATE TABLE user_authorized_oidc_clients (
	scope jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(scope) = 'array'),
	user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE,
	last_used_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, client_id)
);
CREATE INDEX user_authorized_oidc_clients_client
	ON user_authorized_oidc_clients (client_id);

-- Federated client assertions (spec 2.5): the jti of every assertion of an
-- identity with replay protection, kept until it expires (keyed by issuer
-- and jti), and the issuers' JWKS, fetched over HTTP(S) and shared by all
-- workers and replicas.
CREATE TABLE oauth2_jtis (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	jti text NOT NULL UNIQUE,
	expires_at timestamptz NOT NULL
);
CREATE INDEX oauth2_jtis_expires ON oauth2_jtis (expires_at);

CREATE TABLE oidc_federated_jwks (
	url text PRIMARY KEY,
	jwks text NOT NULL,
	fetched_at timestamptz NOT NULL DEFAULT now()
);
