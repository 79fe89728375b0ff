-- Shared tables with row-level security (profile "postgres"), run by spring.sql.init as the tables' OWNER.
-- The application connects as another role, a member of the NOLOGIN role crm_app (create both first, see
-- docs/spring-example.md): it owns nothing and has no BYPASSRLS, so every statement it runs is filtered by the
-- policies below. The predicate reads tenancy.tenant_id, the session setting
-- the starter's RowLevelSecurity binds on every connection (tenancy.datasource.rls-setting; RlsPolicies uses the
-- same), and an unset or empty setting matches no row at all.
-- Idempotent: it runs at every start. Plain statements only: spring.sql.init splits the script at semicolons.

-- The tenant column fills itself from the session setting, so the application's SQL is the same as on H2 and never
-- names a tenant; the policies' WITH CHECK refuses any other value.
CREATE TABLE IF NOT EXISTS leads (
  organization_id UUID NOT NULL DEFAULT (NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid),
  id UUID NOT NULL,
  name VARCHAR(200) NOT NULL,
  email VARCHAR(200) NOT NULL,
  phone VARCHAR(50),
  notes VARCHAR(4000),
  stale BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (organization_id, id)
);

CREATE TABLE IF NOT EXISTS lead_activity (
  organization_id UUID NOT NULL DEFAULT (NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid),
  id UUID NOT NULL,
  lead_id UUID NOT NULL,
  kind VARCHAR(50) NOT NULL,
  actor VARCHAR(200) NOT NULL,
  recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX IF NOT EXISTS lead_activity_lead ON lead_activity (organization_id, lead_id);

ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE leads FORCE ROW LEVEL SECURITY;
ALTER TABLE lead_activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_activity FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS crm_tenant ON leads;
CREATE POLICY crm_tenant ON leads
  USING (organization_id = (SELECT NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid))
  WITH CHECK (organization_id = (SELECT NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid));
DROP POLICY IF EXISTS crm_tenant ON lead_activity;
CREATE POLICY crm_tenant ON lead_activity
  USING (organization_id = (SELECT NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid))
  WITH CHECK (organization_id = (SELECT NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid));

GRANT USAGE ON SCHEMA public TO crm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON leads, lead_activity TO crm_app;
