package dev.tenancy.jdbc.migration;

import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void scratch() throws Exception {
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:waves_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
    WavesFixture fixture = new WavesFixture(database, "tenant_", 2);
    InMemoryMigrationStatusStore statuses = new InMemoryMigrationStatusStore();
    fixture.waves(statuses).build().run();
    for (var t : fixture.tenants) {
      try (var c = database.getConnection(); var s = c.createStatement();
          var r = s.executeQuery("SELECT \"version\", \"description\", \"type\", \"checksum\", \"success\" FROM \"" + fixture.schema(t) + "\".\"flyway_schema_history\"")) {
        while (r.next()) System.err.println(t.slug() + " " + r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4) + " " + r.getString(5));
      }
    }
    var t = fixture.tenants.get(0);
    var place = new Place.Schemas(database, "tenant_", new dev.tenancy.jdbc.internal.TenantMigrations(java.util.List.of(WavesFixture.V1, WavesFixture.V2), "flyway_schema_history", java.util.Map.of()), getClass().getClassLoader());
    var target = place.target(t);
    for (var i : place.flyway(target).load().info().all()) System.err.println(i.getVersion() + " " + i.getState() + " " + i.getResolvedChecksum() + " " + i.getResolvedType());
    var resolved = ResolvedMigrations.of(place.flyway(target).load().info().all());
    try (var reader = place.reader()) { System.err.println(resolved + " " + resolved.check(reader.read(target))); }
  }
}
