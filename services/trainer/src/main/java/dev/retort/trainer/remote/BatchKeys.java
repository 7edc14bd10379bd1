package dev.retort.trainer.remote;

import dev.retort.core.data.Batch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Identities of teacher passes and batches. A pass is identified by a hash of everything that
 * must match for two jobs to share teacher outputs; a batch by a hash of its example indices, so
 * that the same examples in a later epoch, or in another job of the same pass, find the same
 * outputs.
 */
public final class BatchKeys {
  private BatchKeys() {}

  /**
   * What the trainer's outputs look like on the wire, beyond the pass key: scores trimmed to the
   * batch's last real key. Part of the pass id, so that a trainer that reads only untrimmed scores
   * (one from before the trimming) never shares a pass with one that asks for trimmed scores.
   */
  static final String WIRE_FORMAT = "scores trimmed to the last real key";

  /** Returns the pass id: 16 hex characters of SHA-256 of the pass key and {@link #WIRE_FORMAT}. */
  public static String passId(String passKey) {
    byte[] id = (passKey + "|" + WIRE_FORMAT).getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(sha256(id)).substring(0, 16);
  }

  /** Returns a stable non-negative 63-bit key of a batch's examples. */
  public static long batchKey(Batch batch) {
    ByteBuffer b = ByteBuffer.allocate(4 * batch.exampleIndices().length + 4);
    b.putInt(batch.length());
    for (int i : batch.exampleIndices()) {
      b.putInt(i);
    }
    return ByteBuffer.wrap(sha256(b.array())).getLong() & Long.MAX_VALUE;
  }

  /** Returns the Kafka key of a batch of a pass. */
  public static String key(String passId, long batchKey) {
    return passId + "/" + batchKey;
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
