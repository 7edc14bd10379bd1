package dev.retort.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/** Streams the rows of a CSV (RFC 4180) or TSV (plain tabs) text with their line numbers. */
final class CsvLikeRows {
  private CsvLikeRows() {}

  /**
   * Calls {@code action(line, fields)} for each non-empty row.
   *
   * @param r the text
   * @param path the file for errors
   * @param format CSV or TSV
   * @param action the row consumer
   * @throws IOException if reading fails
   */
  static void forEach(
      BufferedReader r, String path, TabularFormat format, BiConsumer<Integer, List<String>> action)
      throws IOException {
    if (format == TabularFormat.CSV) {
      CsvRecords.parse(r, path, ',', action);
      return;
    }
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (!line.isEmpty()) {
        action.accept(lineNo, Arrays.asList(line.split("\t", -1)));
      }
    }
  }
}
