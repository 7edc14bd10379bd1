package dev.retort.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Computes the content digest of a directory from the files a writer would put into it, storing
 * nothing. {@link #of(Path)} computes the same digest from files on disk, so a directory written
 * from the same content has the digest computed before it was written.
 *
 * <pre>
 * digest = SHA-256( for each file in name order: name (UTF-8) · 0x00 · SHA-256(bytes) )
 * </pre>
 *
 * <p>Names are relative, with {@code /} between directories. {@link #over(FileSink)} writes the
 * files to another sink while digesting them. Not thread-safe.
 */
public final class DigestSink implements FileSink {
  private static final int BUFFER = 1 << 20;

  private final Map<String, byte[]> files = new TreeMap<>();
  private final FileSink inner;

  /** Creates a sink that stores nothing. */
  public DigestSink() {
    this(null);
  }

  private DigestSink(FileSink inner) {
    this.inner = inner;
  }

  /**
   * Returns a sink that passes every file on to {@code inner} and digests it on the way, so that a
   * directory is written and hashed in one pass.
   *
   * @param inner where the files go
   * @return the digesting sink
   */
  public static DigestSink over(FileSink inner) {
    return new DigestSink(java.util.Objects.requireNonNull(inner, "inner"));
  }

  /** {@inheritDoc} */
  @Override
  public void write(String name, Content content) throws IOException {
    MessageDigest md = sha256();
    if (inner == null) {
      content.writeTo(digesting(md, null));
    } else {
      inner.write(name, ch -> content.writeTo(digesting(md, ch)));
    }
    files.put(name, md.digest());
  }

  /** A channel that digests what is written and passes it on to {@code out}, if any. */
  private static WritableByteChannel digesting(MessageDigest md, WritableByteChannel out) {
    return new WritableByteChannel() {
      @Override
      public int write(ByteBuffer src) throws IOException {
        ByteBuffer seen = src.duplicate();
        int n;
        if (out == null) {
          n = src.remaining();
          src.position(src.limit());
        } else {
          n = out.write(src);
        }
        seen.limit(seen.position() + n);
        md.update(seen);
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Returns the digest of the files written so far.
   *
   * @return 64 hex digits
   */
  public String hex() {
    MessageDigest md = sha256();
    for (var e : files.entrySet()) {
      md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(e.getValue());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Returns the digest of the regular files under a directory.
   *
   * @param dir the directory
   * @return 64 hex digits
   * @throws IOException if a file cannot be read
   */
  public static String of(Path dir) throws IOException {
    List<Path> paths;
    try (Stream<Path> s = Files.walk(dir)) {
      paths = s.filter(Files::isRegularFile).toList();
    }
    DigestSink sink = new DigestSink();
    byte[] buffer = new byte[BUFFER];
    for (Path f : paths) {
      String name = dir.relativize(f).toString().replace('\\', '/');
      sink.write(
          name,
          ch -> {
            try (InputStream in = Files.newInputStream(f)) {
              for (int n; (n = in.read(buffer)) > 0; ) {
                FileSink.writeFully(ch, ByteBuffer.wrap(buffer, 0, n));
              }
            }
          });
    }
    return sink.hex();
  }

  /** {@inheritDoc} */
  @Override
  public String toString() {
    return inner == null ? "a SHA-256 digest (nothing stored)" : inner.toString();
  }

  /** {@inheritDoc} */
  @Override
  public boolean stores() {
    return inner != null;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
