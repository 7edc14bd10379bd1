/**
 * The figures that need the Kafka services: platform overhead (the same job in-process and through
 * the services) and knowledge reuse (four students on one teacher pass against four passes). They
 * reach the platform only through {@link dev.retort.bench.platform.PlatformHarness} and report
 * "skipped: services not built" when it cannot run.
 */
package dev.retort.bench.platform;
