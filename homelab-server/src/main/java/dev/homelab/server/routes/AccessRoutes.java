package dev.homelab.server.routes;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.AccessLogQuery;
import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.CardPolicyPatch;
import dev.homelab.core.access.CardUid;
import dev.homelab.core.access.Decision;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.ReaderIds;
import dev.homelab.core.access.Reason;
import dev.homelab.core.identity.Role;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.ErrorHandler.ApiException;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/access} and {@code /api/policies}: access decisions for readers, the access log, and
 * the card policies and reader groups the decisions follow. The rules live in the {@link
 * AccessEngine}; these handlers only translate HTTP.
 */
public final class AccessRoutes {

  private static final Set<String> CHECK_FIELDS = Set.of("device_id", "card_uid");
  private static final int MAX_CARD_PAGE = 1000;
  private static final int DEFAULT_CARD_PAGE = 100;

  private final AccessEngine engine;
  private final Actors actors;
  private final Map<Reason, Counter> decisions = new EnumMap<>(Reason.class);

  /**
   * @param engine the access engine
   * @param actors builds the actor of a request, for policy changes
   * @param registry where decision counters go, or {@code null}
   */
  public AccessRoutes(AccessEngine engine, Actors actors, MeterRegistry registry) {
    this.engine = engine;
    this.actors = actors;
    if (registry != null) {
      for (Reason reason : Reason.values()) {
        decisions.put(
            reason,
            Counter.builder("homelab.access.decisions")
                .description("Access decisions answered, by reason")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(registry));
      }
      Gauge.builder("homelab.access.log.pending", engine, AccessEngine::pendingLogEntries)
          .description("Access decisions waiting for their log row's commit")
          .register(registry);
    }
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.jsonRoute(HttpMethod.POST, "/api/access/check", AccessRoutes::mayCheck, this::check);
    routes.route(HttpMethod.GET, "/api/access/logs", Role.ADMIN, this::logs);
    routes.route(HttpMethod.GET, "/api/policies/cards", Role.ADMIN, this::listCards);
    routes.jsonRoute(HttpMethod.POST, "/api/policies/cards", Role.ADMIN, this::addCard);
    routes.route(HttpMethod.GET, "/api/policies/cards/:uid", Role.ADMIN, this::getCard);
    routes.jsonRoute(HttpMethod.PATCH, "/api/policies/cards/:uid", Role.ADMIN, this::updateCard);
    routes.route(HttpMethod.DELETE, "/api/policies/cards/:uid", Role.ADMIN, this::removeCard);
    routes.route(HttpMethod.GET, "/api/policies/groups", Role.ADMIN, this::listGroups);
    routes.jsonRoute(HttpMethod.PUT, "/api/policies/groups/:name", Role.ADMIN, this::putGroup);
    routes.route(HttpMethod.DELETE, "/api/policies/groups/:name", Role.ADMIN, this::removeGroup);
  }

  private static void mayCheck(RoutingContext ctx) {
    if (Principal.of(ctx).mayCheckAccess()) {
      ctx.next();
    } else {
      ctx.fail(
          new ApiException(
              403,
              "FORBIDDEN",
              "access checks need an administrator, a device token or an access-scoped key"));
    }
  }

  private void check(RoutingContext ctx) {
    JsonObject body = Routes.body(ctx);
    Params.onlyFields(body, CHECK_FIELDS);
    String reader = ReaderIds.check("device_id", body.getValue("device_id"));
    Object rawUid = body.getValue("card_uid");
    if (rawUid == null) {
      throw new ValidationException("card_uid", "card_uid is required");
    }
    Principal principal = Principal.of(ctx);
    if (principal.deviceId() != null && !principal.deviceId().equals(reader)) {
      throw new ApiException(
          403, "FORBIDDEN", "a device may only ask about scans at itself: use its own device_id");
    }
    // The engine reads the uid once. A JSON number is a decimal (Wiegand) card number: pass it on
    // as explicit hex, which no later reading can take for a decimal number.
    String uid =
        rawUid instanceof Number ? "0x" + CardUid.normalize(rawUid) : String.valueOf(rawUid);
    engine
        .check(reader, uid)
        .onSuccess(
            decision -> {
              Counter counter = decisions.get(decision.reason());
              if (counter != null) {
                counter.increment();
              }
              Responses.json(ctx, 200, answer(decision));
            })
        .onFailure(ctx::fail);
  }

  private static JsonObject answer(Decision decision) {
    return new JsonObject()
        .put("granted", decision.granted())
        .put("reason", decision.reason().name())
        .put("latency_ms", decision.latencyMillis())
        .put("decision_id", decision.id().toString())
        .put("device_id", decision.readerId())
        .put("card_uid", decision.cardUid())
        .put("holder", decision.holder())
        .put("timestamp", decision.time().toString());
  }

