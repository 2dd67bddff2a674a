/**
 * Files ({@code /api/files}): {@link dev.homelab.client.files.FilesApi}, its blocking twin, its
 * wire records and its paged query. Uploads and downloads are streamed, never held whole: a
 * multipart upload, a resumable upload over the tus 1.0 protocol that continues after a dropped
 * connection or a restart, and a download to a file that resumes a partial one and checks the
 * SHA-256 of the result.
 */
package dev.homelab.client.files;
