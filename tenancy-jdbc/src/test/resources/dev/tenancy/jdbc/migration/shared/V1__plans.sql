-- A table every tenant shares (row-level security): migrated once, not per tenant.
CREATE TABLE plans (
    id   UUID         NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL
);
