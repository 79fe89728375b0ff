-- Tenants' wrapped data keys on H2 (embedded use), applied by JdbcTenantKeyStore into its schema with its own history
-- table (tenancy_crypto_schema_history). Same columns as the PostgreSQL script: only wrapped keys are stored.

CREATE TABLE tenant_data_keys (
    tenant_id   UUID                     NOT NULL,
    version     INTEGER                  NOT NULL,
    kek_id      VARCHAR(200)             NOT NULL,
    wrapped_key VARBINARY                NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT tenant_data_keys_pkey PRIMARY KEY (tenant_id, version),
    CONSTRAINT tenant_data_keys_version_check CHECK (version >= 1)
);
