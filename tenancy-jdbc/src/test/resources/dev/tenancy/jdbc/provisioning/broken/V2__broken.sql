-- Deliberately invalid: provisioning must fail and be compensated.
CREATE TABLE attachments (id UUID PRIMARY KEY, note_id NO_SUCH_TYPE);
