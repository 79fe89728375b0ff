-- Run by spring.sql.init as the schema owner (spring.sql.init.username), on the pool beneath the tenant-aware
-- DataSource; the application itself connects as a role that owns nothing, so the policy applies to it.
CREATE TABLE notes (
  tenant_id text NOT NULL DEFAULT current_setting('tenancy.tenant_id'),
  body text NOT NULL
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_by_tenant ON notes
  USING (tenant_id = current_setting('tenancy.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('tenancy.tenant_id', true));
GRANT SELECT, INSERT ON notes TO PUBLIC;
