/**
 * The AI hub through the server ({@code /api/ai}): {@link dev.homelab.client.ai.AiApi}, its
 * blocking twin, a chat's {@link dev.homelab.client.ai.ChatRequest}, its events as a {@link
 * dev.homelab.client.ai.ChatSubscription} told to a {@link dev.homelab.client.ai.ChatListener}, and
 * the running {@link dev.homelab.client.ai.AiProcess}es.
 */
package dev.homelab.client.ai;
