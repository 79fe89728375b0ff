package dev.tenancy.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.TenantId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed in the middle of appending (SIGKILL: no shutdown hook, no close, perhaps mid-write) loses nothing
 * it had acknowledged: every record whose {@code append} had returned is there when the sink is reopened, and both
 * chains verify. An unfinished last line is cut off on reopening.
 */
class JsonLinesAuditSinkKillTest {

  @TempDir
  Path root;

  @Test
  void killedWhileAppending_everyAcknowledgedRecordSurvivesAndTheChainsVerify() throws Exception {
    Path directory = root.resolve("audit");
    TenantId tenant = TenantId.random();
    AtomicLong tenantAcked = new AtomicLong();
    AtomicLong platformAcked = new AtomicLong();
    AtomicLong acks = new AtomicLong();
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AppendingProcess.class.getName(), directory.toString(),
        tenant.toString())
        .redirectError(root.resolve("child.err").toFile())
        .start();
    Thread reader = new Thread(() -> readAcks(child, tenantAcked, platformAcked, acks), "child-stdout");
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> acks.get() >= 60 || !child.isAlive());
      assertThat(child.isAlive()).as("the child must still be appending; its stderr: %s",
          Files.readString(root.resolve("child.err"))).isTrue();
      assertThatThrownBy(() -> JsonLinesAuditSink.builder().directory(directory).build())
          .as("a second process must not write to the same directory")
          .isInstanceOf(AuditStorageException.class).hasMessageContaining("already in use");
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }

    try (JsonLinesAuditSink reopened = JsonLinesAuditSink.builder().directory(directory).build()) {
      AuditVerifier verifier = AuditVerifier.builder().key(AuditChains.KEY).build();
      assertIntactAndHolds(reopened, verifier, tenant.toString(), tenantAcked.get());
      assertIntactAndHolds(reopened, verifier, AuditRecord.PLATFORM_CHAIN, platformAcked.get());
      // The reopened chain can be continued where it ends.
      AuditRecord head = reopened.last(tenant.toString()).orElseThrow();
      reopened.append(AuditChains.chain(tenant, head, 5, AuditChains.KEY));
      assertThat(verifier.verify(reopened, tenant.toString()).isIntact()).isTrue();
    }
  }

  private static void assertIntactAndHolds(JsonLinesAuditSink sink, AuditVerifier verifier, String chain,
      long acknowledged) {
    assertThat(acknowledged).isPositive();
    AuditVerification result = verifier.verify(sink, chain);
    assertThat(result.isIntact()).as(result.detail()).isTrue();
    assertThat(result.lastSequence()).as("every acknowledged record of %s survives", chain)
        .isGreaterThanOrEqualTo(acknowledged);
    try (Stream<AuditRecord> records = sink.read(chain, 1, acknowledged)) {
      List<Long> sequences = records.map(AuditRecord::sequence).toList();
      assertThat(sequences).hasSize((int) acknowledged);
      assertThat(sequences.get(sequences.size() - 1)).isEqualTo(acknowledged);
    }
  }

  /** Reads the child's acknowledgements until its output ends (it was killed). */
  private static void readAcks(Process child, AtomicLong tenantAcked, AtomicLong platformAcked, AtomicLong acks) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        String[] parts = line.split(" ");
        if (parts.length == 3 && parts[0].equals("ack")) {
          tenantAcked.set(Long.parseLong(parts[1]));
          platformAcked.set(Long.parseLong(parts[2]));
          acks.incrementAndGet();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
