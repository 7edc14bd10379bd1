/**
 * The {@code retort} command line: {@link dev.retort.cli.Retort} parses the arguments (picocli) and
 * runs one subcommand from {@link dev.retort.cli.commands}; the classes here are what the
 * subcommands share.
 *
 * <ul>
 *   <li>{@link dev.retort.cli.ExitCodes} and {@code ErrorReporter}: 0 ok, 1 failure, 2 bad input (a
 *       {@link dev.retort.core.RetortException} is printed as its one-line message, the stack trace
 *       only with {@code --verbose}).
 *   <li>{@link dev.retort.cli.JobFiles}: parsing job files and deriving jobs with overridden keys.
 *   <li>{@link dev.retort.cli.RunDirectory}: resume points and safe {@code --fresh} deletion.
 *   <li>{@link dev.retort.cli.ProgressListener}: progress bars per training phase.
 *   <li>{@link dev.retort.cli.TextTable}, {@link dev.retort.cli.Formats}, {@link
 *       dev.retort.cli.ScoreTables}, {@link dev.retort.cli.ComparisonReport}: result tables.
 *   <li>{@link dev.retort.cli.MethodComparison}: one teacher, several methods.
 *   <li>{@link dev.retort.cli.ModelLocator}, {@link dev.retort.cli.ModelEvaluation}: models named
 *       on the command line, and scoring one.
 *   <li>{@link dev.retort.cli.BundledExamples}: the example jobs under {@code jobs/}.
 * </ul>
 *
 * <p>Commands print results to the command line's out writer and messages, progress and errors to
 * its err writer, so that tests can run them in-process ({@link dev.retort.cli.Retort#execute}).
 * Logging goes through slf4j-simple: warnings only unless {@code --verbose}.
 */
package dev.retort.cli;
