-- One agency's tables in its own schema (H2 profile). Unqualified: TenantTables runs this inside the agency's tenant
-- scope, where the connection's schema is the agency's.
CREATE TABLE IF NOT EXISTS leads (
  id UUID PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  email VARCHAR(200) NOT NULL,
  phone VARCHAR(50),
  notes VARCHAR(4000),
  stale BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE IF NOT EXISTS lead_activity (
  id UUID PRIMARY KEY,
  lead_id UUID NOT NULL,
  kind VARCHAR(50) NOT NULL,
  actor VARCHAR(200) NOT NULL,
  recorded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
