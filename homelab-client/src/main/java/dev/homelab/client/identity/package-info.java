/**
 * Who the client is and who may do what: logging in and out ({@link
 * dev.homelab.client.identity.AuthApi}, {@code /api/auth}), API keys, and user accounts ({@link
 * dev.homelab.client.identity.UsersApi}, {@code /api/users}).
 */
package dev.homelab.client.identity;
