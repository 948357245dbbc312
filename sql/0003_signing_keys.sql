-- 0003_signing_keys: the instance's token signing keys, several at a time
-- so that a rotation overlaps (DESIGN §2): the previous public key stays
-- published, and keeps verifying, until the tokens it signed have expired.
--
-- sealed_jwk is the private JWK (JSON) sealed the way Pocket ID seals
-- kv 'jwt_private_key.json' (spec §4.3): standard base64 of
-- nonce(12) || AES-256-GCM(JWK JSON) under the key
-- HMAC-SHA3-256(ENCRYPTION_KEY, 'pocketid/<kv instance_id>/jwk-kek').
-- The newest key is also kept in kv under 'jwt_private_key.json', so that
-- a Pocket ID export or import still finds the key where Pocket ID looks.
--
-- A key signs from signs_from (now, or later when it is published ahead
-- of use) until the next key's signs_from, which is its retired_at; it is
-- published and verifies until verify_until. The newest key has neither.
CREATE TABLE signing_keys (
	kid text PRIMARY KEY CHECK (length(kid) BETWEEN 1 AND 256),
	alg text NOT NULL,
	sealed_jwk text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	signs_from timestamptz NOT NULL DEFAULT now(),
	retired_at timestamptz,
	verify_until timestamptz,
	CHECK ((retired_at IS NULL) = (verify_until IS NULL))
);

-- At most one key is not retired: two replicas (or a replica and
-- "pocket-id key-rotate") can never both install a newest key.
CREATE UNIQUE INDEX signing_keys_one_newest ON signing_keys ((true))
	WHERE retired_at IS NULL;
