/**
 * The dashboard snapshot: a demo run on the local platform, its services' {@code /q/metrics}
 * scraped every few seconds, and the training dashboard's main panels drawn from those scrapes with
 * XChart (Grafana cannot be installed here). The image says so in its title.
 */
package dev.retort.deploy.snapshot;
