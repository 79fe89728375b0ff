-- Each agency's own schema (schema-per-tenant): no tenant column needed, the schema is the boundary.
CREATE TABLE leads (
  id UUID PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  -- Ciphertext (TenantCipher, the tenant's data key): the database never sees an address or number.
  email_enc VARCHAR(2000) NOT NULL,
  phone_enc VARCHAR(2000),
  notes VARCHAR(4000),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE app_users (
  subject VARCHAR(200) PRIMARY KEY,
  roles VARCHAR(1000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
