package dev.retort.trainer.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive lock on a job's directory in the shared artifact store, held by the replica that
 * runs the job, so that a repeated request for the same job id that reaches another replica (a
 * resubmission while the job runs) does not run it a second time on the same files.
 *
 * <p>It is an operating-system file lock ({@code fcntl} on Linux, also on NFSv4): the system drops
 * it when the holding process dies, so a replica that takes over the request of a crashed one
 * acquires it and resumes the job. On NFS the server drops it only when the dead client's lease
 * expires (90 s by default), which can be after the consumer group has moved the job's request to
 * another replica; no process can break another's lock, so the request loop keeps a request whose
 * job is locked and tries it again until the lock is free.
 */
public final class JobLock implements AutoCloseable {
  /** The lock file in the job directory. */
  public static final String FILE = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  private JobLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock if no process holds it.
   *
   * @param jobDir the job's directory (created if missing)
   * @return the lock, or empty when another process (or another job thread here) holds it
   * @throws UncheckedIOException when the lock file cannot be opened
   */
  public static Optional<JobLock> tryAcquire(Path jobDir) {
    FileChannel ch = null;
    try {
      Files.createDirectories(jobDir);
      ch = FileChannel.open(jobDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      return Optional.of(new JobLock(ch, l));
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      return Optional.empty();
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot open the lock file of " + jobDir, e);
    }
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel below releases it too
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing held
      }
    }
  }
}
