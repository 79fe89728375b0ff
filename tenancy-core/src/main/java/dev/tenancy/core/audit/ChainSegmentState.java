package dev.tenancy.core.audit;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** A chain in use: its current (last) segment and last sequence, valid while its stripe is held. */
final class ChainSegmentState {
  final String chain;
  final Path directory;
  /** The current segment's first sequence (its name), or -1 if the chain has no segment. */
  long currentStart = -1;
  /** The current segment's size: everything up to it is complete lines, acknowledged or cut back. */
  long currentSize;
  /** The highest sequence stored, -1 until read from the last line. */
  long lastSequence = -1;
  @Nullable FileChannel channel;

  ChainSegmentState(String chain, Path directory) {
    this.chain = chain;
    this.directory = directory;
  }

  void closeChannel() {
    if (channel != null) {
      DurableFiles.closeQuietly(channel);
      channel = null;
    }
  }
}
