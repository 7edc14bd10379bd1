package dev.retort.core.weights;

import dev.retort.core.model.BertConfig;
import dev.retort.core.tensor.StateDict;

/**
 * A pretrained BERT ready for the model code: its configuration, its weights under Hugging Face
 * {@code BertForPreTraining} names in PyTorch layout (see {@link BertLayout}), its tokenizer files
 * and where it came from.
 *
 * @param config the encoder's shape
 * @param weights tensors named {@code bert.embeddings.*}, {@code bert.encoder.layer.N.*}, and when
 *     present {@code bert.pooler.*}, {@code cls.predictions.*} (and {@code classifier.*} for
 *     fine-tuned Hugging Face directories)
 * @param tokenizer vocabulary, lowercase flag and optional {@code tokenizer.json}
 * @param source the model reference or file the weights came from, for logs and errors
 */
public record PretrainedWeights(
    BertConfig config, StateDict weights, TokenizerFiles tokenizer, String source) {}
