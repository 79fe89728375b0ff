package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditChains.KEY;
import static dev.tenancy.core.audit.AuditChains.chain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditVerification.Problem;
import dev.tenancy.core.memory.InMemoryAuditSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints in a file: stored verbatim (signature included), durable across reopening, and tamper-evident. */
class FileAuditCheckpointStoreTest {

  @TempDir
  Path root;

  private final List<FileAuditCheckpointStore> opened = new ArrayList<>();
  private final TenantId tenant = TenantId.random();
  private final List<AuditRecord> records = chain(tenant, 6);

  @AfterEach
  void closeStores() {
    opened.forEach(FileAuditCheckpointStore::close);
  }

  private Path file() {
    return root.resolve("anchors").resolve("checkpoints.jsonl");
  }

  private FileAuditCheckpointStore open() {
    FileAuditCheckpointStore store = FileAuditCheckpointStore.builder().file(file()).build();
    opened.add(store);
    return store;
  }

  @Test
  void save_thenReopen_returnsTheSameSignedCheckpointsInSequenceOrder() {
    FileAuditCheckpointStore store = open();
    AuditCheckpoint at5 = AuditCheckpoint.of(records.get(4), Instant.parse("2026-11-27T10:00:00.123456789Z"), KEY);
    AuditCheckpoint at2 = AuditCheckpoint.of(records.get(1), Instant.parse("2026-11-27T09:00:00Z"), KEY);
    AuditCheckpoint platform = AuditCheckpoint.of(chain(null, 1).get(0), Instant.now(), null);
    store.save(at5);
    store.save(at2);
    store.save(platform);
    store.close();

    FileAuditCheckpointStore reopened = open();

    assertThat(reopened.checkpoints(tenant.toString())).containsExactly(at2, at5)
        .allSatisfy(checkpoint -> assertThat(checkpoint.signatureMatches(KEY)).isTrue());
    assertThat(reopened.latest(tenant.toString())).contains(at5);
    assertThat(reopened.checkpoints(AuditRecord.PLATFORM_CHAIN)).containsExactly(platform);
    assertThat(reopened.checkpoints(TenantId.random().toString())).isEmpty();
  }

  @Test
  void save_writesOneCanonicalLinePerCheckpoint() throws IOException {
    FileAuditCheckpointStore store = open();
    AuditCheckpoint checkpoint = AuditCheckpoint.of(records.get(2), Instant.parse("2026-11-27T10:00:00Z"), KEY);

    store.save(checkpoint);

    assertThat(Files.readString(file())).isEqualTo("{\"chain\":\"" + tenant + "\",\"createdAt\":"
        + "\"2026-11-27T10:00:00Z\",\"hash\":\"" + records.get(2).hash() + "\",\"sequence\":3,\"signature\":\""
        + checkpoint.signature() + "\"}\n");
  }

  @Test
  void editedCheckpoint_isForged() throws IOException {
    FileAuditCheckpointStore store = open();
    InMemoryAuditSink sink = new InMemoryAuditSink();
    sink.append(records);
    store.save(AuditCheckpoint.of(records.get(5), Instant.now(), KEY));
    store.close();
    // An attacker who cut the chain back to 4 also moves the checkpoint back to 4, to hide it.
    sink.tamper(tenant.toString(), stored -> new ArrayList<>(stored.subList(0, 4)));
    Files.writeString(file(), Files.readString(file()).replace("\"sequence\":6", "\"sequence\":4")
        .replace(records.get(5).hash(), records.get(3).hash()));

    AuditVerification result = AuditVerifier.builder().key(KEY).checkpoints(open()).build()
        .verify(sink, tenant.toString());

    assertThat(result.isIntact()).isFalse();
    assertThat(result.problem()).as(result.detail()).isEqualTo(Problem.CHECKPOINT_FORGED);
    assertThat(result.problemSequence()).isEqualTo(4);
  }

  @Test
  void erase_removesOnlyThatChainsCheckpoints_andSurvivesReopening() {
    FileAuditCheckpointStore store = open();
    TenantId other = TenantId.random();
    AuditCheckpoint kept = AuditCheckpoint.of(chain(other, 1).get(0), Instant.now(), KEY);
    store.save(AuditCheckpoint.of(records.get(1), Instant.now(), KEY));
    store.save(kept);
    store.save(AuditCheckpoint.of(records.get(3), Instant.now(), KEY));

    store.erase(tenant.toString());
    store.save(AuditCheckpoint.of(chain(other, 2).get(1), Instant.now(), KEY));

    assertThat(store.checkpoints(tenant.toString())).isEmpty();
    store.close();
    FileAuditCheckpointStore reopened = open();
    assertThat(reopened.checkpoints(tenant.toString())).isEmpty();
    assertThat(reopened.checkpoints(other.toString())).hasSize(2).startsWith(kept);
  }

  @Test
  void open_tornLastLine_isCutOff() throws IOException {
    FileAuditCheckpointStore store = open();
    AuditCheckpoint checkpoint = AuditCheckpoint.of(records.get(1), Instant.now(), KEY);
    store.save(checkpoint);
    store.close();
    long complete = Files.size(file());
    Files.writeString(file(), "{\"chain\":\"" + tenant + "\",\"createdAt\":", StandardOpenOption.APPEND);

    FileAuditCheckpointStore reopened = open();

    assertThat(reopened.checkpoints(tenant.toString())).containsExactly(checkpoint);
    assertThat(Files.size(file())).isEqualTo(complete);
  }

  @Test
  void open_lineThatIsNotACheckpoint_refusedNamingTheFile() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{\"chain\":\"x\"}\n", StandardCharsets.UTF_8);

    assertThatThrownBy(this::open).isInstanceOf(AuditStorageException.class)
        .hasMessageContaining(file().toString()).hasMessageContaining("restore it from a copy");
    open_afterTheFileIsRemoved_works();
  }

  private void open_afterTheFileIsRemoved_works() throws IOException {
    Files.delete(file());
    assertThat(open().checkpoints("x")).isEmpty();
  }

  @Test
  void open_fileHeldByAnotherStore_refused() {
    open();

    assertThatThrownBy(this::open).isInstanceOf(AuditStorageException.class).hasMessageContaining("already in use");
  }
}
