package dev.retort.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retort.core.RetortException;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams the records of a CSV (RFC 4180, header row), TSV (plain tabs, header row) or JSONL file
 * as {@link TabularRow}s. Empty lines are skipped and a leading byte-order mark is ignored.
 */
final class TabularRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TabularRows() {}

  /**
   * Calls {@code action} for every record.
   *
   * @param r the text
   * @param path the file path, for errors
   * @param fileName the file name, for default ids
   * @param format the format
   * @param action the record consumer
   * @throws IOException if reading fails
   */
  static void forEach(
      BufferedReader r,
      String path,
      String fileName,
      TabularFormat format,
      Consumer<TabularRow> action)
      throws IOException {
    if (format == TabularFormat.JSONL) {
      jsonl(r, path, fileName, action);
      return;
    }
    List<String> header = new ArrayList<>();
    delimited(
        r,
        path,
        format,
        (line, fields) -> {
          if (header.isEmpty()) {
            fields.forEach(f -> header.add(f.strip()));
            return;
          }
          String where = path + ":" + line;
          if (fields.size() != header.size()) {
            throw new RetortException(
                where,
                "the row has " + fields.size() + " fields but the header has " + header.size(),
                format == TabularFormat.CSV
                    ? "Quote fields that contain commas or line breaks"
                    : "Remove stray tabs from the texts");
          }
          Map<String, String> values = new LinkedHashMap<>();
          for (int i = 0; i < fields.size(); i++) {
            values.putIfAbsent(header.get(i), fields.get(i));
          }
          action.accept(new TabularRow(where, fileName + ":" + line, values));
        });
    if (header.isEmpty()) {
      throw new RetortException(path, "the file is empty", "Write a header row and data rows");
    }
  }

  private interface LineConsumer {
    void accept(int line, List<String> fields);
  }

  private static void delimited(
      BufferedReader r, String path, TabularFormat format, LineConsumer action) throws IOException {
    if (format == TabularFormat.CSV) {
      CsvRecords.parse(r, path, ',', action::accept);
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

  private static void jsonl(
      BufferedReader r, String path, String fileName, Consumer<TabularRow> action)
      throws IOException {
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      String where = path + ":" + lineNo;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new RetortException(
            where, "not valid JSON: " + e.getOriginalMessage(), "Write one JSON object per line");
      }
      if (!node.isObject()) {
        throw new RetortException(where, "the line is not a JSON object", "Write {\"text\": ...}");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode v = e.getValue();
        if (v.isContainerNode()) {
          throw new RetortException(
              where,
              "the field '" + e.getKey() + "' is not a string or number",
              "Write plain values");
        }
        values.put(e.getKey(), v.isNull() ? null : v.asText());
      }
      action.accept(new TabularRow(where, fileName + ":" + lineNo, values));
    }
  }
}
