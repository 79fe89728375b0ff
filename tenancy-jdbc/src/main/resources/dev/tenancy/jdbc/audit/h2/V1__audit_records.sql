-- Audit records on H2 (embedded use, the example app), applied by JdbcAuditSink into its schema with its own history
-- table (tenancy_audit_schema_history). Same table as on PostgreSQL, without the append-only trigger and functions:
-- H2 runs inside the application's own process, so whoever could edit the table could also edit the application; the
-- hash chain, its key and the checkpoints kept elsewhere still show any change.
--
-- `record` holds the record's canonical JSON exactly as AuditRecordCodec.toJson wrote it; the hashes are taken over
-- that text, so it is stored and returned verbatim.

CREATE TABLE audit_records (
    chain      VARCHAR(128)                NOT NULL,
    sequence   BIGINT                      NOT NULL,
    event_time TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    record     CHARACTER VARYING           NOT NULL,
    CONSTRAINT audit_records_pkey PRIMARY KEY (chain, sequence),
    CONSTRAINT audit_records_sequence_check CHECK (sequence BETWEEN 1 AND 9007199254740991)
);

CREATE INDEX audit_records_event_time ON audit_records (chain, event_time);
