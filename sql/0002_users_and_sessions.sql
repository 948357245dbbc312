-- 0002_users_and_sessions: users and what signs them in (spec 5.2), plus
-- the state Pocket ID keeps outside SQL (spec 5.4) as ordinary tables with
-- expires_at. Bearer secrets are stored only as SHA-256 hex (DESIGN 5).

CREATE TABLE users (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz,
	username citext COLLATE "C" NOT NULL UNIQUE,
	email varchar(255) UNIQUE,
	email_verified boolean NOT NULL DEFAULT false,
	first_name varchar(100),
	last_name varchar(100),
	display_name text NOT NULL DEFAULT '',
	is_admin boolean NOT NULL DEFAULT false,
	ldap_id text,
	locale text,
	disabled boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX users_ldap_id ON users (ldap_id);

CREATE TABLE user_groups (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz,
	friendly_name varchar(255) NOT NULL,
	name varchar(255) NOT NULL UNIQUE,
	ldap_id text
);
CREATE UNIQUE INDEX user_groups_ldap_id ON user_groups (ldap_id);

CREATE TABLE user_groups_users (
	user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	user_group_id uuid NOT NULL REFERENCES user_groups ON DELETE CASCADE,
	PRIMARY KEY (user_id, user_group_id)
);
CREATE INDEX user_groups_users_group ON user_groups_users (user_group_id);

CREATE TABLE custom_claims (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	key varchar(255) NOT NULL,
	value text NOT NULL,
	user_id uuid REFERENCES users ON DELETE CASCADE,
	user_group_id uuid REFERENCES user_groups ON DELETE CASCADE,
	UNIQUE (key, user_id, user_group_id),
	CHECK (user_id IS NOT NULL OR user_group_id IS NOT NULL)
);
CREATE INDEX custom_claims_user ON custom_claims (user_id);
CREATE INDEX custom_claims_group ON custom_claims (user_group_id);

-- Passkeys. sign_count and aaguid go beyond Pocket ID: the counter lets a
-- regression (a possibly cloned authenticator) be noticed and audited.
CREATE TABLE webauthn_credentials (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_used_at timestamptz,
	name varchar(255) NOT NULL,
	credential_id bytea NOT NULL UNIQUE,
	public_key bytea NOT NULL,
	attestation_type varchar(20) NOT NULL,
	transport jsonb NOT NULL DEFAULT '[]',
	user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	backup_eligible boolean NOT NULL DEFAULT false,
	backup_state boolean NOT NULL DEFAULT false,
	sign_count bigint NOT NULL DEFAULT 0,
	aaguid uuid
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);

-- WebAuthn ceremonies in flight (60 s, consumed by DELETE ... RETURNING).
-- user_id is set for registration and re-authentication, NULL for login.
CREATE TABLE webauthn_sessions (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	challenge varchar(255) NOT NULL UNIQUE,
	expires_at timestamptz NOT NULL,
	user_verification varchar(255) NOT NULL,
	credential_params jsonb NOT NULL DEFAULT '[]',
	user_id uuid REFERENCES users ON DELETE CASCADE
);
CREATE INDEX webauthn_sessions_expires ON webauthn_sessions (expires_at);

-- Browser sessions: an opaque random token in the cookie, its SHA-256 here
-- (DESIGN 2: sign-out really ends a session).
CREATE TABLE browser_sessions (
	id uuid PRIMARY KEY,
	token_hash text NOT NULL UNIQUE,
	user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	amr text,
	auth_time timestamptz NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	ip_address inet,
	user_agent text
);
CREATE INDEX browser_sessions_user ON browser_sessions (user_id);
CREATE INDEX browser_sessions_expires ON browser_sessions (expires_at);

CREATE TABLE reauthentication_tokens (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	token text NOT NULL UNIQUE,
	expires_at timestamptz NOT NULL,
	user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE
);
CREATE INDEX reauthentication_tokens_expires ON reauthentication_tokens (expires_at);

-- Login codes (spec 1.4). device_token_hash binds an emailed code to the
-- browser that asked for it.
CREATE TABLE one_time_access_tokens (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	token_hash text NOT NULL UNIQUE,
	expires_at timestamptz NOT NULL,
	user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	device_token_hash text
);
CREATE INDEX one_time_access_tokens_expires ON one_time_access_tokens (expires_at);

CREATE TABLE api_keys (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	name varchar(255) NOT NULL,
	key varchar(255) NOT NULL UNIQUE,
	description text,
	expires_at timestamptz NOT NULL,
	last_used_at timestamptz,
	user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	expiration_email_sent boolean NOT NULL DEFAULT false
);
CREATE INDEX api_keys_expires ON api_keys (expires_at);

CREATE TABLE audit_logs (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	event varchar(100) NOT NULL,
	ip_address inet,
	data jsonb NOT NULL DEFAULT '{}',
	user_id uuid REFERENCES users ON DELETE CASCADE,
	user_agent text,
	country varchar(100),
	city varchar(100)
);
CREATE INDEX audit_logs_event ON audit_logs (event);
CREATE INDEX audit_logs_user ON audit_logs (user_id);
CREATE INDEX audit_logs_created ON audit_logs (created_at);
CREATE INDEX audit_logs_client_name ON audit_logs ((data->>'clientName'));

-- Application settings (spec 4.2): one row per key that differs from its
-- default.
CREATE TABLE app_config (
	key varchar(100) PRIMARY KEY,
	value text NOT NULL
);
