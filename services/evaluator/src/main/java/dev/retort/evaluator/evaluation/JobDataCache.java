package dev.retort.evaluator.evaluation;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.retort.core.job.ConfigValues;
import dev.retort.core.job.JobParser;
import dev.retort.core.job.JobSchema;
import dev.retort.core.job.PathPolicy;
import dev.retort.core.job.TaskResolver;
import dev.retort.messaging.BadMessageException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the job a checkpoint carries and resolves its data once per job: the data of the most
 * recently evaluated jobs stays in memory, since a job announces many checkpoints.
 *
 * <p>The job travels as a protobuf {@link Struct}; it is printed as JSON and read by the same
 * {@link JobParser} and {@link JobSchema} as a job file, so every error names the key. Data paths
 * resolve inside the artifact store ({@link PathPolicy}).
 */
public final class JobDataCache {
  private final TaskResolver resolver;
  private final int size;
  private final LinkedHashMap<String, JobData> jobs = new LinkedHashMap<>(8, 0.75f, true);

  /**
   * Creates the cache.
   *
   * @param paths where job data may be read from
   * @param size how many jobs to keep
   */
  public JobDataCache(PathPolicy paths, int size) {
    this.resolver = new TaskResolver(paths);
    this.size = size;
  }

  /**
   * Returns a job's data, parsing and resolving it on first use.
   *
   * @param jobId the job
   * @param job the job as carried by the checkpoint
   * @return the parsed job and its data
   * @throws dev.retort.core.RetortException if the job is invalid or its data cannot be read
   */
  public synchronized JobData get(String jobId, Struct job) {
    JobData data = jobs.get(jobId);
    if (data != null) {
      return data;
    }
    ConfigValues values = new JobParser(JobSchema.root()).parse(json(job), "request " + jobId);
    data = new JobData(values, resolver.resolve(values));
    jobs.put(jobId, data);
    Iterator<Map.Entry<String, JobData>> eldest = jobs.entrySet().iterator();
    while (jobs.size() > size) {
      eldest.next();
      eldest.remove();
    }
    return data;
  }

  private static String json(Struct job) {
    try {
      return JsonFormat.printer().print(job);
    } catch (InvalidProtocolBufferException e) {
      throw new BadMessageException("job", "cannot be printed as JSON: " + e.getMessage());
    }
  }
}
