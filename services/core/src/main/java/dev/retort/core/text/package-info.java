/**
 * Text to token ids: BERT's WordPiece tokenizer in pure Java and {@code [CLS] A [SEP] B [SEP]}
 * encoding with longest-first truncation.
 *
 * <p>Entry points: {@link dev.retort.core.text.Vocabulary}, {@link
 * dev.retort.core.text.WordPieceTokenizer}, {@link dev.retort.core.text.SequenceEncoder} and {@link
 * dev.retort.core.text.LengthBuckets}. Nothing here depends on DJL; arrays are plain Java. Shape
 * legend: L sequence length.
 */
package dev.retort.core.text;
