package dev.tenancy.jdbc.move;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.jdbc.InMemoryShardDirectory;
import dev.tenancy.jdbc.spi.MutableShardDirectory;
import org.junit.jupiter.api.Test;

/** {@link InMemoryShardDirectory} as a {@link MutableShardDirectory}. */
class InMemoryShardDirectoryTest extends MutableShardDirectoryContract {

  @Override
  protected MutableShardDirectory directory() {
    return new InMemoryShardDirectory();
  }

  @Override
  protected void place(MutableShardDirectory directory, TenantId tenant, String shard) {
    ((InMemoryShardDirectory) directory).assign(tenant, shard);
  }

  @Test
  void propagationDelay_isZero_becauseEveryReaderSharesTheMap() {
    assertThat(directory().propagationDelay()).isZero();
  }
}
