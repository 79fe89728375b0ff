-- Migration status per target (a tenant's schema or database, or a shared schema) on PostgreSQL, applied by
-- JdbcMigrationStatusStore into its schema with its own history table (tenancy_waves_schema_history). Runs claim a
-- row with a compare-and-set on revision; a RUNNING row whose lease_until has passed was left by a dead runner.

CREATE TABLE tenant_migrations (
    target         VARCHAR(128)             NOT NULL,
    tenant_id      UUID,
    location       VARCHAR(128)             NOT NULL,
    state          VARCHAR(8)               NOT NULL,
    version_before VARCHAR(64),
    version_after  VARCHAR(64),
    error          VARCHAR(4000),
    attempts       INTEGER                  NOT NULL,
    run_id         VARCHAR(64),
    started_at     TIMESTAMP WITH TIME ZONE,
    finished_at    TIMESTAMP WITH TIME ZONE,
    lease_until    TIMESTAMP WITH TIME ZONE,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    revision       BIGINT                   NOT NULL,
    CONSTRAINT tenant_migrations_pkey PRIMARY KEY (target),
    CONSTRAINT tenant_migrations_state_check CHECK (state IN ('PENDING', 'RUNNING', 'DONE', 'FAILED')),
    CONSTRAINT tenant_migrations_counts_check CHECK (attempts >= 0 AND revision >= 0),
    CONSTRAINT tenant_migrations_running_check CHECK (state <> 'RUNNING' OR (run_id IS NOT NULL AND lease_until IS NOT NULL))
);

CREATE INDEX tenant_migrations_state_idx ON tenant_migrations (state);
