/**
 * Wire size: teacher outputs encoded as the teacher service encodes them ({@link
 * dev.retort.bench.wire.TeacherPayloads}), measured against dense fp32 on real sample-data batches,
 * with the loss each payload gives ({@link dev.retort.bench.wire.WireMeasurement}).
 */
package dev.retort.bench.wire;
