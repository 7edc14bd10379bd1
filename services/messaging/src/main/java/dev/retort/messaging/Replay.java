package dev.retort.messaging;

import java.util.Objects;

/**
 * The outcome of reading a message back by its offset ({@link ChunkFetcher}).
 *
 * @param status found, gone (deleted by retention: compute it again) or failed
 * @param value the whole value when found; empty otherwise (not copied: do not modify)
 * @param reason why it is gone or failed; empty when found
 */
public record Replay(Status status, byte[] value, String reason) {
  private static final byte[] NONE = new byte[0];

  /** What a replay found. */
  public enum Status {
    /** The whole message was read and its checksum matches. */
    FOUND,
    /** The offset is no longer in the log: retention deleted it. The caller recomputes. */
    GONE,
    /** The message could not be read: timeout, a wrong location, missing or corrupted chunks. */
    FAILED
  }

  /** Checks the fields. */
  public Replay {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(reason, "reason");
  }

  /** Returns a success. */
  static Replay found(byte[] value) {
    return new Replay(Status.FOUND, value, "");
  }

  /** Returns a replay of a deleted offset. */
  static Replay gone(String reason) {
    return new Replay(Status.GONE, NONE, reason);
  }

  /** Returns a failed replay. */
  static Replay failed(String reason) {
    return new Replay(Status.FAILED, NONE, reason);
  }

  /** Returns whether the value was found. */
  public boolean isFound() {
    return status == Status.FOUND;
  }
}
