package dev.retort.core.run;

import java.nio.file.Path;

/**
 * The outcome of fine-tuning only a job's teacher ({@link JobRunner#fineTuneTeacherOnly}).
 *
 * @param score the fine-tuned teacher's score
 * @param bestDir the model directory of the best teacher (a {@code checkpoint:} reference target)
 * @param runDir the run directory
 */
public record TeacherResult(ModelScore score, Path bestDir, Path runDir) {}