  private void logs(RoutingContext ctx) {
    String granted = Params.text(ctx, "granted");
    if (granted != null && !granted.equals("true") && !granted.equals("false")) {
      throw new ValidationException("granted", "granted must be true or false");
    }
    AccessLogQuery query =
        new AccessLogQuery(
            Params.text(ctx, "device_id"),
            Params.text(ctx, "card_uid"),
            granted == null ? null : Boolean.valueOf(granted),
            Params.instant(ctx, "from"),
            Params.instant(ctx, "to"),
            Params.integer(ctx, "limit", AccessLogQuery.DEFAULT_LIMIT, 1, AccessLogQuery.MAX_LIMIT),
            Params.text(ctx, "cursor"));
    Responses.json(
        ctx,
        200,
        engine
            .logs(query)
            .map(
                page ->
                    new JsonObject()
                        .put(
                            "logs",
                            new JsonArray(
                                page.items().stream().map(AccessLogEntry::toJson).toList()))
                        .put("next_cursor", page.nextCursor())));
  }

  private void listCards(RoutingContext ctx) {
    int limit = Params.integer(ctx, "limit", DEFAULT_CARD_PAGE, 1, MAX_CARD_PAGE);
    String cursor = Params.text(ctx, "cursor");
    if (cursor != null) {
      cursor = CardUid.requireCanonical("cursor", cursor); // a uid this server handed out
    }
    List<CardPolicy> all = engine.cards();
    int from = 0;
    if (cursor != null) {
      // The cards are sorted by uid: start after the cursor.
      int at = binarySearch(all, cursor);
      from = at >= 0 ? at + 1 : -at - 1;
    }
    List<CardPolicy> page = all.subList(from, Math.min(all.size(), from + limit));
    boolean more = from + page.size() < all.size();
    Responses.json(
        ctx,
        200,
        new JsonObject()
            .put("cards", new JsonArray(page.stream().map(CardPolicy::toJson).toList()))
            .put("total", all.size())
            .put("next_cursor", more ? page.get(page.size() - 1).uid() : null));
  }

  private static int binarySearch(List<CardPolicy> cards, String uid) {
    int low = 0;
    int high = cards.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int order = cards.get(mid).uid().compareTo(uid);
      if (order < 0) {
        low = mid + 1;
      } else if (order > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  private void addCard(RoutingContext ctx) {
    NewCardPolicy card = NewCardPolicy.fromJson(Routes.body(ctx));
    Responses.json(ctx, 201, engine.addCard(actors.of(ctx), card).map(CardPolicy::toJson));
  }

  private void getCard(RoutingContext ctx) {
    String uid = pathUid(ctx);
    CardPolicy card = engine.card(uid);
    if (card == null) {
      throw cardNotFound(uid);
    }
    Responses.json(ctx, 200, card.toJson());
  }

  private void updateCard(RoutingContext ctx) {
    String uid = pathUid(ctx);
    CardPolicyPatch patch = CardPolicyPatch.fromJson(Routes.body(ctx));
    Responses.json(
        ctx,
        200,
        engine
            .updateCard(actors.of(ctx), uid, patch)
            .compose(
                updated ->
                    updated == null
                        ? Future.failedFuture(cardNotFound(uid))
                        : Future.succeededFuture(updated.toJson())));
  }

  private void removeCard(RoutingContext ctx) {
    String uid = pathUid(ctx);
    Responses.noContent(
        ctx,
        engine
            .removeCard(actors.of(ctx), uid)
            .compose(
                removed ->
                    removed ? Future.succeededFuture() : Future.failedFuture(cardNotFound(uid))));
  }

  private void listGroups(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        new JsonObject()
            .put(
                "groups",
                new JsonArray(engine.readerGroups().stream().map(ReaderGroup::toJson).toList())));
  }

  private void putGroup(RoutingContext ctx) {
    String name = ReaderIds.checkGroup("name", ctx.pathParam("name"));
    Set<String> readers = ReaderGroup.readersFromJson(Routes.body(ctx));
    Responses.json(
        ctx, 200, engine.putReaderGroup(actors.of(ctx), name, readers).map(ReaderGroup::toJson));
  }

  private void removeGroup(RoutingContext ctx) {
    String name = ReaderIds.checkGroup("name", ctx.pathParam("name"));
    Responses.noContent(
        ctx,
        engine
            .removeReaderGroup(actors.of(ctx), name)
            .compose(
                removed ->
                    removed
                        ? Future.succeededFuture()
                        : Future.failedFuture(
                            new NotFoundException(
                                "READER_GROUP_NOT_FOUND", "no reader group named " + name))));
  }

  /** The card as the client names it; the engine resolves it (canonical first). */
  private static String pathUid(RoutingContext ctx) {
    return ctx.pathParam("uid");
  }

  private static NotFoundException cardNotFound(String uid) {
    return new NotFoundException("CARD_NOT_FOUND", "no policy for card " + uid);
  }
}
