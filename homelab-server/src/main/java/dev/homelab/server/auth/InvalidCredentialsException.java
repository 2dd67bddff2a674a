package dev.homelab.server.auth;

import dev.homelab.server.http.ErrorHandler.ApiException;
import io.vertx.core.http.HttpServerResponse;

/**
 * A credential that is missing, malformed, forged, expired or revoked. Deliberately says nothing
 * more: every such request gets the same 401.
 */
public final class InvalidCredentialsException extends ApiException {

  /** Creates the exception, without a stack trace. */
  public InvalidCredentialsException() {
    super(401, "UNAUTHENTICATED", "authentication is required");
  }

  @Override
  protected void decorate(HttpServerResponse response) {
    response.putHeader("WWW-Authenticate", "Bearer");
  }
}
