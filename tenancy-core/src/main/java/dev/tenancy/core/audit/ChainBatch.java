package dev.tenancy.core.audit;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One chain's part of a {@link JsonLinesAuditSink} append. */
final class ChainBatch {
  final String chain;
  final List<AuditRecord> records = new ArrayList<>();
  byte[] bytes = new byte[0];
  @Nullable ChainSegmentState state;
  @Nullable FileChannel newSegment;
  @Nullable Path newSegmentPath;
  boolean newDirectory;
  boolean appendedToCurrent;

  ChainBatch(String chain) {
    this.chain = chain;
  }

  void encode() {
    StringBuilder lines = new StringBuilder(records.size() * 640);
    for (AuditRecord record : records) {
      lines.append(AuditRecordCodec.toJson(record)).append('\n');
    }
    bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  ChainSegmentState state() {
    return Objects.requireNonNull(state, "state");
  }

  FileChannel target() {
    return newSegment != null ? newSegment : Objects.requireNonNull(state().channel, "channel");
  }

  /** Makes the written bytes part of the chain's state, once every file is forced. */
  void commit() {
    ChainSegmentState state = state();
    if (newSegment != null) {
      state.closeChannel();
      state.channel = newSegment;
      state.currentStart = records.get(0).sequence();
      state.currentSize = bytes.length;
    } else {
      state.currentSize += bytes.length;
    }
    state.lastSequence = records.get(records.size() - 1).sequence();
  }
}
