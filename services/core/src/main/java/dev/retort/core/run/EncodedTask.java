package dev.retort.core.run;

import dev.retort.core.data.Dataset;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.data.LabelMap;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.text.LengthBuckets;
import dev.retort.core.text.SequenceEncoder;
import dev.retort.core.text.WordPieceTokenizer;
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

  /**
   * Builds the encoding of a job.
   *
   * @param job the job
   * @param tokenizer the teacher's tokenizer
   * @param domains the head domains ({@code ["default"]} for one head)
   * @return the encoding
   */
  public static EncodedTask of(ConfigValues job, WordPieceTokenizer tokenizer, List<String> domains) {
    int max = job.intValue("task.max-length");
    int[] sizes = job.integers("task.buckets").stream().mapToInt(Long::intValue).filter(s -> s < max).toArray();
    int[] all = java.util.Arrays.copyOf(sizes, sizes.length + 1);
    all[sizes.length] = max;
    LengthBuckets buckets = LengthBuckets.of(max, all);
    SequenceEncoder enc = SequenceEncoder.builder().setTokenizer(tokenizer).optMaxLength(max).build();
    return new EncodedTask(enc, buckets, domains.size() > 1 ? LabelMap.ofDomains(domains) : null);
  }

  /** Encodes a split. */
  public EncodedDataset encode(Dataset data) {
    return EncodedDataset.encode(data, encoder, domains);
  }
}
