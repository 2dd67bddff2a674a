package dev.homelab.client.impl;

import dev.homelab.client.Page;
import dev.homelab.client.access.AccessApi;
import dev.homelab.client.access.AccessDecision;
import dev.homelab.client.access.AccessLogEntry;
import dev.homelab.client.access.AccessLogQuery;
import dev.homelab.client.access.CardPolicy;
import dev.homelab.client.access.CardPolicyPatch;
import dev.homelab.client.access.CardQuery;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.access.ReaderGroup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** {@link AccessApi} over the transport. */
final class AccessClient implements AccessApi {

  private final Transport transport;

  AccessClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<AccessDecision> check(String deviceId, String cardUid) {
    return check(new JsonObject().put("device_id", deviceId).put("card_uid", cardUid));
  }

  @Override
  public Future<AccessDecision> check(String deviceId, long cardNumber) {
    return check(new JsonObject().put("device_id", deviceId).put("card_uid", cardNumber));
  }

  private Future<AccessDecision> check(JsonObject body) {
    return transport.post("/api/access/check", body, 200, AccessDecision::fromJson);
  }

  @Override
  public Future<Page<AccessLogEntry>> logs(AccessLogQuery query) {
    return transport.getPage(
        "/api/access/logs", query.toQueryParams(), "logs", AccessLogEntry::fromJson);
  }

  @Override
  public Future<Page<CardPolicy>> cards(CardQuery query) {
    return transport.getPage(
        "/api/policies/cards", query.toQueryParams(), "cards", CardPolicy::fromJson);
  }

  @Override
  public Future<CardPolicy> card(String uid) {
    return transport.get(cardPath(uid), CardPolicy::fromJson);
  }

  @Override
  public Future<CardPolicy> createCard(NewCardPolicy card) {
    return transport.post("/api/policies/cards", card.toJson(), 201, CardPolicy::fromJson);
  }

  @Override
  public Future<CardPolicy> updateCard(String uid, CardPolicyPatch patch) {
    return transport.patch(cardPath(uid), patch.toJson(), CardPolicy::fromJson);
  }

  @Override
  public Future<Void> deleteCard(String uid) {
    return transport.delete(cardPath(uid));
  }

  @Override
  public Future<List<ReaderGroup>> readerGroups() {
    return transport.getList("/api/policies/groups", "groups", ReaderGroup::fromJson);
  }

  @Override
  public Future<ReaderGroup> putReaderGroup(String name, Set<String> readers) {
    JsonArray array = new JsonArray();
    readers.stream().sorted().forEach(array::add);
    return transport.put(
        group(name), new JsonObject().put("readers", array), ReaderGroup::fromJson);
  }

  @Override
  public Future<Void> deleteReaderGroup(String name) {
    return transport.delete(group(name));
  }

  private static String cardPath(String uid) {
    return "/api/policies/cards/" + Transport.segment(uid);
  }

  private static String group(String name) {
    return "/api/policies/groups/" + Transport.segment(name);
  }
}
