package dev.retort.core.data;

import dev.retort.core.RetortException;
import java.util.Map;

/**
 * One record of a CSV, TSV or JSONL file, with its fields by name.
 *
 * @param where {@code file:line}, for error messages
 * @param defaultId the id to use without an id column ({@code <file name>:<line>})
 * @param fields the fields in file order; a JSON null is a null value
 */
record TabularRow(String where, String defaultId, Map<String, String> fields) {
  /**
   * Returns a field.
   *
   * @param column the column or field name
   * @param noun "column" or "field", for the error message
   * @return the value, possibly null (JSON null)
   * @throws RetortException if the record has no such field, listing the ones it has
   */
  String get(String column, String noun) {
    if (!fields.containsKey(column)) {
      throw new RetortException(
          where,
          "no " + noun + " '" + column + "'; the " + noun + "s are " + fields.keySet(),
          "Set the " + noun + " names to ones in the file");
    }
    return fields.get(column);
  }
}
