-- Tenancy's own platform tables, applied by JdbcTenantStore into its own schema with its own history table
-- (tenancy_schema_history), so they never clash with the application's migrations.
-- These tables are platform data: they are read through the raw/admin DataSource, never under row-level security.

CREATE TABLE tenants (
    id            UUID                     NOT NULL,
    -- COLLATE "C": ordering and uniqueness by code point, exactly as TenantSlug compares in Java.
    slug          VARCHAR(63) COLLATE "C"  NOT NULL,
    display_name  VARCHAR(200)             NOT NULL,
    status        VARCHAR(16)              NOT NULL,
    tier          VARCHAR(32)              NOT NULL,
    -- JSON text (feature flags, limits, API version, settings); plain TEXT so H2 and PostgreSQL share code.
    configuration TEXT                     NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    version       BIGINT                   NOT NULL,
    purge_after   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT tenants_pkey PRIMARY KEY (id),
    CONSTRAINT tenants_slug_key UNIQUE (slug),
    CONSTRAINT tenants_status_check
        CHECK (status IN ('PROVISIONING', 'TRIAL', 'ACTIVE', 'SUSPENDED', 'CANCELLED', 'DELETED')),
    CONSTRAINT tenants_version_check CHECK (version >= 0)
);

-- A row written by hand with an upper-case slug must still not shadow an existing tenant.
CREATE UNIQUE INDEX tenants_slug_lower_key ON tenants (lower(slug));
CREATE INDEX tenants_status_slug_idx ON tenants (status, slug);

CREATE TABLE provisioning_records (
    tenant_id       UUID                     NOT NULL,
    operation       VARCHAR(16)              NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    -- JSON array of step names, in the order they finished.
    completed_steps TEXT                     NOT NULL,
    last_error      TEXT,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    target_status   VARCHAR(16),
    -- No foreign key to tenants: a journal can outlive the tenant record it was compensating.
    CONSTRAINT provisioning_records_pkey PRIMARY KEY (tenant_id)
);
