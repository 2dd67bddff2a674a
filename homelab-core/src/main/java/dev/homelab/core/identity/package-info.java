/**
 * Who may use a Homelab: {@link dev.homelab.core.identity.User users} with a {@link
 * dev.homelab.core.identity.Role role}, their {@link dev.homelab.core.identity.ApiKey API keys},
 * and revoked session tokens, each behind a repository port of the store.
 *
 * <p>Secrets never appear here in the clear: passwords and keys are stored as hashes computed by
 * the caller, and {@code toString()} of every record leaves them out.
 */
package dev.homelab.core.identity;
