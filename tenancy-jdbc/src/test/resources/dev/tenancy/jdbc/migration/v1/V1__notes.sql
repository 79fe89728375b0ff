-- The release every test tenant is provisioned with.
CREATE TABLE notes (
    id   UUID         NOT NULL PRIMARY KEY,
    body VARCHAR(200) NOT NULL
);
