-- The shard directory on H2 (embedded use), applied by JdbcShardDirectory into its schema with its own history table
-- (tenancy_shards_schema_history). Same columns as the PostgreSQL script.

CREATE TABLE shard_assignments (
    tenant_id  UUID                     NOT NULL,
    shard      VARCHAR(63)              NOT NULL,
    version    BIGINT                   NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT shard_assignments_pkey PRIMARY KEY (tenant_id),
    CONSTRAINT shard_assignments_shard_check CHECK (CHAR_LENGTH(shard) > 0),
    CONSTRAINT shard_assignments_version_check CHECK (version >= 0)
);

CREATE INDEX shard_assignments_shard_idx ON shard_assignments (shard);
