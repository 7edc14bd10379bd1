package dev.retort.core.data;

import dev.retort.core.text.LengthBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Turns an {@link EncodedDataset} into padded batches, deterministically from a seed.
 *
 * <p>Orders ({@link BatchOrder}):
 *
 * <ul>
 *   <li>{@code FIXED_BATCHES}: once per data set, the examples are shuffled with {@code
 *       SeededRandom.of(seed)}; the first {@code N - N mod b} are cut into chunks of {@code
 *       chunkBatches * b}, each chunk is sorted by real length (stable), and the list is cut into
 *       batches of b (the last {@code N mod b} shuffled examples form the partial batch). Epoch e
 *       visits the batches in the order {@code SeededRandom.of(seed, e).permutation(numBatches)}.
 *   <li>{@code RESHUFFLE_EACH_EPOCH}: epoch e cuts {@code SeededRandom.of(seed, e).permutation(N)}
 *       into batches of b.
 *   <li>{@code SEQUENTIAL}: examples 0..N-1 in order, every epoch.
 * </ul>
 *
 * <p>With drop-last, a final batch smaller than b is left out; otherwise it is kept. Each batch is
 * padded to the smallest bucket that holds its longest example. Every batch is a pure function of
 * (seed, epoch, index), which is what resuming from a {@link BatchPosition} relies on. Not
 * thread-safe (it caches the current epoch's order).
 */
public final class Batcher {
  private final EncodedDataset data;
  private final int batchSize;
  private final LengthBuckets buckets;
  private final BatchOrder order;
  private final long seed;
  private final boolean dropLast;
  private final int[][] fixedBatches;
  private final int batchesPerEpoch;

  private int cachedEpoch = -1;
  private int[] cachedOrder;

  private Batcher(Builder b) {
    this.data = b.data;
    this.batchSize = b.batchSize;
    this.buckets = b.buckets != null ? b.buckets : LengthBuckets.standard(maxLength(b.data));
    this.order = b.order;
    this.seed = b.seed;
    this.dropLast = b.dropLast;
    if (maxLength(data) > buckets.maxLength()) {
      throw new IllegalArgumentException(
          data.name()
              + " has an example of length "
              + maxLength(data)
              + " above the largest bucket "
              + buckets.maxLength());
    }
    int n = data.size();
    this.batchesPerEpoch = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    this.fixedBatches =
        order == BatchOrder.FIXED_BATCHES ? cut(lengthGrouped(b.chunkBatches)) : null;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  private static int maxLength(EncodedDataset data) {
    int max = 1;
    for (int i = 0; i < data.size(); i++) {
      max = Math.max(max, data.length(i));
    }
    return max;
  }

  /** Returns the number of batches in each epoch. */
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /** Returns the data set. */
  public EncodedDataset data() {
    return data;
  }

  /**
   * Returns the batch at a position.
   *
   * @param position the position; its index must be below {@link #batchesPerEpoch()}
   * @return the batch
   */
  public Batch batch(BatchPosition position) {
    return batch(position.epoch(), position.index());
  }

  /**
   * Returns batch {@code index} of epoch {@code epoch}.
   *
   * @param epoch the epoch, from 0
   * @param index the index within the epoch, from 0
   * @return the batch
   */
  public Batch batch(int epoch, int index) {
    if (index < 0 || index >= batchesPerEpoch || epoch < 0) {
      throw new IndexOutOfBoundsException(
          "batch " + index + " of epoch " + epoch + "; an epoch has " + batchesPerEpoch);
    }
    int[] indices = indices(epoch, index);
    int longest = 0;
    for (int i : indices) {
      longest = Math.max(longest, data.length(i));
    }
    return Batch.assemble(data, indices, buckets.bucketFor(longest), epoch, index);
  }

  /**
   * Returns the example indices of a batch, without building it.
   *
   * @param epoch the epoch
   * @param index the index within the epoch
   * @return the example indices // [B]
   */
  public int[] indices(int epoch, int index) {
    switch (order) {
      case FIXED_BATCHES:
        return fixedBatches[epochOrder(epoch)[index]].clone();
      case RESHUFFLE_EACH_EPOCH:
        return slice(epochOrder(epoch), index);
      default:
        int start = index * batchSize;
        int end = Math.min(start + batchSize, data.size());
        int[] out = new int[end - start];
        for (int i = 0; i < out.length; i++) {
          out[i] = start + i;
        }
        return out;
    }
  }

  /**
   * Iterates over the batches of one epoch.
   *
   * @param epoch the epoch
   * @return the batches in order
   */
  public Iterable<Batch> epoch(int epoch) {
    return from(new BatchPosition(epoch, 0), batchesPerEpoch);
  }

  /**
   * Iterates over {@code count} batches from a position, crossing epoch boundaries.
   *
   * @param start the first position
   * @param count the number of batches
   * @return the batches
   */
  public Iterable<Batch> from(BatchPosition start, long count) {
    return () ->
        new Iterator<>() {
          private BatchPosition next = start;
          private long left = count;

          @Override
          public boolean hasNext() {
            return left > 0 && batchesPerEpoch > 0;
          }

          @Override
          public Batch next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Batch b = batch(next);
            next = next.next(batchesPerEpoch);
            left--;
            return b;
          }
        };
  }

  private int[] epochOrder(int epoch) {
    if (epoch != cachedEpoch) {
      int n = order == BatchOrder.FIXED_BATCHES ? fixedBatches.length : data.size();
      cachedOrder = SeededRandom.of(seed, epoch).permutation(n);
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }

  private int[] slice(int[] flat, int index) {
    int start = index * batchSize;
    return Arrays.copyOfRange(flat, start, Math.min(start + batchSize, flat.length));
  }

  /**
   * Shuffles once, then sorts by length (stably) within chunks of whole batches. The {@code N mod
   * b} examples left over for the partial batch are the last ones of the shuffle, not sorted, so
   * that drop-last removes random examples rather than the longest.
   */
  private int[] lengthGrouped(int chunkBatches) {
    int[] perm = SeededRandom.of(seed).permutation(data.size());
    int full = data.size() - data.size() % batchSize;
    int chunk = chunkBatches * batchSize;
    Integer[] boxed = Arrays.stream(perm).boxed().toArray(Integer[]::new);
    for (int start = 0; start < full; start += chunk) {
      int end = Math.min(start + chunk, full);
      Arrays.sort(boxed, start, end, Comparator.comparingInt(data::length));
    }
    return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
  }

  private int[][] cut(int[] flat) {
    List<int[]> batches = new ArrayList<>();
    for (int index = 0; index < batchesPerEpoch; index++) {
      batches.add(slice(flat, index));
    }
    return batches.toArray(new int[0][]);
  }

  /** Builds a {@link Batcher}. */
  public static final class Builder {
    private EncodedDataset data;
    private int batchSize;
    private LengthBuckets buckets;
    private BatchOrder order = BatchOrder.FIXED_BATCHES;
    private long seed = 42;
    private boolean dropLast;
    private int chunkBatches = 50;

    private Builder() {}

    /**
     * Sets the encoded data set (required).
     *
     * @param data the data
     * @return this builder
     */
    public Builder setData(EncodedDataset data) {
      this.data = data;
      return this;
    }

    /**
     * Sets the batch size B (required).
     *
     * @param batchSize B, at least 1
     * @return this builder
     */
    public Builder setBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Sets the length buckets (default {@link LengthBuckets#standard} of the longest example).
     *
     * @param buckets the buckets
     * @return this builder
     */
    public Builder optBuckets(LengthBuckets buckets) {
      this.buckets = buckets;
      return this;
    }

    /**
     * Sets the order (default {@link BatchOrder#FIXED_BATCHES}).
     *
     * @param order the order
     * @return this builder
     */
    public Builder optOrder(BatchOrder order) {
      this.order = order;
      return this;
    }

    /**
     * Sets the seed (default 42).
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets whether a final partial batch is dropped (default false).
     *
     * @param dropLast whether to drop it
     * @return this builder
     */
    public Builder optDropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    /**
     * Sets how many batches make one length-sorting chunk in {@code FIXED_BATCHES} (default 50).
     *
     * @param chunkBatches the chunk size in batches, at least 1
     * @return this builder
     */
    public Builder optChunkBatches(int chunkBatches) {
      this.chunkBatches = chunkBatches;
      return this;
    }

    /**
     * Builds the batcher.
     *
     * @return the batcher
     */
    public Batcher build() {
      if (data == null) {
        throw new IllegalArgumentException("You must specify the data (setData).");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException(
            "batchSize must be >= 1 (setBatchSize), got " + batchSize);
      }
      if (chunkBatches < 1) {
        throw new IllegalArgumentException("chunkBatches must be >= 1, got " + chunkBatches);
      }
      return new Batcher(this);
    }
  }
}
