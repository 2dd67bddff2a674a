/**
 * The server's administrative sub-commands, run from the command line beside the server: {@code
 * bootstrap-db} (PostgreSQL roles, database and grants), {@code backup} and {@code restore}. They
 * read the server's own configuration (environment, {@code HOMELAB_CONFIG}), so a backup and a
 * restore name the same database and data directory as the server they serve.
 *
 * <p>Blocking by design: each command runs on the main thread of its own process, never on an event
 * loop. Secrets (passwords, database urls with credentials) are never printed, and never put on a
 * child process's command line.
 */
package dev.homelab.server.admin;
