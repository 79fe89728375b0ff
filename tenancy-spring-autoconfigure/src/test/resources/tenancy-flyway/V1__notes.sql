-- Run by Flyway on the pool beneath the tenant-aware DataSource (see TenancyDataSourceInitializationAutoConfigurationTest).
CREATE TABLE PUBLIC.flyway_notes (id INT PRIMARY KEY);
