package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An RFC 4180 CSV parser.
 *
 * <p>Fields are separated by a delimiter and records by CRLF, LF or CR. A field that starts with a
 * double quote runs to the matching closing quote, may contain delimiters and line breaks, and
 * writes a literal quote as two quotes. Text between a closing quote and the next delimiter, or an
 * unterminated quoted field, is an error naming the record's first line. Entirely empty lines are
 * skipped.
 */
final class CsvRecords {
  private CsvRecords() {}

  /**
   * Parses every record and hands it to {@code action} with its first line number (1-based).
   *
   * @param in the text
   * @param file the file name for errors
   * @param delimiter the field delimiter
   * @param action receives (line, fields)
   * @throws IOException if reading fails
   */
  static void parse(
      Reader in, String file, char delimiter, BiConsumer<Integer, List<String>> action)
      throws IOException {
    PushbackReader r = new PushbackReader(in, 1);
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    boolean quoted = false;
    boolean afterQuote = false;
    boolean fieldStarted = false;
    int c = r.read();
    if (c != 0xFEFF && c != -1) {
      r.unread(c);
    }
    while ((c = r.read()) != -1) {
      if (quoted) {
        if (c == '"') {
          int next = r.read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            afterQuote = true;
            unread(r, next);
          }
        } else {
          field.append((char) c);
          if (c == '\n') {
            line++;
          } else if (c == '\r') {
            int next = r.read();
            if (next == '\n') {
              field.append('\n');
            } else {
              unread(r, next);
            }
            line++;
          }
        }
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        afterQuote = false;
        fieldStarted = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r') {
          int next = r.read();
          if (next != '\n') {
            unread(r, next);
          }
        }
        endRecord(fields, field, fieldStarted, recordLine, action);
        line++;
        recordLine = line;
        afterQuote = false;
        fieldStarted = false;
      } else if (afterQuote) {
        throw new RetortException(
            file + ":" + line,
            "unexpected character '" + (char) c + "' after a closing quote",
            "Quote the whole field and double any quote inside it (\"\")");
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        fieldStarted = true;
      } else {
        field.append((char) c);
        fieldStarted = true;
      }
    }
    if (quoted) {
      throw new RetortException(
          file + ":" + recordLine,
          "a quoted field is never closed",
          "Close the quote, and double any quote inside the field");
    }
    endRecord(fields, field, fieldStarted, recordLine, action);
  }

  private static void unread(PushbackReader r, int c) throws IOException {
    if (c != -1) {
      r.unread(c);
    }
  }

  private static void endRecord(
      List<String> fields,
      StringBuilder field,
      boolean fieldStarted,
      int recordLine,
      BiConsumer<Integer, List<String>> action) {
    if (fields.isEmpty() && field.length() == 0 && !fieldStarted) {
      return;
    }
    fields.add(field.toString());
    action.accept(recordLine, List.copyOf(fields));
    fields.clear();
    field.setLength(0);
  }
}
