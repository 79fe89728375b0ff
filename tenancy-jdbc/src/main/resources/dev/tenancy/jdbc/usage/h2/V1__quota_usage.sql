-- Monthly quota usage counters on H2 (embedded use), applied by JdbcUsageStore into its schema with its own history
-- table (tenancy_usage_schema_history). Same columns as the PostgreSQL script.

CREATE TABLE quota_usage (
    period       VARCHAR(7)               NOT NULL,
    counter_name VARCHAR(200)             NOT NULL,
    used         BIGINT                   NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT quota_usage_pkey PRIMARY KEY (period, counter_name),
    CONSTRAINT quota_usage_used_check CHECK (used >= 0),
    CONSTRAINT quota_usage_period_check CHECK (period REGEXP '^[0-9]{4}-[0-9]{2}$')
);
