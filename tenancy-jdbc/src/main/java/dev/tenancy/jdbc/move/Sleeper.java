package dev.tenancy.jdbc.move;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** How the mover waits out the drain period and the directory's propagation delay; replaced in tests. */
@FunctionalInterface
interface Sleeper {

  /** Sleeps on the calling thread. */
  Sleeper THREAD = duration -> TimeUnit.NANOSECONDS.sleep(duration.toNanos());

  /**
   * @param duration how long, positive
   * @throws InterruptedException if the thread is interrupted meanwhile
   */
  void sleep(Duration duration) throws InterruptedException;
}
