package dev.retort.trainer.remote;

import dev.retort.messaging.ChunkFetcher;
import dev.retort.messaging.Decoded;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Replay;
import dev.retort.proto.v1.TeacherOutput;
import dev.retort.proto.v1.TeacherOutputLocation;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads teacher outputs back from the log on a thread of its own, ahead of the steps that need
 * them: while a step computes, the outputs of the batches announced next that are already in the
 * index are fetched and parsed (for BERT-base with every layer, tens of MB per batch), and the step
 * that needs one only turns it into arrays. At most {@value #DEPTH} reads and {@link #MAX_BYTES}
 * bytes wait to be taken.
 *
 * <p>Every read goes through the one reader thread, so the fetcher's consumer is never shared.
 * Reads are taken by one training thread; they may be scheduled from others (the index's reader,
 * when an output the job asked for arrives). Closing cancels what was not taken and closes the
 * fetcher.
 */
final class ReadAhead implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

  /**
   * Outputs read and not yet taken, at most: the batch a step is about to ask for (announced
   * first) and the next two.
   */
  static final int DEPTH = 3;

  /**
   * Bytes of outputs read and not yet taken, at most (their serialized size): a batch of BERT-base
   * with every layer at length 64 is about 80 MB, at length 512 over 2 GB. A read that does not
   * fit waits for its step.
   */
  static final long MAX_BYTES = 256L << 20;

  /**
   * A read: the fetch's outcome and, when found, the parsed message (the raw bytes are not kept).
   *
   * @param status found, gone or failed
   * @param reason why it is gone or failed; empty when found
   * @param output the parsed message when found, else null
   */
  record Read(Replay.Status status, String reason, Decoded<TeacherOutput> output) {}

  private record Pending(TeacherOutputLocation location, Future<Read> read) {}

  private final ChunkFetcher fetcher;
  private final String name;
  private final ProtoSerde<TeacherOutput> serde = ProtoSerde.of(TeacherOutput.getDefaultInstance());
  private final ExecutorService reader;
  private final Map<String, Pending> pending = new HashMap<>(); // guarded by this
  private long pendingBytes; // guarded by this
  private boolean closed; // guarded by this

  /**
   * Starts the reader thread.
   *
   * @param fetcher reads records back (closed with this)
   * @param name the reader thread's name
   */
  ReadAhead(ChunkFetcher fetcher, String name) {
    this.fetcher = fetcher;
    this.name = name;
    this.reader = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts reading an output that a step will ask for, unless it is being read or it does not fit
   * beside the reads that wait to be taken.
   *
   * @param key the output's index key
   * @param location where it is
   */
  synchronized void schedule(String key, TeacherOutputLocation location) {
    if (closed
        || pending.containsKey(key)
        || pending.size() >= DEPTH
        || pendingBytes + location.getBytes() > MAX_BYTES) {
      return;
    }
    pending.put(key, new Pending(location, reader.submit(() -> read(location))));
    pendingBytes += location.getBytes();
  }

  /**
   * Returns an output: the read started by {@link #schedule} if it was for this location,
   * otherwise a read started now. Either way the caller waits for it.
   *
   * @param key the output's index key
   * @param location where it is
   * @return the read
   */
  Read take(String key, TeacherOutputLocation location) {
    Future<Read> read;
    synchronized (this) {
      Pending p = pending.remove(key);
      if (p != null) {
        pendingBytes -= p.location().getBytes();
      }
      if (p != null && p.location().equals(location)) {
        read = p.read();
      } else {
        if (p != null) {
          p.read().cancel(false); // read for a location the output has left (recomputed)
        }
        read = reader.submit(() -> read(location));
      }
    }
    try {
      return read.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading a teacher output back", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reading " + key + " back failed: " + e.getCause(), e.getCause());
    }
  }

  /** Returns how many reads wait to be taken. */
  synchronized int waiting() {
    return pending.size();
  }

  private Read read(TeacherOutputLocation location) {
    Replay r = fetcher.fetch(location);
    return new Read(r.status(), r.reason(), r.status() == Replay.Status.FOUND ? serde.decode(r.value()) : null);
  }

  /** Cancels the reads not taken, stops the thread and closes the fetcher. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      pending.values().forEach(p -> p.read().cancel(false));
      pending.clear();
      pendingBytes = 0;
    }
    reader.shutdown();
    boolean stopped = false;
    try {
      stopped = reader.awaitTermination(30, TimeUnit.SECONDS);
      if (!stopped) {
        reader.shutdownNow(); // a read stuck on the broker: the consumer answers an interrupt
        stopped = reader.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      reader.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (stopped) {
      fetcher.close();
    } else {
      // The consumer may only be closed by the thread that uses it; the daemon thread and the
      // consumer go with the process rather than fail the job that is ending.
      LOG.warn("the teacher output reader {} did not stop; its consumer is left open", name);
    }
  }
}
