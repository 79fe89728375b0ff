package dev.tenancy.core.audit;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One audited action: who did what to which resource of which tenant, when, from where, and how it ended.
 *
 * <p>Events are immutable and hashed into their tenant's chain exactly as they are, so the timestamp is kept to whole
 * microseconds (what every sink can store without rounding) and the details are a sorted map of strings.
 *
 * @param id unique id, a random UUID by default
 * @param timestamp when it happened, truncated to microseconds
 * @param tenant the tenant whose trail it belongs to, or {@code null} for a platform-wide event (its chain is
 *     {@value AuditRecord#PLATFORM_CHAIN})
 * @param category what kind of action, which decides whether it may ever be dropped
 * @param action what happened, lower case with dots, e.g. {@code tenant.created} or {@code auth.token_rejected}
 * @param actor who did it: a user or client id, an operator's name, {@code system}
 * @param actorType what kind of actor
 * @param resource what it was done to, e.g. {@code lead/42}, or {@code null}
 * @param outcome how it ended
 * @param traceId the request's trace id, or {@code null}
 * @param sourceAddress the client's address, or {@code null}
 * @param details further facts, sorted by key; values are plain strings
 * @since 0.1.0
 */
public record AuditEvent(String id, Instant timestamp, @Nullable TenantId tenant, AuditCategory category, String action,
    String actor, AuditActorType actorType, @Nullable String resource, AuditOutcome outcome, @Nullable String traceId,
    @Nullable String sourceAddress, Map<String, String> details) {

  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");
  private static final int MAX_TEXT = 4096;
  private static final int MAX_DETAILS = 64;

  /**
   * Checks every part and copies the details into a sorted, unmodifiable map.
   *
   * @throws IllegalArgumentException if a part is blank, too long, or the action is not lower case with dots
   */
  public AuditEvent {
    requireText(id, "id");
    timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.MICROS);
    Objects.requireNonNull(category, "category");
    requireText(action, "action");
    if (!ACTION.matcher(action).matches()) {
      throw new IllegalArgumentException("action must be lower case words separated by dots, e.g. tenant.created; "
          + "was '" + action + "'");
    }
    requireText(actor, "actor");
    Objects.requireNonNull(actorType, "actorType");
    Objects.requireNonNull(outcome, "outcome");
    optionalText(resource, "resource");
    optionalText(traceId, "traceId");
    optionalText(sourceAddress, "sourceAddress");
    Objects.requireNonNull(details, "details");
    if (details.size() > MAX_DETAILS) {
      throw new IllegalArgumentException("an audit event takes at most " + MAX_DETAILS + " details, got "
          + details.size() + "; put bulk data in the resource it describes instead");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    details.forEach((key, value) -> {
      requireText(key, "detail key");
      Objects.requireNonNull(value, () -> "value of detail " + key);
      if (value.length() > MAX_TEXT) {
        throw new IllegalArgumentException("detail " + key + " is longer than " + MAX_TEXT + " characters");
      }
      sorted.put(key, value);
    });
    details = Collections.unmodifiableMap(sorted);
  }

  /**
   * Starts an event; everything but the category and the action has a default (a random id, now, no tenant, actor
   * {@code system} of type {@link AuditActorType#SYSTEM}, outcome {@link AuditOutcome#SUCCESS}).
   *
   * @param category what kind of action
   * @param action what happened, e.g. {@code tenant.created}
   * @return a builder
   */
  public static Builder builder(AuditCategory category, String action) {
    return new Builder(category, action);
  }

  /** @return the chain this event is appended to: the tenant's id, or {@value AuditRecord#PLATFORM_CHAIN} */
  public String chain() {
    return tenant == null ? AuditRecord.PLATFORM_CHAIN : tenant.toString();
  }

  /** @return the tenant, if the event belongs to one */
  public Optional<TenantId> findTenant() {
    return Optional.ofNullable(tenant);
  }

  private static void requireText(@Nullable String value, String name) {
    if (Objects.requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(name + " is longer than " + MAX_TEXT + " characters");
    }
  }

  private static void optionalText(@Nullable String value, String name) {
    if (value != null) {
      requireText(value, name);
    }
  }

  /** Builds an {@link AuditEvent}; each option may be set once or more, the last value wins. */
  public static final class Builder {
    private final AuditCategory category;
    private final String action;
    private String id = UUID.randomUUID().toString();
    private @Nullable Instant timestamp;
    private @Nullable TenantId tenant;
    private String actor = "system";
    private AuditActorType actorType = AuditActorType.SYSTEM;
    private @Nullable String resource;
    private AuditOutcome outcome = AuditOutcome.SUCCESS;
    private @Nullable String traceId;
    private @Nullable String sourceAddress;
    private final TreeMap<String, String> details = new TreeMap<>();

    private Builder(AuditCategory category, String action) {
      this.category = Objects.requireNonNull(category, "category");
      this.action = Objects.requireNonNull(action, "action");
    }

    /**
     * @param id a unique id (e.g. to make a retried write idempotent); a random UUID by default
     * @return this builder
     */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * @param timestamp when it happened; now by default
     * @return this builder
     */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
      return this;
    }

    /**
     * @param tenant the tenant whose trail the event belongs to; {@code null} for a platform-wide event
     * @return this builder
     */
    public Builder tenant(@Nullable TenantId tenant) {
      this.tenant = tenant;
      return this;
    }

    /**
     * @param type what kind of actor
     * @param name who: a user or client id, an operator's name
     * @return this builder
     */
    public Builder actor(AuditActorType type, String name) {
      this.actorType = Objects.requireNonNull(type, "type");
      this.actor = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * @param resource what the action was done to, e.g. {@code lead/42}
     * @return this builder
     */
    public Builder resource(@Nullable String resource) {
      this.resource = resource;
      return this;
    }

    /**
     * @param outcome how it ended; {@link AuditOutcome#SUCCESS} by default
     * @return this builder
     */
    public Builder outcome(AuditOutcome outcome) {
      this.outcome = Objects.requireNonNull(outcome, "outcome");
      return this;
    }

    /**
     * @param traceId the request's trace id
     * @return this builder
     */
    public Builder traceId(@Nullable String traceId) {
      this.traceId = traceId;
      return this;
    }

    /**
     * @param sourceAddress the client's address
     * @return this builder
     */
    public Builder sourceAddress(@Nullable String sourceAddress) {
      this.sourceAddress = sourceAddress;
      return this;
    }

    /**
     * @param key a detail's name
     * @param value its value
     * @return this builder
     */
    public Builder detail(String key, String value) {
      details.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * @param details further facts, added to those set before
     * @return this builder
     */
    public Builder details(Map<String, String> details) {
      Objects.requireNonNull(details, "details").forEach(this::detail);
      return this;
    }

    /**
     * @return the event
     * @throws IllegalArgumentException if a part is invalid (see {@link AuditEvent})
     */
    public AuditEvent build() {
      return new AuditEvent(id, timestamp == null ? Instant.now() : timestamp, tenant, category, action, actor,
          actorType, resource, outcome, traceId, sourceAddress, details);
    }
  }
}
