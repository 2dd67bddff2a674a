package dev.homelab.client.impl;

import dev.homelab.client.identity.User;
import dev.homelab.client.identity.UserPatch;
import dev.homelab.client.identity.UsersApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@link UsersApi} over the transport. */
final class UsersClient implements UsersApi {

  private final Transport transport;

  UsersClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<List<User>> list() {
    return transport.getList("/api/users", "users", User::fromJson);
  }

  @Override
  public Future<User> create(String username, String password, String role) {
    JsonObject body =
        new JsonObject().put("username", username).put("password", password).put("role", role);
    return transport.post("/api/users", body, 201, User::fromJson);
  }

  @Override
  public Future<User> get(String id) {
    return transport.get("/api/users/" + Transport.segment(id), User::fromJson);
  }

  @Override
  public Future<User> update(String id, UserPatch patch) {
    return transport.patch("/api/users/" + Transport.segment(id), patch.toJson(), User::fromJson);
  }

  @Override
  public Future<Void> delete(String id) {
    return transport.delete("/api/users/" + Transport.segment(id));
  }
}
