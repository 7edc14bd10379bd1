package dev.retort.teacher.messaging;

import dev.retort.core.distill.TeacherSelection;
import dev.retort.proto.v1.DType;
import dev.retort.teacher.inference.BatchInput;
import dev.retort.teacher.inference.ModelKey;

/**
 * A decoded, checked teacher request.
 *
 * @param key the output's key, {@code <pass id>/<batch key>}
 * @param model the teacher and head
 * @param input the padded batch
 * @param selection the outputs to keep
 * @param wireType the wire type of hidden states and scores (FP32, FP16 or BF16)
 * @param dropout whether the teacher runs with its dropout on
 * @param trimPaddingKeys whether scores are sent only up to the batch's last real key
 */
public record TeacherTask(
    String key, ModelKey model, BatchInput input, TeacherSelection selection, DType wireType,
    boolean dropout, boolean trimPaddingKeys) {}
