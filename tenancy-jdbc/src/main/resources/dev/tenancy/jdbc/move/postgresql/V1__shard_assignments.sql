-- The shard directory on PostgreSQL, applied by JdbcShardDirectory into its schema with its own history table
-- (tenancy_shards_schema_history). One row per tenant: the shard that serves it. A move is one conditional UPDATE
-- (WHERE shard = the expected one), so it is a compare-and-set.

CREATE TABLE shard_assignments (
    tenant_id  UUID                     NOT NULL,
    shard      VARCHAR(63)              NOT NULL,
    version    BIGINT                   NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT shard_assignments_pkey PRIMARY KEY (tenant_id),
    CONSTRAINT shard_assignments_shard_check CHECK (length(shard) > 0),
    CONSTRAINT shard_assignments_version_check CHECK (version >= 0)
);

CREATE INDEX shard_assignments_shard_idx ON shard_assignments (shard);
