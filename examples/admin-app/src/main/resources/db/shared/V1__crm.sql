-- Shared tables (row-level security): every row carries its agency; RlsPolicies adds the policies and grants.
CREATE TABLE leads (
  organization_id UUID NOT NULL,
  id UUID NOT NULL,
  name VARCHAR(200) NOT NULL,
  -- Ciphertext (TenantCipher, the tenant's data key): the database never sees an address or number.
  email_enc VARCHAR(2000) NOT NULL,
  phone_enc VARCHAR(2000),
  notes VARCHAR(4000),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (organization_id, id)
);

CREATE TABLE app_users (
  organization_id UUID NOT NULL,
  subject VARCHAR(200) NOT NULL,
  roles VARCHAR(1000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (organization_id, subject)
);
