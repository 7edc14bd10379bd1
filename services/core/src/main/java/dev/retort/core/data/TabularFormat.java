package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats {@link TabularReader} reads. */
public enum TabularFormat {
  /** Comma-separated values with RFC 4180 quoting and a header row. */
  CSV,
  /** Tab-separated values, no quoting, with a header row. */
  TSV,
  /** One JSON object per line. */
  JSONL;

  /**
   * Picks the format from a file extension: {@code .csv}, {@code .tsv}, {@code .jsonl} or {@code
   * .ndjson}.
   *
   * @param file the file
   * @return the format
   * @throws RetortException for another extension
   */
  public static TabularFormat fromExtension(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return CSV;
    }
    if (name.endsWith(".tsv")) {
      return TSV;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    throw new RetortException(
        file.toString(),
        "cannot tell the format from the file extension",
        "Name the file .csv, .tsv or .jsonl, or set the format explicitly");
  }
}
