/**
 * The append-only audit log: who did what to which object, from where, with which outcome. Entries
 * are never changed; they are removed only by retention.
 */
package dev.homelab.core.audit;
