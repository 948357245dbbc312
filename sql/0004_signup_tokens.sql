-- 0004_signup_tokens: invitations to sign up (spec 1.4). Unlike Pocket ID,
-- which keeps the token in clear, only its SHA-256 hex is stored (DESIGN
-- 5: bearer secrets are stored hashed): the token is shown once, when it
-- is made. usage_count never passes usage_limit; a signup takes one use
-- with a conditional UPDATE in the signup's own transaction.
CREATE TABLE signup_tokens (
	id uuid PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	token_hash text NOT NULL UNIQUE,
	expires_at timestamptz NOT NULL,
	usage_limit integer NOT NULL CHECK (usage_limit BETWEEN 1 AND 100),
	usage_count integer NOT NULL DEFAULT 0
		CHECK (usage_count BETWEEN 0 AND usage_limit)
);
CREATE INDEX signup_tokens_expires ON signup_tokens (expires_at);

-- The groups a user who signs up with the token joins.
CREATE TABLE signup_tokens_user_groups (
	signup_token_id uuid NOT NULL REFERENCES signup_tokens ON DELETE CASCADE,
	user_group_id uuid NOT NULL REFERENCES user_groups ON DELETE CASCADE,
	PRIMARY KEY (signup_token_id, user_group_id)
);
CREATE INDEX signup_tokens_user_groups_group
	ON signup_tokens_user_groups (user_group_id);
