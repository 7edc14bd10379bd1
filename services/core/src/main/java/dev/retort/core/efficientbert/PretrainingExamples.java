package dev.retort.core.efficientbert;

import dev.retort.core.RetortException;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.data.SeededRandom;
import dev.retort.core.data.TaskType;
import dev.retort.core.text.EncodedExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a {@link PlainTextCorpus} into pre-training inputs the way BERT's pre-training data
 * generator does (reference {@code create_data.py}, {@code create_instances_from_document}),
 * without masking (EfficientBERT pre-generates with {@code max_predictions_per_seq 0}).
 *
 * <p>Per document, sentences are gathered until they reach a target length ({@code maxLength - 3}
 * for pairs, {@code maxLength - 2} for single sequences; with probability {@code shortSeqProb} a
 * random length in 2..that). A gathered chunk becomes:
 *
 * <ul>
 *   <li>pairs: {@code [CLS] A [SEP] B [SEP]}, A the first {@code a} sentences (a random in 1..n-1),
 *       B the rest; or, with probability {@code randomNextProb} (always when the chunk is one
 *       sentence), B is taken from a random other document (chosen in proportion to its sentence
 *       count) from a random sentence on, and the unused sentences go back to the document. The
 *       pair is cut by {@link PairTruncation} (longest side first, from the end; the reference cuts
 *       randomly from the front or the end);
 *   <li>single sequences: {@code [CLS] chunk [SEP]}, cut to its first {@code maxLength - 2} word
 *       pieces.
 * </ul>
 *
 * <p>Everything random comes from {@link SeededRandom} keyed by (seed, epoch), and the examples of
 * an epoch are returned in a seeded shuffled order, so an epoch is reproducible on any JVM.
 */
public final class PretrainingExamples {
  private final PlainTextCorpus corpus;
  private final int maxLength;
  private final boolean pairs;
  private final double shortSeqProb;
  private final double randomNextProb;
  private final long seed;
  private final int[] firstSentence; // [documents + 1], running sentence counts

  private PretrainingExamples(Builder b) {
    this.corpus = b.corpus;
    this.maxLength = b.maxLength;
    this.pairs = b.pairs;
    this.shortSeqProb = b.shortSeqProb;
    this.randomNextProb = b.randomNextProb;
    this.seed = b.seed;
    List<List<int[]>> docs = corpus.documents();
    this.firstSentence = new int[docs.size() + 1];
    for (int d = 0; d < docs.size(); d++) {
      firstSentence[d + 1] = firstSentence[d] + docs.get(d).size();
    }
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Generates one data epoch.
   *
   * @param epoch the data epoch; different epochs draw different chunks, pairs and orders
   * @return the examples in seeded shuffled order, each at most {@code maxLength} tokens
   */
  public List<EncodedExample> generate(int epoch) {
    SeededRandom rnd = SeededRandom.of(seed, epoch);
    List<EncodedExample> out = new ArrayList<>();
    List<List<int[]>> docs = corpus.documents();
    for (int d = 0; d < docs.size(); d++) {
      fromDocument(d, rnd, out);
    }
    rnd.shuffle(out);
    return List.copyOf(out);
  }

  /**
   * Generates one data epoch as an unlabelled data set (labels -1, domain 0) for the batcher.
   *
   * @param epoch the data epoch
   * @return the data set, in the order of {@link #generate(int)}
   */
  public EncodedDataset toDataset(int epoch) {
    List<EncodedExample> inputs = generate(epoch);
    int n = inputs.size();
    int[] labels = new int[n];
    Arrays.fill(labels, -1);
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add("pretrain-" + epoch + "-" + i);
    }
    return new EncodedDataset(
        corpus.source(),
        TaskType.CLASSIFICATION,
        inputs,
        labels,
        null,
        new int[n],
        ids,
        corpus.specialTokens().pad());
  }

  private void fromDocument(int docIndex, SeededRandom rnd, List<EncodedExample> out) {
    List<int[]> doc = corpus.documents().get(docIndex);
    int budget = pairs ? maxLength - 3 : maxLength - 2;
    int target = budget;
    if (rnd.nextDouble() < shortSeqProb) {
      target = 2 + rnd.nextInt(Math.max(budget - 1, 1)); // uniform in 2..budget
    }
    List<int[]> chunk = new ArrayList<>();
    int length = 0;
    for (int i = 0; i < doc.size(); i++) {
      chunk.add(doc.get(i));
      length += doc.get(i).length;
      if (i == doc.size() - 1 || length >= target) {
        if (pairs) {
          i -= addPair(docIndex, chunk, target, rnd, out);
        } else {
          out.add(
              TokenSequences.single(
                  corpus.specialTokens(),
                  TokenSequences.concat(chunk, 0, chunk.size()),
                  maxLength));
        }
        chunk.clear();
        length = 0;
      }
    }
  }

