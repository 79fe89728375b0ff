package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.spring.jpa.Note;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.cfg.MultiTenancySettings;
import org.hibernate.engine.jdbc.connections.spi.MultiTenantConnectionProvider;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TenancyHibernateAutoConfigurationTest {

  private static final TenantInfo ACME = tenant("acme");
  private static final TenantInfo GLOBEX = tenant("globex");

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class,
          TenancyHibernateAutoConfiguration.class))
      .withPropertyValues("tenancy.datasource.strategy=schema");

  // ---------------------------------------------------------------- the resolver

  @Test
  void resolver_insideATenantScope_answersTheTenantsId() {
    TenantContextIdentifierResolver resolver = new TenantContextIdentifierResolver();
    assertThat(TenantContext.get(ACME, resolver::resolveCurrentTenantIdentifier)).isEqualTo(ACME.id().toString());
  }

  @Test
  void resolver_outsideAnyScope_answersTheNoTenantSentinel() throws Exception {
    TenantContextIdentifierResolver resolver = new TenantContextIdentifierResolver();
    assertThat(resolver.resolveCurrentTenantIdentifier()).isEqualTo(TenantContextIdentifierResolver.NO_TENANT);
    assertThat(TenantContext.asPlatform("test", "resolver test", resolver::resolveCurrentTenantIdentifier))
        .isEqualTo(TenantContextIdentifierResolver.PLATFORM);
    assertThat(resolver.validateExistingCurrentSessions()).isTrue();
    assertThat(resolver.isRoot(TenantContextIdentifierResolver.PLATFORM)).isFalse();
  }

  // ---------------------------------------------------------------- the connection provider

  @Test
  void provider_sessionOfTheTenantInScope_getsAConnectionBoundToIt() throws Exception {
    Fixture fixture = new Fixture();
    String schema = TenantContext.call(ACME, () -> {
      try (Connection connection = fixture.provider.getConnection(ACME.id().toString())) {
        return connection.getSchema();
      }
    });
    assertThat(schema).isEqualTo(fixture.strategy.schemaOf(ACME));
  }

  @Test
  void provider_sessionOpenedOutsideAnyScope_getsNoConnection() {
    Fixture fixture = new Fixture();
    assertThatThrownBy(() -> TenantContext.call(ACME, () ->
        fixture.provider.getConnection(TenantContextIdentifierResolver.NO_TENANT)))
        .isInstanceOf(SQLException.class).hasMessageContaining("outside any tenant scope")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
  }

  @Test
  void provider_sessionOfAnotherTenant_getsNoConnection() {
    Fixture fixture = new Fixture();
    assertThatThrownBy(() -> TenantContext.call(GLOBEX, () -> fixture.provider.getConnection(ACME.id().toString())))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("opened for tenant " + ACME.id())
        .hasMessageContaining("scope of tenant " + GLOBEX.id());
    // And the same session outside any scope: refused by the provider before the DataSource is even asked.
    assertThatThrownBy(() -> fixture.provider.getConnection(ACME.id().toString()))
        .isInstanceOf(SQLException.class).hasMessageContaining("scope of no tenant");
  }

  @Test
  void provider_anyConnection_comesFromThePoolForHibernatesStartUpWork() throws Exception {
    Fixture fixture = new Fixture();
    try (Connection connection = fixture.provider.getAnyConnection()) {
      assertThat(connection.isValid(1)).isTrue();
    }
    assertThat(fixture.provider.supportsAggressiveRelease()).isFalse();
    assertThat(fixture.provider.unwrap(TenantAwareDataSource.class)).isSameAs(fixture.tenantAware);
  }

  // ---------------------------------------------------------------- the auto-configuration

  @Test
  void hibernateOnTheClassPathAndAWrappedDataSource_customizerSetsBothSettings() {
    runner.withUserConfiguration(H2.class).run(context -> {
      assertThat(context).hasNotFailed().hasBean("tenancyHibernatePropertiesCustomizer");
      Map<String, Object> settings = new HashMap<>();
      context.getBean(HibernatePropertiesCustomizer.class).customize(settings);
      assertThat(settings.get(MultiTenancySettings.MULTI_TENANT_IDENTIFIER_RESOLVER))
          .isInstanceOf(TenantContextIdentifierResolver.class);
      assertThat(settings.get(MultiTenancySettings.MULTI_TENANT_CONNECTION_PROVIDER))
          .isInstanceOf(TenantAwareConnectionProvider.class);
    });
  }

  @Test
  void wrapFalse_noCustomizer() {
    runner.withUserConfiguration(H2.class).withPropertyValues("tenancy.datasource.wrap=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HibernatePropertiesCustomizer.class));
  }

  @Test
  void withoutHibernate_noCustomizer() {
    runner.withUserConfiguration(H2.class).withClassLoader(new FilteredClassLoader(MultiTenantConnectionProvider.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("tenancyHibernatePropertiesCustomizer"));
  }

  @Test
  void jpaRoundTrip_eachTenantSeesOnlyItsOwnRows() {
    runner.withConfiguration(AutoConfigurations.of(HibernateJpaAutoConfiguration.class))
        .withUserConfiguration(H2.class, Entities.class)
        .withPropertyValues("spring.jpa.hibernate.ddl-auto=none")
        .run(context -> {
          assertThat(context).hasNotFailed();
          DataSource app = context.getBean(DataSource.class);
          DataSource pool = context.getBean(TenantDataSourceWrapper.class).poolOf(app);
          SchemaPerTenant strategy = (SchemaPerTenant) ((TenantAwareDataSource) app).strategy();
          for (TenantInfo tenant : List.of(ACME, GLOBEX)) {
            String schema = strategy.schemaOf(tenant);
            execute(pool, "CREATE SCHEMA \"" + schema + "\"");
            execute(pool, "CREATE TABLE \"" + schema + "\".notes (id BIGINT PRIMARY KEY, text VARCHAR(100))");
          }
          EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);

          TenantContext.run(ACME, () -> inTransaction(factory, em -> em.persist(new Note(1L, "acme's note"))));

          assertThat(TenantContext.get(ACME, () -> texts(factory))).containsExactly("acme's note");
          assertThat(TenantContext.get(GLOBEX, () -> texts(factory))).isEmpty();
          // Outside any scope the session opens (Hibernate needs that) but reaches no data.
          assertThatThrownBy(() -> texts(factory)).hasRootCauseInstanceOf(SQLException.class)
              .rootCause().hasMessageContaining("opened outside any tenant scope");
          // An EntityManager opened for acme and used in globex's scope is refused: a plain DataSource would have
          // bound its connection to globex and answered with globex's rows under acme's session.
          EntityManager acmes = TenantContext.get(ACME, factory::createEntityManager);
          try {
            assertThatThrownBy(() -> TenantContext.run(GLOBEX,
                () -> acmes.createQuery("select n from Note n", Note.class).getResultList()))
                .rootCause().hasMessageContaining("opened for tenant " + ACME.id());
          } finally {
            acmes.close();
          }
        });
  }

  private static List<String> texts(EntityManagerFactory factory) {
    EntityManager em = factory.createEntityManager();
    try {
      return em.createQuery("select n from Note n", Note.class).getResultList().stream().map(Note::text).toList();
    } finally {
      em.close();
    }
  }

  private static void inTransaction(EntityManagerFactory factory, java.util.function.Consumer<EntityManager> work) {
    EntityManager em = factory.createEntityManager();
    try {
      em.getTransaction().begin();
      work.accept(em);
      em.getTransaction().commit();
    } finally {
      em.close();
    }
  }

  private static void execute(DataSource dataSource, String sql) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TenantInfo tenant(String slug) {
    return TenantInfo.of(TenantId.of(UUID.randomUUID()), TenantSlug.of(slug));
  }

  private static JdbcDataSource h2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:hibernate-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
    return h2;
  }

  /** A provider over H2 with one schema per tenant, both tenants' schemas created. */
  private static final class Fixture {
    final JdbcDataSource pool = h2();
    final SchemaPerTenant strategy = SchemaPerTenant.builder(pool).build();
    final TenantAwareDataSource tenantAware = TenantAwareDataSource.of(strategy);
    final TenantAwareConnectionProvider provider = new TenantAwareConnectionProvider(tenantAware, pool);

    Fixture() {
      execute(pool, "CREATE SCHEMA \"" + strategy.schemaOf(ACME) + "\"");
      execute(pool, "CREATE SCHEMA \"" + strategy.schemaOf(GLOBEX) + "\"");
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class H2 {
    @Bean
    DataSource dataSource() {
      return h2();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @AutoConfigurationPackage(basePackageClasses = Note.class)
  static class Entities {
  }
}
