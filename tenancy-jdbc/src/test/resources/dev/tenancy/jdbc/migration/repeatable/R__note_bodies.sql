-- A repeatable migration: re-applied by Flyway whenever its text changes; the fast check must know it is applied.
CREATE OR REPLACE VIEW note_bodies AS SELECT body FROM notes;
