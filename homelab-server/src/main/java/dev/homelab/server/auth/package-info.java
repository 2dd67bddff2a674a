/**
 * Authentication and authorisation of the reference server: JWT sessions and API keys, the
 * request's {@link dev.homelab.server.auth.Principal}, role checks, login rate limits and account
 * lockout, client address resolution behind trusted proxies, and the audit trail of what they
 * decide.
 */
package dev.homelab.server.auth;
