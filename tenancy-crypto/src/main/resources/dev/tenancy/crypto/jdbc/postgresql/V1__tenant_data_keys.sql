-- Tenants' wrapped data keys on PostgreSQL, applied by JdbcTenantKeyStore into its schema with its own history table
-- (tenancy_crypto_schema_history). A platform table: read through the raw/admin DataSource, never under RLS.
--
-- Only wrapped keys live here (the data key encrypted by the KEK named in kek_id): a copy of this table without the
-- KEK decrypts nothing. Deleting a tenant's rows is its crypto-shredding; see docs/crypto-jdbc.md for backups.

CREATE TABLE tenant_data_keys (
    tenant_id   UUID                     NOT NULL,
    version     INTEGER                  NOT NULL,
    -- The KEK version that wrapped the key; KEK rotation re-wraps rows and changes it.
    kek_id      VARCHAR(200)             NOT NULL,
    wrapped_key BYTEA                    NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The primary key is what makes "exactly one writer wins" hold when two instances add the same version.
    CONSTRAINT tenant_data_keys_pkey PRIMARY KEY (tenant_id, version),
    CONSTRAINT tenant_data_keys_version_check CHECK (version >= 1)
);
