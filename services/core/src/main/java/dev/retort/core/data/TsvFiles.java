package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Streams the rows of a TSV file as Python's {@code csv.reader(f, delimiter='\t', quotechar=None)}
 * with {@code encoding='utf-8-sig'} reads them.
 *
 * <p>Lines end at LF, CR or CRLF; a leading byte-order mark is removed; cells are split on every
 * tab and quotes are ordinary characters. Entirely empty lines are skipped (Python yields an empty
 * row for them). Invalid UTF-8 is an error naming the file and the line reached.
 */
final class TsvFiles {
  private TsvFiles() {}

  /**
   * Calls {@code action} for each non-empty row, in file order.
   *
   * @param file the file
   * @param action the row consumer
   * @return the number of physical lines read
   */
  static int forEachRow(Path file, Consumer<TsvRow> action) {
    String name = file.toString();
    int lineNo = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isEmpty()) {
          continue;
        }
        action.accept(new TsvRow(name, lineNo, line.split("\t", -1)));
      }
    } catch (NoSuchFileException e) {
      throw new RetortException(name, "the file does not exist", "Check the data directory");
    } catch (CharacterCodingException e) {
      throw new RetortException(
          name + ":" + (lineNo + 1), "the file is not valid UTF-8", "Re-encode it as UTF-8", e);
    } catch (IOException e) {
      throw new RetortException(name, "cannot read the file: " + e, "Check the file", e);
    }
    return lineNo;
  }
}
