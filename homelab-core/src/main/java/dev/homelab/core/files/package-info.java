/**
 * The file store: files with tags, kept once per content, with resumable uploads and share links.
 *
 * <p>A file is a row (owner, display name, type, size, SHA-256, tags) pointing to a blob, the
 * content stored once under the store's root and named by its SHA-256 ({@link
 * dev.homelab.core.files.FileStore}). Names given by users are display names only and never reach a
 * path. Uploads stream to a temporary file on a worker, hashing as they go, and move into place
 * atomically after the hash is known; a blob is removed when the last file pointing to it goes.
 *
 * <p>Like devices, every read and write applies an {@link dev.homelab.core.devices.OwnerFilter} in
 * the query: another user's file, upload or share link is indistinguishable from a missing one.
 * Deduplication is invisible across users: an upload always sends and hashes all its bytes, the
 * answer is the same whether or not someone else stored the same content, and quotas count the
 * logical size of a user's own files.
 */
package dev.homelab.core.files;
