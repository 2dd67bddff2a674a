/**
 * Helpers the client's resource packages share: reading and writing the wire models' optional
 * fields and building query parameters. Public only so that every resource package can use them;
 * not a supported API, and it may change in any release.
 */
package dev.homelab.client.internal;
