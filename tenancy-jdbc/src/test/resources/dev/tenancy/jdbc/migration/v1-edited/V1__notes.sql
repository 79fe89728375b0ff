-- Release 1 edited after it was applied: Flyway's validation must catch the changed checksum, the fast check too.
CREATE TABLE notes (
    id   UUID         NOT NULL PRIMARY KEY,
    body VARCHAR(500) NOT NULL
);
