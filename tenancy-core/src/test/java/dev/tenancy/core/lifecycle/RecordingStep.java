package dev.tenancy.core.lifecycle;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.spi.ProvisioningStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A step that writes "+name" / "-name" to a shared log and can be told to fail, or to crash with an {@link Error}. */
final class RecordingStep implements ProvisioningStep {

  /** What a crashed process looks like from inside: an Error nobody should catch. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("simulated crash");
    }
  }

  private final String name;
  private final List<String> log;
  final List<TenantId> tenantsInScope = Collections.synchronizedList(new ArrayList<>());
  volatile @Nullable Exception provisionFailure;
  volatile @Nullable Exception deprovisionFailure;
  volatile boolean crashOnProvision;

  RecordingStep(String name, List<String> log) {
    this.name = name;
    this.log = log;
  }

  /** {@code count} steps named s0, s1, ... sharing one log. */
  static List<RecordingStep> steps(int count, List<String> log) {
    List<RecordingStep> steps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      steps.add(new RecordingStep("s" + i, log));
    }
    return steps;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void provision(Tenant tenant) throws Exception {
    log.add("+" + name);
    tenantsInScope.add(TenantContext.require().id());
    if (crashOnProvision) {
      throw new SimulatedCrash();
    }
    Exception failure = provisionFailure;
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void deprovision(Tenant tenant) throws Exception {
    log.add("-" + name);
    tenantsInScope.add(TenantContext.require().id());
    Exception failure = deprovisionFailure;
    if (failure != null) {
      throw failure;
    }
  }

  long provisions() {
    return log.stream().filter(("+" + name)::equals).count();
  }
}
