/**
 * Pieces the server and client share with core but users must not touch; unsupported, and free to
 * change in any release.
 */
package dev.homelab.core.internal;
