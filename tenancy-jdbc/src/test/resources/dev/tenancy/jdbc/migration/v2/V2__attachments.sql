-- The release the waves roll out. Fails in a tenant whose schema already holds an "attachments" table, which is how
-- the tests make exactly one tenant's migration fail. The placeholder makes each tenant's script text differ.
CREATE TABLE attachments (
    id      UUID         NOT NULL PRIMARY KEY,
    note_id UUID         NOT NULL REFERENCES notes (id),
    name    VARCHAR(200) NOT NULL
);
INSERT INTO notes (id, body) VALUES ('00000000-0000-4000-8000-000000000002', 'Attachments for ${tenant_slug}');
