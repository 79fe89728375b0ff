-- Deliberately invalid: a shared schema that fails must stop the run before any tenant.
CREATE TABLE plans (id UUID PRIMARY KEY, name NO_SUCH_TYPE);
