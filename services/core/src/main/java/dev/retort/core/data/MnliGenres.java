package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MNLI split by genre, as HRKD does it (methods.md 2.7).
 *
 * <p>Genres, in domain-id order: fiction, government, slate, telephone, travel. From {@code
 * MNLI/train.tsv} (genre column 3, texts 8 and 9, label last), the rows of each genre in file order
 * give {@code train = first int(trainRatio * n)} and {@code dev = rows from int((1 - devRatio) *
 * n)}. The test set is {@code MNLI/dev_matched.tsv} filtered by genre. The defaults 0.9 / 0.1 give
 * a 90 / 10 split; a few-shot run lowers {@code trainRatio} and keeps the dev set. Rows of other
 * genres are ignored.
 */
public final class MnliGenres {
  /** The five genres in domain-id order. */
  public static final List<String> GENRES =
      List.of("fiction", "government", "slate", "telephone", "travel");

  /** The genre column of MNLI train and dev files. */
  public static final int GENRE_COLUMN = 3;

  private MnliGenres() {}

  /**
   * Reads the genre splits with the default 0.9 / 0.1 ratios.
   *
   * @param glueDir the GLUE root (holding {@code MNLI/})
   * @return the five genres
   */
  public static MultiDomainData read(Path glueDir) {
    return read(glueDir, 0.9, 0.1);
  }

  /**
   * Reads the genre splits.
   *
   * @param glueDir the GLUE root (holding {@code MNLI/})
   * @param trainRatio the fraction of each genre's rows, from the start, used for training
   * @param devRatio the fraction of each genre's rows, from the end, used for development
   * @return the five genres
   */
  public static MultiDomainData read(Path glueDir, double trainRatio, double devRatio) {
    if (trainRatio + devRatio > 1 + 1e-9 || trainRatio < 0 || devRatio < 0) {
      throw new RetortException(
          "trainRatio=" + trainRatio + ", devRatio=" + devRatio,
          "the train and dev ratios must be non-negative and add up to at most 1",
          "Lower trainRatio");
    }
    GlueReader reader =
        GlueReader.builder().setDataDir(glueDir).optDomainColumn(GENRE_COLUMN).build();
    Map<String, List<Example>> train = byGenre(reader.read(GlueTask.MNLI, GlueSplit.TRAIN));
    Map<String, List<Example>> test = byGenre(reader.read(GlueTask.MNLI, GlueSplit.DEV));
    LabelMap labels = GlueTask.MNLI.labelMap();
    List<DomainSplits> splits = new ArrayList<>();
    for (String genre : GENRES) {
      List<Example> rows = train.get(genre);
      List<Example> testRows = test.get(genre);
      if (rows.isEmpty() || testRows.isEmpty()) {
        throw new RetortException(
            glueDir.resolve("MNLI").toString(),
            "no rows of genre '" + genre + "' in train.tsv or dev_matched.tsv",
            "Use the original GLUE MNLI files");
      }
      int n = rows.size();
      int numTrain = (int) (trainRatio * n);
      int devStart = (int) ((1 - devRatio) * n);
      splits.add(
          new DomainSplits(
              genre,
              new Dataset(
                  "mnli/" + genre + "/train",
                  TaskType.CLASSIFICATION,
                  labels,
                  rows.subList(0, numTrain)),
              new Dataset(
                  "mnli/" + genre + "/dev",
                  TaskType.CLASSIFICATION,
                  labels,
                  rows.subList(devStart, n)),
              new Dataset("mnli/" + genre + "/test", TaskType.CLASSIFICATION, labels, testRows)));
    }
    return new MultiDomainData("mnli-genres", LabelMap.ofDomains(GENRES), splits);
  }

  private static Map<String, List<Example>> byGenre(Dataset data) {
    Map<String, List<Example>> out = new LinkedHashMap<>();
    for (String g : GENRES) {
      out.put(g, new ArrayList<>());
    }
    for (Example e : data.examples()) {
      List<Example> list = out.get(e.domain());
      if (list != null) {
        list.add(e);
      }
    }
    return out;
  }
}
