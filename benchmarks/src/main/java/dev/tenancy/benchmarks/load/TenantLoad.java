package dev.tenancy.benchmarks.load;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one tenant sends during a run: its rate, its mix, the app instances its requests alternate between, and the
 * leads it may read (seeded, never deleted) or delete (created during the run).
 */
final class TenantLoad {

  private final String name;
  private final String group;
  private final String token;
  private final double rate;
  private final Mix mix;
  private final List<URI> targets;
  private final List<String> seedLeads;
  private final ConcurrentLinkedDeque<String> created = new ConcurrentLinkedDeque<>();
  private final AtomicLong sent = new AtomicLong();

  /**
   * @param rate requests per second, paced at a constant interval
   * @param targets the app instances; request k goes to {@code targets[k % size]}
   */
  TenantLoad(String name, String group, String token, double rate, Mix mix, List<URI> targets,
      List<String> seedLeads) {
    if (rate <= 0 || targets.isEmpty()) {
      throw new IllegalArgumentException("rate must be positive and targets non-empty");
    }
    this.name = Objects.requireNonNull(name, "name");
    this.group = group;
    this.token = token;
    this.rate = rate;
    this.mix = mix;
    this.targets = List.copyOf(targets);
    this.seedLeads = List.copyOf(seedLeads);
  }

  /** @return the same tenant at another rate, in another group (e.g. the noisy one) */
  TenantLoad with(String newGroup, double newRate) {
    return new TenantLoad(name, newGroup, token, newRate, mix, targets, seedLeads);
  }

  String name() {
    return name;
  }

  String group() {
    return group;
  }

  String token() {
    return token;
  }

  double rate() {
    return rate;
  }

  Mix mix() {
    return mix;
  }

  List<String> seedLeads() {
    return seedLeads;
  }

  ConcurrentLinkedDeque<String> created() {
    return created;
  }

  /** @return the index of the instance the next request goes to */
  int nextTarget() {
    return (int) (sent.getAndIncrement() % targets.size());
  }

  URI target(int index) {
    return targets.get(index);
  }
}
