package dev.retort.teacher.inference;

/**
 * One padded batch as the trainer sent it. Arrays are shared; treat them as read-only.
 *
 * @param ids token ids // [B, L]
 * @param types segment ids // [B, L]
 * @param mask 1 real token, 0 padding // [B, L]
 */
public record BatchInput(int[][] ids, int[][] types, int[][] mask) {

  /** Returns B. */
  public int batchSize() {
    return ids.length;
  }

  /** Returns L, the padded length: the batch's bucket, not the job's maximum length. */
  public int length() {
    return ids.length == 0 ? 0 : ids[0].length;
  }
}
