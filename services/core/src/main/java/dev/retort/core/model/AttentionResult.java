package dev.retort.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What one self-attention layer computes.
 *
 * @param context the attended values, [B, L, H]
 * @param scores the pre-softmax scores {@code Q K^T / sqrt(D) + mask}, [B, A, L, L]
 * @param probs the attention probabilities {@code softmax(scores)} before dropout, [B, A, L, L]
 */
public record AttentionResult(NDArray context, NDArray scores, NDArray probs) {}
