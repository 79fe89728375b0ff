-- Tenancy's own platform tables on H2 (embedded use), applied by JdbcTenantStore into its own schema with its own
-- history table (tenancy_schema_history). Same columns as the PostgreSQL script.

CREATE TABLE tenants (
    id            UUID                     NOT NULL,
    slug          VARCHAR(63)              NOT NULL,
    display_name  VARCHAR(200)             NOT NULL,
    status        VARCHAR(16)              NOT NULL,
    tier          VARCHAR(32)              NOT NULL,
    configuration CHARACTER VARYING        NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    version       BIGINT                   NOT NULL,
    purge_after   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT tenants_pkey PRIMARY KEY (id),
    CONSTRAINT tenants_slug_key UNIQUE (slug),
    -- H2 has no expression indexes: forcing lower case makes UNIQUE (slug) as strong as UNIQUE (lower(slug)).
    CONSTRAINT tenants_slug_lower_check CHECK (slug = LOWER(slug)),
    CONSTRAINT tenants_status_check
        CHECK (status IN ('PROVISIONING', 'TRIAL', 'ACTIVE', 'SUSPENDED', 'CANCELLED', 'DELETED')),
    CONSTRAINT tenants_version_check CHECK (version >= 0)
);

CREATE INDEX tenants_status_slug_idx ON tenants (status, slug);

CREATE TABLE provisioning_records (
    tenant_id       UUID                     NOT NULL,
    operation       VARCHAR(16)              NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    completed_steps CHARACTER VARYING        NOT NULL,
    last_error      CHARACTER VARYING,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    target_status   VARCHAR(16),
    CONSTRAINT provisioning_records_pkey PRIMARY KEY (tenant_id)
);
