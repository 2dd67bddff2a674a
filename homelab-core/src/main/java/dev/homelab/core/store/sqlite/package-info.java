/**
 * The SQLite storage adapter (xerial sqlite-jdbc through vertx-jdbc-client): the embedded default.
 * Use it through {@link dev.homelab.core.store.Storage#open}.
 */
package dev.homelab.core.store.sqlite;
