-- 0010_apis: OAuth APIs (resource servers, RFC 8707; spec 1.8, 2.11,
-- 5.2). An API is named by its resource URI (column audience, as in
-- Pocket ID's schema) and offers permissions (scope keys). Clients are
-- granted an API and some of its permissions per subject type: 'user'
-- (user-delegated: code and device flows) or 'client' (M2M: client
-- credentials). Deleting a client, an API or a permission removes its
-- grants. Grants and device codes remember the resource they were made
-- for, so that refresh and the device grant mint for the same API.

CREATE TABLE apis (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz,
	name text NOT NULL,
	audience text NOT NULL UNIQUE,
	allow_cimd_clients boolean NOT NULL DEFAULT false
);

CREATE TABLE api_permissions (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	api_id uuid NOT NULL REFERENCES apis ON DELETE CASCADE,
	key text NOT NULL,
	name text NOT NULL,
	description text,
	allowed_for_cimd_clients boolean NOT NULL DEFAULT false,
	UNIQUE (api_id, key)
);
CREATE INDEX api_permissions_api ON api_permissions (api_id);

CREATE TABLE oidc_clients_allowed_apis (
	oidc_client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE
		ON UPDATE CASCADE,
	api_id uuid NOT NULL REFERENCES apis ON DELETE CASCADE,
	subject_type text NOT NULL CHECK (subject_type IN ('user', 'client')),
	PRIMARY KEY (oidc_client_id, api_id, subject_type)
);
CREATE INDEX oidc_clients_allowed_apis_api ON oidc_clients_allowed_apis
	(api_id);

CREATE TABLE oidc_clients_allowed_api_permissions (
	oidc_client_id text NOT NULL REFERENCES oidc_clients ON DELETE CASCADE
		ON UPDATE CASCADE,
	api_permission_id uuid NOT NULL REFERENCES api_permissions
		ON DELETE CASCADE,
	subject_type text NOT NULL CHECK (subject_type IN ('user', 'client')),
	PRIMARY KEY (oidc_client_id, api_permission_id, subject_type)
);
CREATE INDEX oidc_clients_allowed_api_permissions_perm
	ON oidc_clients_allowed_api_permissions (api_permission_id);

-- The resource (API audience) a grant or a pending device code is for;
-- NULL: none (audience = the client).
ALTER TABLE oidc_grants ADD COLUMN resource text;
ALTER TABLE oidc_device_codes ADD COLUMN resource text;
