-- Created by spring.sql.init on the pool beneath the tenant-aware DataSource (see TenancyDataSourceInitializationAutoConfigurationTest).
CREATE TABLE PUBLIC.notes (
  id INT PRIMARY KEY,
  created_by VARCHAR(64) DEFAULT CURRENT_USER NOT NULL
);
