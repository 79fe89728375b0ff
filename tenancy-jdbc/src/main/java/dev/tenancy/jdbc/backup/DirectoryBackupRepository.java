package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantId;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Archives as files: {@code <root>/<tenant id>/<backup id>.zip}, written to a hidden temporary file, forced to disk
 * and renamed into place, so a crash never leaves a half-written archive under a backup id.
 */
final class DirectoryBackupRepository implements BackupRepository {

  private static final String SUFFIX = ".zip";

  private final Path root;

  DirectoryBackupRepository(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /** The archive's path; refuses ids that could name anything outside the tenant's directory. */
  private Path archive(TenantId tenant, String backupId) {
    BackupIds.require(backupId);
    Path directory = root.resolve(tenant.toString());
    Path file = directory.resolve(backupId + SUFFIX).normalize();
    if (!file.getParent().equals(directory)) {
      throw new IllegalArgumentException("backup id '" + backupId + "' leaves the tenant's directory");
    }
    return file;
  }

  @Override
  public NewArchive create(TenantId tenant, String backupId) throws IOException {
    Path target = archive(tenant, backupId);
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path temporary = target.resolveSibling("." + backupId + "." + UUID.randomUUID() + ".partial");
    FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new FileArchive(channel, temporary, target);
  }

  @Override
  public InputStream open(TenantId tenant, String backupId) throws IOException {
    Path file;
    try {
      file = archive(tenant, backupId);
    } catch (IllegalArgumentException invalid) {
      throw new NoSuchFileException(backupId, null, invalid.getMessage());
    }
    return Files.newInputStream(file);
  }

  @Override
  public List<String> list(TenantId tenant) throws IOException {
    Path directory = root.resolve(tenant.toString());
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return ids;
    }
    try (Stream<Path> files = Files.list(directory)) {
      files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(SUFFIX))
          .map(name -> name.substring(0, name.length() - SUFFIX.length()))
          .filter(BackupIds::isValid)
          .forEach(ids::add);
    }
    return ids;
  }

  @Override
  public boolean delete(TenantId tenant, String backupId) throws IOException {
    return Files.deleteIfExists(archive(tenant, backupId));
  }

  @Override
  public String toString() {
    return "DirectoryBackupRepository[" + root + "]";
  }

  private static final class FileArchive implements NewArchive {
    private final FileChannel channel;
    private final Path temporary;
    private final Path target;
    private final OutputStream stream;
    private boolean published;
    private boolean closed;

    FileArchive(FileChannel channel, Path temporary, Path target) {
      this.channel = channel;
      this.temporary = temporary;
      this.target = target;
      // Closing the caller's (zip) stream must not close the channel before publish() forces it to disk.
      this.stream = new FilterOutputStream(Channels.newOutputStream(channel)) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public void publish() throws IOException {
      try {
        channel.force(true);
        channel.close();
        try {
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, target);
        }
        published = true;
      } finally {
        if (!published) {
          close();
        }
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      channel.close();
      if (!published) {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
