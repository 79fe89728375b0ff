-- Audit records on PostgreSQL, applied by JdbcAuditSink into its schema with its own history table
-- (tenancy_audit_schema_history). Run it as the role that is to OWN the table — never as the application's role:
-- the owner can disable the trigger below, the application role must not be able to.
--
-- One row per sealed record. `record` is the record's canonical JSON exactly as AuditRecordCodec.toJson wrote it: TEXT,
-- never jsonb, because jsonb re-serialises (key order, spacing, number forms) and the hashes are taken over the exact
-- text. `chain` and `sequence` repeat what the text says, for the primary key (one record per position: a second
-- writer's record at a taken position is refused, so chains never fork); `event_time` repeats the event's time for
-- exports by time range. Only the text is verified: a changed column can hide a row from a query, never change a
-- record.

CREATE TABLE audit_records (
    chain      VARCHAR(128)             NOT NULL,
    sequence   BIGINT                   NOT NULL,
    event_time TIMESTAMP WITH TIME ZONE NOT NULL,
    record     TEXT                     NOT NULL,
    CONSTRAINT audit_records_pkey PRIMARY KEY (chain, sequence),
    CONSTRAINT audit_records_sequence_check CHECK (sequence BETWEEN 1 AND 9007199254740991)
);

CREATE INDEX audit_records_event_time ON audit_records (chain, event_time);

-- Nothing for anybody but the owner until JdbcAuditSink.grantSql(schema, role) grants INSERT and SELECT.
REVOKE ALL ON audit_records FROM PUBLIC;

-- Append-only. The application role has neither UPDATE, DELETE nor TRUNCATE; this trigger refuses them to the owner
-- as well, so that no script or console session changes the trail by accident. The only rows that may go are those
-- removed by the two functions below (retention and erasure): they run as the owner (SECURITY DEFINER) with
-- tenancy.audit_removal set for their own duration, and the trigger lets a DELETE through only when both hold. The
-- application role cannot meet the first (it can set the setting, but it is not the owner and has no DELETE
-- privilege). The owner can always disable the trigger: the owner of the table is trusted, which is why the
-- application must not be it.
CREATE FUNCTION audit_records_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('tenancy.audit_removal', true) = 'on'
       AND current_user::regrole = (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID)::regrole THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit records are append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'records are only ever inserted; retention and erasure remove them through the functions'
                  || ' audit_delete_before(chain, sequence) and audit_erase(chain) of the same schema';
END
$$;

CREATE TRIGGER audit_records_append_only
    BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_change();

CREATE TRIGGER audit_records_no_truncate
    BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_refuse_change();

-- Retention: removes a chain's records below a sequence; returns how many. The caller takes a checkpoint at
-- p_before - 1 first, so that the rest stays verifiable. The fixed search_path and the qualified table name keep a
-- caller's objects (e.g. in pg_temp) out of a function that runs with the owner's rights.
CREATE FUNCTION audit_delete_before(p_chain TEXT, p_before BIGINT) RETURNS BIGINT
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET tenancy.audit_removal = 'on'
AS $$
DECLARE
    removed BIGINT;
BEGIN
    DELETE FROM "${flyway:defaultSchema}".audit_records WHERE chain = p_chain AND sequence < p_before;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;

-- Erasure when a tenant is purged: removes a whole chain; returns how many records.
CREATE FUNCTION audit_erase(p_chain TEXT) RETURNS BIGINT
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET tenancy.audit_removal = 'on'
AS $$
DECLARE
    removed BIGINT;
BEGIN
    DELETE FROM "${flyway:defaultSchema}".audit_records WHERE chain = p_chain;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;

-- Functions are executable by PUBLIC unless revoked; only roles given grantSql(...) may remove records.
REVOKE ALL ON FUNCTION audit_records_refuse_change() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_delete_before(TEXT, BIGINT) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_erase(TEXT) FROM PUBLIC;
