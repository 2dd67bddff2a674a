/**
 * Authentication and authorisation of the reference server: JWT sessions and API keys, the
 * request's {@link dev.homelab.server.auth.Principal}, role checks, login rate limits and account
 * lockout, client address resolution behind trusted proxies. The audit trail is in {@code
 * dev.homelab.server.audit}, housekeeping in {@code dev.homelab.server.ops}.
 */
package dev.homelab.server.auth;
