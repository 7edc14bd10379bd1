package dev.retort.core.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.RetortException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a small <b>synthetic</b> multi-domain sentiment data set, deterministic from a seed.
 *
 * <p>The data are made up: short product reviews generated from templates by {@link SampleReviews}
 * with the word lists of {@link SampleLexicon} (real English words only). They are meant for demos,
 * smoke tests and end-to-end checks of the distillation pipeline, not for reporting results about
 * any method. The design, fixed once and not tuned toward any outcome:
 *
 * <ul>
 *   <li>domains {@code books, electronics, kitchen, movies} by default, each with its own nouns,
 *       adjectives, phrases and filler; a few adjectives change polarity between domains;
 *   <li>three labels {@code negative, neutral, positive} from the review's latent score s: positive
 *       if {@code s >= 1}, negative if {@code s <= -1}, neutral otherwise;
 *   <li>sentiment words of varying strength, intensifiers and downtoners, shifted negation,
 *       contrast clauses in which the second clause dominates, neutral filler, mixed reviews;
 *   <li>reviews of 6 to 30 words, no text repeated across the whole data set, classes balanced per
 *       domain and split;
 *   <li>label noise: each label is replaced by a different random label with probability 3% (in
 *       every split, as in real data).
 * </ul>
 *
 * <p>Output: {@code train}, {@code dev} and {@code test} files ({@code .tsv} with header {@code id
 * domain label text}, or {@code .jsonl} with those fields) in the target directory, and the
 * training texts as a plain-text corpus ({@link #CORPUS}). Read the splits back with {@link
 * #reader()} or {@link #read(Path)}.
 */
public final class SampleData {
  /** The label map: negative 0, neutral 1, positive 2. */
  public static final LabelMap LABELS = LabelMap.of("negative", "neutral", "positive");

  /** The split names, in file order. */
  public static final List<String> SPLITS = List.of("train", "dev", "test");

  /** The plain-text corpus of the training reviews, for EfficientBERT's pre-training KD. */
  public static final String CORPUS = "corpus.txt";

  /** Reviews per document of the corpus. */
  private static final int REVIEWS_PER_DOCUMENT = 8;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double THRESHOLD = 1.0;
  private static final int MIN_WORDS = 6;
  private static final int MAX_WORDS = 30;

  private final List<String> domains;
  private final int[] sizes;
  private final long seed;
  private final double labelNoise;
  private final TabularFormat format;

  private SampleData(Builder b) {
    this.domains = List.copyOf(b.domains);
    this.sizes = new int[] {b.train, b.dev, b.test};
    this.seed = b.seed;
    this.labelNoise = b.labelNoise;
    this.format = b.format;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the three split files into a directory (created if needed), then {@link #CORPUS}: the
   * training reviews as plain text ({@link dev.retort.core.efficientbert.PlainTextCorpus}'s format:
   * a review per line, documents of 8 reviews of one domain, a blank line between documents), so
   * that an EfficientBERT search on the sample data has a corpus for its pre-training KD.
   *
   * @param dir the directory
   * @return the written split files, in split order
   */
  public List<Path> write(Path dir) {
    List<Path> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<String> corpus = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (int split = 0; split < SPLITS.size(); split++) {
        Path file =
            dir.resolve(SPLITS.get(split) + (format == TabularFormat.JSONL ? ".jsonl" : ".tsv"));
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          if (format != TabularFormat.JSONL) {
            w.write("id\tdomain\tlabel\ttext\n");
          }
          for (String domain : domains) {
            List<Example> examples = generate(domain, split, seen);
            for (int k = 0; k < examples.size(); k++) {
              w.write(line(examples.get(k)));
              if (split == 0) {
                corpus.add(examples.get(k).textA());
                if (k % REVIEWS_PER_DOCUMENT == REVIEWS_PER_DOCUMENT - 1
                    || k == examples.size() - 1) {
                  corpus.add("");
                }
              }
            }
          }
        }
        files.add(file);
      }
      Files.write(dir.resolve(CORPUS), corpus, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RetortException(
          dir.toString(), "cannot write the sample data: " + e, "Check the directory", e);
    }
    return files;
  }

  private List<Example> generate(String domain, int split, Set<String> seen) {
    String splitName = SPLITS.get(split);
    SeededRandom r = SeededRandom.of(seed, domain + "/" + splitName);
    SampleReviews reviews = new SampleReviews(SampleLexicon.domain(domain));
    int n = sizes[split];
    int[] quota = new int[LABELS.size()];
    for (int c = 0; c < quota.length; c++) {
      quota[c] = n / quota.length + (c < n % quota.length ? 1 : 0);
    }
    List<Example> out = new ArrayList<>(n);
    long attempts = 0;
    while (out.size() < n) {
      if (++attempts > 1000L * n + 100_000) {
        throw new IllegalStateException("cannot fill the quotas of " + domain + "/" + splitName);
      }
      SampleReviews.Review review = reviews.next(r);
      int label = review.score() >= THRESHOLD ? 2 : review.score() <= -THRESHOLD ? 0 : 1;
      if (quota[label] == 0
          || review.words() < MIN_WORDS
          || review.words() > MAX_WORDS
          || !seen.add(review.text())) {
        continue;
      }
      quota[label]--;
      // Both draws happen for every example, so the texts do not depend on the noise rate.
      boolean flip = r.nextDouble() < labelNoise;
      int shift = 1 + r.nextInt(LABELS.size() - 1);
      int written = flip ? (label + shift) % LABELS.size() : label;
      String id = domain + "-" + splitName + "-" + out.size();
      out.add(new Example(review.text(), null, LABELS.label(written), domain, id));
    }
    new SeededRandom(r.nextLong()).shuffle(out);
    return out;
  }

  private String line(Example e) throws IOException {
    if (format == TabularFormat.JSONL) {
      ObjectNode o = JSON.createObjectNode();
      o.put("id", e.id()).put("domain", e.domain()).put("label", e.label()).put("text", e.textA());
      return JSON.writeValueAsString(o) + "\n";
    }
    return e.id() + "\t" + e.domain() + "\t" + e.label() + "\t" + e.textA() + "\n";
  }

  /** Returns a reader for the written files (either format, by extension). */
  public static TabularReader reader() {
    return TabularReader.builder()
        .setTextColumn("text")
        .optLabelColumn("label")
        .optDomainColumn("domain")
        .optIdColumn("id")
        .optLabels(LABELS)
        .build();
  }

  /**
   * Reads a written directory back as a multi-domain corpus.
   *
   * @param dir the directory holding {@code train}, {@code dev} and {@code test} files
   * @return the corpus, domains in order of first appearance in the training file
   */
  public static MultiDomainData read(Path dir) {
    Dataset[] splits = new Dataset[3];
    for (int i = 0; i < 3; i++) {
      Path tsv = dir.resolve(SPLITS.get(i) + ".tsv");
      Path file = Files.exists(tsv) ? tsv : dir.resolve(SPLITS.get(i) + ".jsonl");
      splits[i] = reader().read(file, "sample/" + SPLITS.get(i));
    }
    List<String> names = splits[0].domains();
    List<DomainSplits> out = new ArrayList<>();
    for (String d : names) {
      out.add(new DomainSplits(d, splits[0].domain(d), splits[1].domain(d), splits[2].domain(d)));
    }
    return new MultiDomainData("sample", LabelMap.ofDomains(names), out);
  }

  /** Builds a {@link SampleData} generator. */
  public static final class Builder {
    private List<String> domains = SampleLexicon.DOMAINS;
    private int train = 1500;
    private int dev = 200;
    private int test = 300;
    private long seed = 42;
    private double labelNoise = 0.03;
    private TabularFormat format = TabularFormat.TSV;

    private Builder() {}

    /**
     * Sets the domains (default books, electronics, kitchen, movies; other names get generic
     * product words).
     *
     * @param domains the domain names, distinct
     * @return this builder
     */
    public Builder optDomains(List<String> domains) {
      this.domains = domains;
      return this;
    }

    /**
     * Sets the number of examples per domain in each split (default 1500 / 200 / 300).
     *
     * @param train training examples per domain
     * @param dev development examples per domain
     * @param test test examples per domain
     * @return this builder
     */
    public Builder optSizes(int train, int dev, int test) {
      this.train = train;
      this.dev = dev;
      this.test = test;
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
     * Sets the probability that a label is replaced by another (default 0.03).
     *
     * @param labelNoise the probability, 0 to 0.5
     * @return this builder
     */
    public Builder optLabelNoise(double labelNoise) {
      this.labelNoise = labelNoise;
      return this;
    }

    /**
     * Sets the file format, TSV or JSONL (default TSV).
     *
     * @param format the format
     * @return this builder
     */
    public Builder optFormat(TabularFormat format) {
      this.format = format;
      return this;
    }

    /**
     * Builds the generator.
     *
     * @return the generator
     */
    public SampleData build() {
      if (domains.isEmpty() || new HashSet<>(domains).size() != domains.size()) {
        throw new IllegalArgumentException("domains must be non-empty and distinct: " + domains);
      }
      if (train < 0 || dev < 0 || test < 0) {
        throw new IllegalArgumentException("sizes must be >= 0");
      }
      if (!(labelNoise >= 0 && labelNoise <= 0.5)) {
        throw new IllegalArgumentException("labelNoise must be in [0, 0.5], got " + labelNoise);
      }
      if (format == TabularFormat.CSV) {
        throw new IllegalArgumentException("SampleData writes TSV or JSONL");
      }
      return new SampleData(this);
    }
  }
}
