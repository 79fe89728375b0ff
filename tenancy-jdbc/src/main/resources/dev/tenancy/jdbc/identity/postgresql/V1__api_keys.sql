-- API keys on PostgreSQL, applied by JdbcApiKeyStore into its schema with its own history table
-- (tenancy_api_keys_schema_history). A platform table: read through the raw/admin DataSource, never under RLS.
--
-- Nothing here lets a reader authenticate: a key's secret is never stored, only the SHA-256 of the whole key text
-- (32 bytes, enforced below, so a key pasted into the column by mistake is refused rather than kept).

CREATE TABLE api_keys (
    -- COLLATE "C": ordering by code point, exactly as the in-memory store orders ids.
    id          VARCHAR(8) COLLATE "C"   NOT NULL,
    -- NULL for a platform key (role platform_admin).
    tenant_id   UUID,
    subject     VARCHAR(200)             NOT NULL,
    name        VARCHAR(200)             NOT NULL,
    -- Comma-separated role names ([a-z][a-z0-9_]*, so no escaping is needed); empty for no roles.
    roles       TEXT                     NOT NULL,
    secret_hash BYTEA                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_keys_pkey PRIMARY KEY (id),
    CONSTRAINT api_keys_id_check CHECK (id ~ '^[a-z0-9]{8}$'),
    CONSTRAINT api_keys_secret_hash_check CHECK (octet_length(secret_hash) = 32)
);

CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at, id);
