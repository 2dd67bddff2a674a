package dev.homelab.client.impl;

import dev.homelab.client.identity.ApiKey;
import dev.homelab.client.identity.AuthApi;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.LoginResult;
import dev.homelab.client.identity.Me;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@link AuthApi} over the transport, which keeps the JWT of the last login. */
final class AuthClient implements AuthApi {

  private final Transport transport;

  AuthClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<LoginResult> login(String accessToken) {
    return login(new JsonObject().put("token", accessToken));
  }

  @Override
  public Future<LoginResult> login(String username, String password) {
    return login(new JsonObject().put("username", username).put("password", password));
  }

  /** Logs in without sending any credential header, and keeps the JWT on success. */
  private Future<LoginResult> login(JsonObject body) {
    return transport
        .send(null, HttpMethod.POST, "/api/auth/login", Map.of(), body, 200)
        .map(
            response -> {
              LoginResult result = LoginResult.fromJson(response.bodyAsJsonObject());
              if (result.jwt() != null) {
                transport.startSession(result.jwt());
              }
              return result;
            });
  }

  @Override
  public Future<Void> logout() {
    String session = transport.session();
    String credential = session != null ? session : transport.options().getToken();
    return transport
        .send(credential, HttpMethod.POST, "/api/auth/logout", Map.of(), null, 204)
        .map(
            response -> {
              // Only forget the JWT this request revoked, not one from a login that raced it.
              if (session != null) {
                transport.endSession(session);
              }
              return null;
            });
  }

  @Override
  public Future<Me> me() {
    return transport.get("/api/auth/me", Me::fromJson);
  }

  @Override
  public Future<List<ApiKey>> keys() {
    return transport.getList("/api/auth/keys", "keys", ApiKey::fromJson);
  }

  @Override
  public Future<CreatedApiKey> createKey(String name, String scope, Instant expiresAt) {
    JsonObject body = new JsonObject().put("name", name);
    if (scope != null) {
      body.put("scope", scope);
    }
    if (expiresAt != null) {
      body.put("expires_at", expiresAt.toString());
    }
    return transport.post("/api/auth/keys", body, 201, CreatedApiKey::fromJson);
  }

  @Override
  public Future<Void> revokeKey(String id) {
    return transport.delete("/api/auth/keys/" + Transport.segment(id));
  }
}
