package dev.tenancy.core.alert;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.quota.QuotaAlert;
import dev.tenancy.core.quota.QuotaAlertListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the open alerts of a platform (quota thresholds, SLA breaches, security events), raising each once per
 * key and period, so that a tenant hammering a limit or a failing SLA yields one alert, not one per request.
 *
 * <p>Bounded: at most {@link Builder#capacity} open alerts are kept (the oldest make room), and the de-duplication
 * memory is bounded too. Thread-safe; raising is cheap enough for a request thread (a cache look-up when the key was
 * already raised in its period).
 *
 * <pre>{@code
 * AlertCenter alerts = AlertCenter.builder().period(AlertKind.SLA, Duration.ofHours(1)).build();
 * QuotaManager quotas = QuotaManager.builder().store(store).listener(alerts.quotaAlertListener()).build();
 * alerts.raise(AlertKind.SECURITY, AlertSeverity.CRITICAL, tenant, "cross-tenant:" + tenant,
 *     "A request of tenant acme named another tenant");
 * List<Alert> open = alerts.open();          // newest first, for GET /api/v1/admin/alerts
 * alerts.resolve(open.get(0).id());
 * }</pre>
 *
 * @since 0.1.0
 */
public final class AlertCenter {

  /** Open alerts kept by default. */
  public static final int DEFAULT_CAPACITY = 1000;
  /** De-duplication keys remembered by default. */
  public static final long DEFAULT_KEY_MEMORY = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(AlertCenter.class);

  private final Clock clock;
  private final Map<AlertKind, Duration> periods;
  private final List<AlertListener> listeners;
  private final Cache<String, Duration> raised;
  private final LinkedHashMap<String, Alert> open;

  private AlertCenter(Builder builder) {
    this.clock = builder.clock;
    this.periods = new EnumMap<>(builder.periods);
    this.listeners = List.copyOf(builder.listeners);
    Clock time = builder.clock;
    this.raised = Caffeine.newBuilder()
        .maximumSize(builder.keyMemory)
        .ticker(() -> {
          Instant now = time.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        })
        .expireAfter(new Expiry<String, Duration>() {
          @Override
          public long expireAfterCreate(String key, Duration period, long currentTime) {
            return period.toNanos();
          }

          @Override
          public long expireAfterUpdate(String key, Duration period, long currentTime, long currentDuration) {
            return currentDuration;
          }

          @Override
          public long expireAfterRead(String key, Duration period, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .build();
    int capacity = builder.capacity;
    this.open = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Alert> eldest) {
        return size() > capacity;
      }
    };
  }

  /** @return a builder with the defaults: SLA and security alerts once an hour and per 15 minutes, quota once a day */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Raises an alert unless one with the same key was raised within its kind's period.
   *
   * @param kind what it is about
   * @param severity how urgent it is
   * @param tenant the tenant it concerns, or {@code null} for the platform
   * @param key the de-duplication key, e.g. {@code "sla:<tenant>"}
   * @param message what happened, for an operator; never another tenant's data
   * @return the new alert, or empty when the key was already raised in the period
   */
  public Optional<Alert> raise(AlertKind kind, AlertSeverity severity, @Nullable TenantId tenant, String key,
      String message) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
    if (raised.asMap().putIfAbsent(key, periods.get(kind)) != null) {
      return Optional.empty();
    }
    Alert alert = new Alert(UUID.randomUUID().toString(), tenant, kind, severity, key, message, clock.instant());
    synchronized (open) {
      open.put(alert.id(), alert);
    }
    for (AlertListener listener : listeners) {
      try {
        listener.onAlert(alert);
      } catch (RuntimeException e) {
        LOG.warn("Alert listener {} failed on {}; ignored", listener, alert, e);
      }
    }
    return Optional.of(alert);
  }

  /** @return the open alerts, newest first */
  public List<Alert> open() {
    List<Alert> result;
    synchronized (open) {
      result = new ArrayList<>(open.values());
    }
    Collections.reverse(result);
    return List.copyOf(result);
  }

  /**
   * The open alerts of one tenant.
   *
   * @param tenant the tenant
   * @return its open alerts, newest first
   */
  public List<Alert> open(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return open().stream().filter(a -> tenant.equals(a.tenant())).toList();
  }

  /**
   * Finds an open alert.
   *
   * @param id the alert's id
   * @return the alert, if it is open
   */
  public Optional<Alert> find(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (open) {
      return Optional.ofNullable(open.get(id));
    }
  }

  /**
   * Resolves an open alert. Its key stays raised until its period ends, so the same condition does not re-open it
   * at once.
   *
   * @param id the alert's id
   * @return whether it was open
   */
  public boolean resolve(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (open) {
      return open.remove(id) != null;
    }
  }

  /**
   * A listener to give {@code QuotaManager.Builder.listener}: each quota threshold becomes a {@link AlertKind#QUOTA}
   * alert (80 % info, 90 % warning, 100 % critical), keyed by tenant, resource, threshold and month.
   *
   * @return the bridge
   */
  public QuotaAlertListener quotaAlertListener() {
    return this::onQuotaAlert;
  }

  private void onQuotaAlert(QuotaAlert alert) {
    AlertSeverity severity = alert.thresholdPercent() >= 100 ? AlertSeverity.CRITICAL
        : alert.thresholdPercent() >= 90 ? AlertSeverity.WARNING : AlertSeverity.INFO;
    String resource = alert.resource().limit().key();
    String key = "quota:" + alert.tenant() + ":" + resource + ":" + alert.thresholdPercent() + ":" + alert.period();
    String message = "Tenant '" + alert.slug() + "' reached " + alert.thresholdPercent() + " % of " + resource + " ("
        + alert.used() + " of " + alert.limit() + ") in " + alert.period();
    raise(AlertKind.QUOTA, severity, alert.tenant(), key, message);
  }

  @Override
  public String toString() {
    synchronized (open) {
      return "AlertCenter[open=" + open.size() + "]";
    }
  }

  /** Configures an {@link AlertCenter}. */
  public static final class Builder {

    private Clock clock = Clock.systemUTC();
    private final Map<AlertKind, Duration> periods = new EnumMap<>(Map.of(
        AlertKind.QUOTA, Duration.ofDays(1),
        AlertKind.SLA, Duration.ofHours(1),
        AlertKind.SECURITY, Duration.ofMinutes(15)));
    private final List<AlertListener> listeners = new ArrayList<>();
    private int capacity = DEFAULT_CAPACITY;
    private long keyMemory = DEFAULT_KEY_MEMORY;

    private Builder() {
    }

    /**
     * @param clock the clock for {@link Alert#raisedAt()} and the periods
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a raised key stays quiet for one kind.
     *
     * @param kind the kind
     * @param period at least one second
     * @return this builder
     * @throws IllegalArgumentException if the period is shorter than a second
     */
    public Builder period(AlertKind kind, Duration period) {
      Objects.requireNonNull(kind, "kind");
      if (Objects.requireNonNull(period, "period").compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("an alert period must be at least one second, was " + period);
      }
      periods.put(kind, period);
      return this;
    }

    /**
     * @param listener hears every alert raised
     * @return this builder
     */
    public Builder listener(AlertListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @param capacity open alerts kept; the oldest make room (at least 1)
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * @param keys de-duplication keys remembered at most (at least 1)
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder keyMemory(long keys) {
      if (keys < 1) {
        throw new IllegalArgumentException("keyMemory must be at least 1, was " + keys);
      }
      this.keyMemory = keys;
      return this;
    }

    /** @return the center */
    public AlertCenter build() {
      return new AlertCenter(this);
    }
  }
}
