package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Blitzer et al. multi-domain Amazon review corpus, read and split as HRKD does (methods.md
 * 2.7).
 *
 * <p>Each domain directory holds {@code negative.review} and {@code positive.review}; a review is
 * the lines between a {@code <review_text>} line and a {@code </review_text>} line, each stripped
 * and joined with single spaces. Labels are explicitly {@code [negative, positive]} (ids 0, 1). The
 * reviews of a domain (negatives first, then positives, in file order) are shuffled with {@link
 * SeededRandom#of(long, String) SeededRandom.of(seed, domain)} and cut into train, dev and test. A
 * domain of the published four with 2,000 reviews gets the published sizes (books 1631/170/199, dvd
 * 1621/194/185, electronics 1615/172/213, kitchen 1613/184/203); any other gets dev = round(9% n),
 * test = round(10% n), train = the rest. The shuffle cannot reproduce Python's {@code
 * random.shuffle}, so the members of each split differ from HRKD's; the sizes do not. Files are
 * decoded as UTF-8, invalid bytes becoming U+FFFD (which the tokenizer drops).
 */
public final class AmazonReviews {
  /** The four domains, in HRKD's domain-id order. */
  public static final List<String> DOMAINS = List.of("books", "dvd", "electronics", "kitchen");

  /** The explicit label map: negative 0, positive 1. */
  public static final LabelMap LABELS = LabelMap.of("negative", "positive");

  /** The published train/dev/test sizes of the four domains (2,000 reviews each). */
  public static final Map<String, int[]> PUBLISHED_SIZES =
      Map.of(
          "books", new int[] {1631, 170, 199},
          "dvd", new int[] {1621, 194, 185},
          "electronics", new int[] {1615, 172, 213},
          "kitchen", new int[] {1613, 184, 203});

  /** HRKD's shuffle seed. */
  public static final long DEFAULT_SEED = 42;

  private AmazonReviews() {}

  /**
   * Reads the four published domains with seed 42.
   *
   * @param dir the directory holding {@code books/}, {@code dvd/}, ...
   * @return the corpus
   */
  public static MultiDomainData read(Path dir) {
    return read(dir, DOMAINS, DEFAULT_SEED);
  }

  /**
   * Reads some domains.
   *
   * @param dir the directory holding one sub-directory per domain
   * @param domains the domains, in domain-id order
   * @param seed the shuffle seed
   * @return the corpus
   */
  public static MultiDomainData read(Path dir, List<String> domains, long seed) {
    List<DomainSplits> splits = new ArrayList<>();
    for (String domain : domains) {
      List<Example> all = new ArrayList<>();
      for (String label : LABELS.labels()) {
        Path file = dir.resolve(domain).resolve(label + ".review");
        List<String> reviews = parseReviews(file);
        for (int i = 0; i < reviews.size(); i++) {
          all.add(new Example(reviews.get(i), null, label, domain, domain + "/" + label + "-" + i));
        }
      }
      SeededRandom.of(seed, domain).shuffle(all);
      int[] sizes = splitSizes(domain, all.size());
      List<List<Example>> parts = Splits.cut(all, sizes);
      String base = "amazon/" + domain + "/";
      splits.add(
          new DomainSplits(
              domain,
              new Dataset(base + "train", TaskType.CLASSIFICATION, LABELS, parts.get(0)),
              new Dataset(base + "dev", TaskType.CLASSIFICATION, LABELS, parts.get(1)),
              new Dataset(base + "test", TaskType.CLASSIFICATION, LABELS, parts.get(2))));
    }
    return new MultiDomainData("amazon", LabelMap.ofDomains(domains), splits);
  }

  /**
   * Returns the train/dev/test sizes of a domain: the published ones for the four domains with
   * 2,000 reviews, else proportional (dev 9%, test 10%, rounded; train the rest).
   *
   * @param domain the domain
   * @param n the number of reviews
   * @return {@code {train, dev, test}}
   */
  public static int[] splitSizes(String domain, int n) {
    int[] published = PUBLISHED_SIZES.get(domain);
    if (published != null && published[0] + published[1] + published[2] == n) {
      return published.clone();
    }
    return Splits.proportionalSizes(n, 0.09, 0.10);
  }

  /**
   * Extracts the review texts of one {@code .review} file.
   *
   * @param file the file
   * @return the texts, in file order
   */
  public static List<String> parseReviews(Path file) {
    List<String> reviews = new ArrayList<>();
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
      StringBuilder current = new StringBuilder();
      boolean inside = false;
      String line;
      while ((line = r.readLine()) != null) {
        String data = line.strip();
        if (data.equals("<review_text>")) {
          inside = true;
        } else if (data.equals("</review_text>")) {
          reviews.add(current.toString().strip());
          current.setLength(0);
          inside = false;
        } else if (inside && !data.isEmpty()) {
          current.append(data).append(' ');
        }
      }
    } catch (NoSuchFileException e) {
      throw new RetortException(
          file.toString(),
          "the review file does not exist",
          "Lay the corpus out as <dir>/<domain>/positive.review and negative.review");
    } catch (IOException e) {
      throw new RetortException(file.toString(), "cannot read: " + e, "Check the file", e);
    }
    if (reviews.isEmpty()) {
      throw new RetortException(
          file.toString(),
          "no <review_text> ... </review_text> blocks found",
          "Use the processed Blitzer corpus files");
    }
    return reviews;
  }
}
