package dev.tenancy.core.audit;

import dev.tenancy.core.spi.AuditSink;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Passes every call to another sink; tests override what they make slow or failing. */
class ForwardingAuditSink implements AuditSink {

  final AuditSink delegate;

  ForwardingAuditSink(AuditSink delegate) {
    this.delegate = delegate;
  }

  @Override
  public void append(List<AuditRecord> records) {
    delegate.append(records);
  }

  @Override
  public Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
    return delegate.read(chain, fromSequence, toSequence);
  }

  @Override
  public Optional<AuditRecord> last(String chain) {
    return delegate.last(chain);
  }

  @Override
  public Set<String> chains() {
    return delegate.chains();
  }

  @Override
  public long deleteBefore(String chain, long beforeSequence) {
    return delegate.deleteBefore(chain, beforeSequence);
  }

  @Override
  public long erase(String chain) {
    return delegate.erase(chain);
  }
}
