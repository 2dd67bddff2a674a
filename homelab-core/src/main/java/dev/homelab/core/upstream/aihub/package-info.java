/**
 * The client of the AI hub of seed 003: {@link dev.homelab.core.upstream.aihub.AiHubClient} with
 * its {@link dev.homelab.core.upstream.aihub.AiHubOptions}, a chat's {@link
 * dev.homelab.core.upstream.aihub.ChatRequest}, {@link dev.homelab.core.upstream.aihub.ChatStream}
 * and {@link dev.homelab.core.upstream.aihub.ChatListener}, and the running {@link
 * dev.homelab.core.upstream.aihub.AiProcess}es. Chat events are passed through unmodified.
 */
package dev.homelab.core.upstream.aihub;
