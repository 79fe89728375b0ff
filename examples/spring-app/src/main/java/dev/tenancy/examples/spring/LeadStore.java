package dev.tenancy.examples.spring;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The current agency's leads and their activity, through Spring Boot's {@link JdbcClient}. The client sits on the
 * application's {@code DataSource}, which the starter replaced by a {@code TenantAwareDataSource}: every connection
 * is bound to the tenant of the calling thread (its schema on H2, its row-level-security setting on PostgreSQL), so
 * no statement here names a tenant and none could reach another agency's rows. Called outside a tenant scope it
 * fails rather than guess.
 *
 * <p>The SQL is the same on both databases: on PostgreSQL the tenant column fills itself from the session setting
 * (a column default) and the policies check it; on H2 each agency has its own tables.
 */
@Repository
public class LeadStore {

  private static final String COLUMNS = "id, name, email, phone, notes, stale, created_at";

  private final JdbcClient jdbc;
  private final Clock clock;

  /**
   * @param jdbc Spring Boot's client over the tenant-bound DataSource
   */
  public LeadStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
    this.clock = Clock.systemUTC();
  }

  /**
   * Stores a new lead of the current agency.
   *
   * @param name who the lead is
   * @param email how to reach them
   * @param phone a phone number, or null
   * @param notes notes, or null
   * @return the stored lead
   */
  public Lead create(String name, String email, @Nullable String phone, @Nullable String notes) {
    Lead lead = new Lead(UUID.randomUUID(), name, email, phone, notes, false, now());
    jdbc.sql("INSERT INTO leads (id, name, email, phone, notes, stale, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(lead.id(), name, email, phone, notes, false, at(lead.createdAt()))
        .update();
    return lead;
  }

  /** @return the current agency's leads, oldest first */
  public List<Lead> list() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM leads ORDER BY created_at, id").query(LeadStore::lead).list();
  }

  /**
   * @param id a lead id
   * @return the lead, or empty when the current agency has none with that id (another agency's lead included)
   */
  public Optional<Lead> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM leads WHERE id = ?").param(id).query(LeadStore::lead).optional();
  }

  /**
   * Deletes a lead and its activity.
   *
   * @param id a lead id
   * @return whether the current agency had it
   */
  @Transactional
  public boolean delete(UUID id) {
    jdbc.sql("DELETE FROM lead_activity WHERE lead_id = ?").param(id).update();
    return jdbc.sql("DELETE FROM leads WHERE id = ?").param(id).update() > 0;
  }

  /**
   * Deletes all of the current agency's leads and activity, when the agency is purged. "All" is the agency's: the
   * bound connection sees no other rows.
   *
   * @return how many leads were deleted
   */
  @Transactional
  public int deleteAll() {
    jdbc.sql("DELETE FROM lead_activity").update();
    return jdbc.sql("DELETE FROM leads").update();
  }

  /**
   * Records something that happened to a lead.
   *
   * @param leadId the lead
   * @param kind what happened
   * @param actor who or what did it
   */
  public void addActivity(UUID leadId, String kind, String actor) {
    jdbc.sql("INSERT INTO lead_activity (id, lead_id, kind, actor, recorded_at) VALUES (?, ?, ?, ?, ?)")
        .params(UUID.randomUUID(), leadId, kind, actor, at(now()))
        .update();
  }

  /**
   * @param leadId a lead
   * @return its activity, oldest first; empty for another agency's lead
   */
  public List<LeadActivity> activity(UUID leadId) {
    return jdbc.sql("SELECT lead_id, kind, actor, recorded_at FROM lead_activity WHERE lead_id = ? "
            + "ORDER BY recorded_at, id")
        .param(leadId)
        .query((rows, n) -> new LeadActivity(rows.getObject("lead_id", UUID.class), rows.getString("kind"),
            rows.getString("actor"), rows.getObject("recorded_at", OffsetDateTime.class).toInstant()))
        .list();
  }

  /**
   * Marks the current agency's leads created before a cutoff as stale, each with an activity row.
   *
   * @param cutoff leads created before this instant are stale
   * @param actor what marks them, for the activity rows
   * @return how many leads were newly marked
   */
  @Transactional
  public int markStale(Instant cutoff, String actor) {
    List<UUID> due = jdbc.sql("SELECT id FROM leads WHERE stale = FALSE AND created_at < ?").param(at(cutoff))
        .query(UUID.class).list();
    int marked = 0;
    for (UUID id : due) {
      // The stale = FALSE guard makes a concurrent run mark (and record) each lead once.
      if (jdbc.sql("UPDATE leads SET stale = TRUE WHERE id = ? AND stale = FALSE").param(id).update() == 1) {
        addActivity(id, "marked-stale", actor);
        marked++;
      }
    }
    return marked;
  }

  private Instant now() {
    // Microseconds: what both databases keep, so a lead read back equals the one returned at creation.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Lead lead(ResultSet rows, int rowNumber) throws SQLException {
    return new Lead(rows.getObject("id", UUID.class), rows.getString("name"), rows.getString("email"),
        rows.getString("phone"), rows.getString("notes"), rows.getBoolean("stale"),
        rows.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
