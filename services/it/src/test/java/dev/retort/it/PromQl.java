package dev.retort.it;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression (as written in a Grafana dashboard) refers to.
 *
 * <p>A small tokenizer, not a parser: strings, label matchers in {@code {...}}, ranges in {@code
 * [...]}, numbers and Grafana variables ({@code $x}, {@code ${x}}) are skipped; an identifier
 * followed by {@code (} is a function; keywords, aggregation operators and the label lists after
 * {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and {@code
 * group_right} are not metric names. Every other identifier is a metric name.
 */
final class PromQl {
  private static final Set<String> KEYWORDS = Set.of(
      "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset",
      "bool", "inf", "nan", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
      "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
  private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$", Pattern.DOTALL);
  private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);

  private PromQl() {}

  /**
   * Returns the metric names of a Grafana variable query ({@code label_values(selector, label)},
   * {@code query_result(expr)}); other variable queries name no metric.
   *
   * @param query the variable's query
   * @return the metric names
   */
  static Set<String> variableMetricNames(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    if (m.matches()) {
      return metricNames(m.group(1));
    }
    m = QUERY_RESULT.matcher(query);
    return m.matches() ? metricNames(m.group(1)) : Set.of();
  }

  /**
   * Returns the metric names an expression refers to.
   *
   * @param expr a PromQL expression
   * @return the names, in order of appearance
   */
  static Set<String> metricNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipTo(expr, i, '}');
      } else if (c == '[') {
        i = skipTo(expr, i, ']');
      } else if (c == '$') {
        i = i + 1 < n && expr.charAt(i + 1) == '{' ? skipTo(expr, i + 1, '}') : skipWord(expr, i + 1);
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        i = skipWord(expr, i);
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int end = skipWord(expr, i);
        String word = expr.substring(i, end);
        int next = skipSpace(expr, end);
        boolean call = next < n && expr.charAt(next) == '(';
        if (LABEL_LISTS.contains(word) && call) {
          i = skipTo(expr, next, ')');
          continue;
        }
        if (!call && !KEYWORDS.contains(word)) {
          names.add(word);
        }
        i = end;
      } else {
        i++;
      }
    }
    return names;
  }

  private static int skipWord(String s, int i) {
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == ':' || s.charAt(i) == '.')) {
      i++;
    }
    return i;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipString(String s, int i) {
    char quote = s.charAt(i++);
    while (i < s.length() && s.charAt(i) != quote) {
      i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return i + 1;
  }

  /** Skips past the bracket that closes the one at {@code i}, stepping over strings inside. */
  private static int skipTo(String s, int i, char close) {
    char open = s.charAt(i);
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return i;
  }
}
