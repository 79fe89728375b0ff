-- API keys on H2 (embedded use), applied by JdbcApiKeyStore into its schema with its own history table
-- (tenancy_api_keys_schema_history). Same columns as the PostgreSQL script: only the SHA-256 of a key is stored.

CREATE TABLE api_keys (
    id          VARCHAR(8)               NOT NULL,
    tenant_id   UUID,
    subject     VARCHAR(200)             NOT NULL,
    name        VARCHAR(200)             NOT NULL,
    roles       CHARACTER VARYING        NOT NULL,
    secret_hash VARBINARY(32)            NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_keys_pkey PRIMARY KEY (id),
    CONSTRAINT api_keys_id_check CHECK (id REGEXP '^[a-z0-9]{8}$'),
    CONSTRAINT api_keys_secret_hash_check CHECK (OCTET_LENGTH(secret_hash) = 32)
);

CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at, id);