  /** Adds one pair; returns how many sentences of the chunk went unused (to be re-read). */
  private int addPair(
      int docIndex, List<int[]> chunk, int target, SeededRandom rnd, List<EncodedExample> out) {
    int aEnd = chunk.size() >= 2 ? 1 + rnd.nextInt(chunk.size() - 1) : 1;
    int[] a = TokenSequences.concat(chunk, 0, aEnd);
    int[] b;
    int unused = 0;
    if (chunk.size() == 1 || rnd.nextDouble() < randomNextProb) {
      b = randomNext(docIndex, target - a.length, rnd);
      unused = chunk.size() - aEnd;
    } else {
      b = TokenSequences.concat(chunk, aEnd, chunk.size());
    }
    out.add(TokenSequences.pair(corpus.specialTokens(), a, b, maxLength));
    return unused;
  }

  /** Takes sentences of another document, from a random one on, until {@code want} tokens. */
  private int[] randomNext(int docIndex, int want, SeededRandom rnd) {
    List<List<int[]>> docs = corpus.documents();
    int own = docs.get(docIndex).size();
    // A uniform sentence outside this document; its document is chosen in proportion to size.
    int pick = rnd.nextInt(firstSentence[docs.size()] - own);
    if (pick >= firstSentence[docIndex]) {
      pick += own;
    }
    int found = Arrays.binarySearch(firstSentence, 0, docs.size(), pick);
    List<int[]> doc = docs.get(found >= 0 ? found : -found - 2);
    int start = rnd.nextInt(doc.size());
    int end = start;
    int length = 0;
    while (end < doc.size() && (end == start || length < want)) {
      length += doc.get(end++).length;
    }
    return TokenSequences.concat(doc, start, end);
  }

  /** Builds {@link PretrainingExamples}; {@code setCorpus} is required. */
  public static final class Builder {
    private PlainTextCorpus corpus;
    private int maxLength = 128;
    private boolean pairs = true;
    private double shortSeqProb = 0.1;
    private double randomNextProb = 0.5;
    private long seed = 42;

    private Builder() {}

    /** Sets the corpus (required). */
    public Builder setCorpus(PlainTextCorpus corpus) {
      this.corpus = corpus;
      return this;
    }

    /** Sets the maximum length including special tokens (default 128, at least 5). */
    public Builder optMaxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /** Sets whether to build sentence pairs (default) or single sequences. */
    public Builder optPairs(boolean pairs) {
      this.pairs = pairs;
      return this;
    }

    /** Sets the probability of a shorter random target length (default 0.1). */
    public Builder optShortSeqProb(double p) {
      this.shortSeqProb = p;
      return this;
    }

    /** Sets the probability that B comes from another document (default 0.5). */
    public Builder optRandomNextProb(double p) {
      this.randomNextProb = p;
      return this;
    }

    /** Sets the seed (default 42). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds and validates.
     *
     * @return the generator
     * @throws RetortException if the corpus is missing, a value is out of range, or pairs are asked
     *     of a corpus with a single document
     */
    public PretrainingExamples build() {
      if (corpus == null) {
        throw new RetortException(
            "pre-training examples", "no corpus was given", "You must call setCorpus");
      }
      if (maxLength < 5) {
        throw new RetortException(
            "pre-training max length", "must be at least 5, got " + maxLength, "Use e.g. 128");
      }
      if (!(shortSeqProb >= 0 && shortSeqProb <= 1 && randomNextProb >= 0 && randomNextProb <= 1)) {
        throw new RetortException(
            "pre-training probabilities",
            "short_seq_prob "
                + shortSeqProb
                + " and random-next "
                + randomNextProb
                + " must be in [0, 1]",
            "Use the defaults 0.1 and 0.5");
      }
      if (pairs && corpus.documents().size() < 2) {
        throw new RetortException(
            corpus.source(),
            "sentence pairs need at least two documents to draw random next sentences from",
            "Separate documents with blank lines, or use single sequences (optPairs(false))");
      }
      return new PretrainingExamples(this);
    }
  }
}
