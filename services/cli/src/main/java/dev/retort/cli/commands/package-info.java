/**
 * One class per {@code retort} subcommand. Each is a picocli {@code @Command} implementing {@code
 * Callable<Integer>} that returns an exit code from {@link dev.retort.cli.ExitCodes} and throws
 * {@link dev.retort.core.RetortException} for bad input; it is registered in the {@code
 * subcommands} list of {@link dev.retort.cli.Retort}.
 *
 * <p>In-process commands: {@code distill}, {@code finetune}, {@code eval}, {@code export}, {@code
 * compare}, {@code sample-data}, {@code examples}, {@code job-reference}, {@code bench} (the
 * performance figures of {@code retort-bench}). Commands that submit jobs
 * to the Kafka services (through {@code retort-messaging}) belong here too, one class each.
 */
package dev.retort.cli.commands;
