package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Where backup archives are kept, per tenant. {@link #directory(java.nio.file.Path)} keeps them as files; implement
 * this interface for object storage. Implementations must publish an archive atomically (a half-written archive is
 * never listed or opened) and must treat ids as opaque names within the tenant's space — {@link JdbcTenantBackups}
 * passes only ids it generated or validated ({@code [A-Za-z0-9][A-Za-z0-9._-]*}, no {@code ..}).
 *
 * <p>The repository needs no integrity of its own: every archive is verified when read (SHA-256 per file, and with a
 * {@link BackupKey} an HMAC over the manifest). It should still be private — archives hold the tenant's data in
 * clear, except columns the application encrypted.
 *
 * @since 0.1.0
 */
public interface BackupRepository {

  /**
   * A directory holding {@code <tenant id>/<backup id>.zip}.
   *
   * @param root the directory; created if missing
   * @return the repository
   */
  static BackupRepository directory(java.nio.file.Path root) {
    return new DirectoryBackupRepository(root);
  }

  /**
   * Starts a new archive.
   *
   * @param tenant the tenant
   * @param backupId a new id
   * @return the archive being written; invisible until {@link NewArchive#publish()}
   * @throws IOException if it cannot be created, or the id exists
   */
  NewArchive create(TenantId tenant, String backupId) throws IOException;

  /**
   * Opens an archive for reading.
   *
   * @param tenant the tenant
   * @param backupId the id
   * @return its bytes
   * @throws NoSuchFileException if the tenant has no such archive
   * @throws IOException if it cannot be read
   */
  InputStream open(TenantId tenant, String backupId) throws IOException;

  /**
   * @param tenant the tenant
   * @return the ids of its published archives, in no particular order
   * @throws IOException if they cannot be listed
   */
  List<String> list(TenantId tenant) throws IOException;

  /**
   * Deletes an archive.
   *
   * @param tenant the tenant
   * @param backupId the id
   * @return whether it existed
   * @throws IOException if it cannot be deleted
   */
  boolean delete(TenantId tenant, String backupId) throws IOException;

  /** An archive being written: {@link #close()} without {@link #publish()} discards it. */
  interface NewArchive extends AutoCloseable {

    /** @return where to write the archive's bytes; closing it does not publish */
    OutputStream stream();

    /**
     * Makes the archive visible under its id, atomically.
     *
     * @throws IOException if that fails; the archive is then discarded
     */
    void publish() throws IOException;

    /** Discards the archive unless it was published. */
    @Override
    void close() throws IOException;
  }
}
