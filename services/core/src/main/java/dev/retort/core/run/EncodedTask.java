package dev.retort.core.run;

import dev.retort.core.data.Dataset;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.data.LabelMap;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.text.LengthBuckets;
import dev.retort.core.text.SequenceEncoder;
import dev.retort.core.text.WordPieceTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * How a job turns text into model inputs: its tokenizer, maximum length and length buckets, and
 * whether examples carry domain ids for multi-domain heads.
 *
 * @param encoder the sequence encoder (tokenizer and max length)
 * @param buckets the padded lengths batches use
 * @param domains the domain map of multi-domain heads, or null for a single head
 */
public record EncodedTask(SequenceEncoder encoder, LengthBuckets buckets, LabelMap domains) {

  /** Buckets of the methods whose losses do not depend on the padding, when the job sets none. */
  public static final List<Long> DEFAULT_BUCKETS = List.of(16L, 32L, 64L, 128L);

  /**
   * Builds the encoding of a job; without {@code task.buckets}, the padding follows {@link
   * Methods#positionLosses}.
   *
   * @param job the job
   * @param tokenizer the teacher's tokenizer
   * @param domains the head domains ({@code ["default"]} for one head)
   * @return the encoding
   */
  public static EncodedTask of(ConfigValues job, WordPieceTokenizer tokenizer, List<String> domains) {
    return of(job, tokenizer, domains, Methods.positionLosses(job));
  }

  /**
   * Builds the encoding of a job whose kind of losses the caller knows (an EfficientBERT search
   * or student: always per-position losses).
   *
   * @param job the job
   * @param tokenizer the teacher's tokenizer
   * @param domains the head domains ({@code ["default"]} for one head)
   * @param positionLosses whether the losses average over token positions: then, without {@code
   *     task.buckets}, every batch is padded to {@code task.max-length}, as the official code pads
   * @return the encoding
   */
  public static EncodedTask of(
      ConfigValues job, WordPieceTokenizer tokenizer, List<String> domains, boolean positionLosses) {
    int max = job.intValue("task.max-length");
    LengthBuckets buckets = LengthBuckets.of(max, paddedLengths(job, positionLosses));
    SequenceEncoder enc = SequenceEncoder.builder().setTokenizer(tokenizer).optMaxLength(max).build();
    return new EncodedTask(enc, buckets, domains.size() > 1 ? LabelMap.ofDomains(domains) : null);
  }

  /**
   * Returns the lengths a job's batches are padded to: {@code task.buckets} below {@code
   * task.max-length}, then the maximum itself; without {@code task.buckets}, the maximum alone when
   * the losses average over positions and {@link #DEFAULT_BUCKETS} otherwise.
   *
   * @param job the job
   * @param positionLosses whether the job's losses average over token positions
   * @return the padded lengths, ascending, ending at {@code task.max-length}
   */
  public static int[] paddedLengths(ConfigValues job, boolean positionLosses) {
    int max = job.intValue("task.max-length");
    List<Long> configured = job.integers("task.buckets");
    List<Long> ladder = configured != null ? configured : positionLosses ? List.of() : DEFAULT_BUCKETS;
    int[] sizes = ladder.stream().mapToInt(Long::intValue).filter(s -> s < max).toArray();
    int[] all = Arrays.copyOf(sizes, sizes.length + 1);
    all[sizes.length] = max;
    return all;
  }

  /** Encodes a split. */
  public EncodedDataset encode(Dataset data) {
    return EncodedDataset.encode(data, encoder, domains);
  }
}
