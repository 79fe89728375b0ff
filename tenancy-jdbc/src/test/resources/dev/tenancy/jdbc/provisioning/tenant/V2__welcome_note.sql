INSERT INTO notes (id, body) VALUES ('00000000-0000-4000-8000-000000000001', 'Welcome, ${tenant_slug}');
