package dev.retort.core.efficientbert;

import dev.retort.core.RetortException;
import dev.retort.core.text.SpecialTokens;
import dev.retort.core.text.WordPieceTokenizer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tokenized plain-text corpus for task-agnostic pre-training distillation: documents of
 * sentences, each sentence its word-piece ids.
 *
 * <p>The format is the one BERT's and TinyBERT's pre-training data scripts read (reference {@code
 * pretrain_data_scripts/create_data.py}): UTF-8, one sentence or paragraph per line, blank lines
 * between documents. Lines are trimmed; lines without word pieces are dropped; a document with no
 * sentences is dropped. {@link PretrainingExamples} turns a corpus into model inputs.
 */
public final class PlainTextCorpus {
  private final String source;
  private final SpecialTokens specialTokens;
  private final List<List<int[]>> documents;

  private PlainTextCorpus(String source, SpecialTokens specialTokens, List<List<int[]>> documents) {
    this.source = source;
    this.specialTokens = specialTokens;
    this.documents = documents;
  }

  /**
   * Reads and tokenizes a text file.
   *
   * @param file UTF-8 text (a byte-order mark is skipped), one sentence per line, blank lines
   *     between documents
   * @param tokenizer the student's and teacher's word-piece tokenizer
   * @return the corpus
   * @throws RetortException if the file cannot be read or is not UTF-8, or holds no text
   */
  public static PlainTextCorpus read(Path file, WordPieceTokenizer tokenizer) {
    List<String> lines = new ArrayList<>();
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          lines.add(decode(utf8, line.toByteArray(), file, lines.size() + 1));
          line.reset();
        } else {
          line.write(b);
        }
      }
      if (line.size() > 0) {
        lines.add(decode(utf8, line.toByteArray(), file, lines.size() + 1));
      }
    } catch (IOException e) {
      throw new RetortException(
          file.toString(),
          "cannot read the corpus: " + e.getMessage(),
          "Check the path and permissions");
    }
    return of(lines, tokenizer, file.toString());
  }

  private static String decode(CharsetDecoder utf8, byte[] bytes, Path file, int lineNumber) {
    try {
      String text = utf8.decode(ByteBuffer.wrap(bytes)).toString();
      return lineNumber == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text; // BOM
    } catch (CharacterCodingException e) {
      throw new RetortException(
          file + ":" + lineNumber,
          "the line is not valid UTF-8",
          "Convert the corpus to UTF-8 (e.g. iconv -t UTF-8)");
    }
  }

  /**
   * Tokenizes the lines of a corpus.
   *
   * @param lines one sentence per line, blank lines between documents
   * @param tokenizer the word-piece tokenizer
   * @param source a name for error messages, such as the file path
   * @return the corpus
   * @throws RetortException if no line holds any word piece
   */
  public static PlainTextCorpus of(
      List<String> lines, WordPieceTokenizer tokenizer, String source) {
    List<List<int[]>> documents = new ArrayList<>();
    List<int[]> current = new ArrayList<>();
    for (String line : lines) {
      String text = line.strip();
      if (text.isEmpty()) {
        addDocument(documents, current);
        current = new ArrayList<>();
        continue;
      }
      int[] ids = tokenizer.encode(text);
      if (ids.length > 0) {
        current.add(ids);
      }
    }
    addDocument(documents, current);
    if (documents.isEmpty()) {
      throw new RetortException(
          source, "the corpus holds no text", "Give a text file with one sentence per line");
    }
    return new PlainTextCorpus(
        source, tokenizer.specialTokens(), Collections.unmodifiableList(documents));
  }

  private static void addDocument(List<List<int[]>> documents, List<int[]> sentences) {
    if (!sentences.isEmpty()) {
      documents.add(Collections.unmodifiableList(sentences));
    }
  }

  /** Returns where the corpus came from. */
  public String source() {
    return source;
  }

  /** Returns the special-token ids of the tokenizer's vocabulary. */
  public SpecialTokens specialTokens() {
    return specialTokens;
  }

  /**
   * Returns the documents in file order; each is its sentences' word-piece ids (no special tokens).
   * The arrays are shared: treat them as read-only.
   */
  public List<List<int[]>> documents() {
    return documents;
  }

  /** Returns the number of sentences over all documents. */
  public int sentenceCount() {
    return documents.stream().mapToInt(List::size).sum();
  }
}
