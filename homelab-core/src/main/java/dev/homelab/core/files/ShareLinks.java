package dev.homelab.core.files;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.ApiKeySecrets;
import dev.homelab.core.internal.TimeOrderedIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Share links: the owner of a file makes a link that lets anyone who has it download that one file
 * without logging in, until it expires, is revoked or is used up. Tokens are 256 random bits and
 * only their SHA-256 is stored. A link that does not work for any reason is not found, the same
 * answer as for a token that never existed.
 */
public final class ShareLinks {

  /** The error code of a link that is unknown, expired, revoked or used up. */
  public static final String NOT_FOUND = "SHARE_NOT_FOUND";

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final FileStore files;

  ShareLinks(FileStore files) {
    this.files = files;
  }

  /**
   * @param actor who asks; must be able to change the file
   * @param fileId the file to share
   * @param spec how long the link works and how many downloads it allows
   * @return the link with its token
   */
  public Future<IssuedShare> create(Actor actor, String fileId, ShareSpec spec) {
    if (!FileStore.mayChange(actor)) {
      return FileStore.readOnly();
    }
    String token = ApiKeySecrets.newSecret();
    return files
        .get(actor, fileId)
        .compose(
            file -> {
              Instant now = files.now();
              Share share =
                  new Share(
                      TimeOrderedIds.next(now.toEpochMilli(), RANDOM.nextLong()).toString(),
                      file.id(),
                      now,
                      now.plus(spec.validFor()),
                      spec.maxDownloads(),
                      0,
                      false);
              return files
                  .store()
                  .inTransaction(
                      repos ->
                          repos
                              .shares()
                              .insert(share, ApiKeySecrets.hash(token))
                              .compose(
                                  v ->
                                      repos
                                          .audit()
                                          .append(
                                              files.audit(
                                                  actor,
                                                  "file.share_created",
                                                  file.id(),
                                                  new JsonObject()
                                                      .put("share_id", share.id())
                                                      .put(
                                                          "expires_at",
                                                          share.expiresAt().toString())
                                                      .put(
                                                          "max_downloads", share.maxDownloads())))))
                  .map(new IssuedShare(share, token));
            });
  }

  /**
   * @param actor who asks
   * @param fileId a file the actor may see
   * @return its links, newest first, without tokens
   */
  public Future<List<Share>> list(Actor actor, String fileId) {
    return files
        .get(actor, fileId)
        .compose(file -> files.store().repositories().shares().list(file.id()));
  }

  /**
   * Revokes a link: it stops working at once.
   *
   * @param actor who asks; must be able to change the file
   * @param fileId the file
   * @param shareId one of its links
   * @return done; failed with {@value #NOT_FOUND} if the file has no such link
   */
  public Future<Void> revoke(Actor actor, String fileId, String shareId) {
    if (!FileStore.mayChange(actor)) {
      return FileStore.readOnly();
    }
    if (!FileStore.isId(shareId)) {
      return files.get(actor, fileId).compose(file -> notFound());
    }
    return files
        .get(actor, fileId)
        .compose(
            file ->
                files
                    .store()
                    .inTransaction(
                        repos ->
                            repos
                                .shares()
                                .revoke(file.id(), shareId)
                                .compose(
                                    revoked ->
                                        revoked
                                            ? Future.succeededFuture()
                                            : ShareLinks.<Void>notFound())
                                .compose(
                                    v ->
                                        repos
                                            .audit()
                                            .append(
                                                files.audit(
                                                    actor,
                                                    "file.share_revoked",
                                                    file.id(),
                                                    new JsonObject().put("share_id", shareId))))));
  }

  /**
   * Opens the file of a link, for anyone who has the token.
   *
   * @param token the token from the link
   * @param countsAsDownload whether this request uses one of the link's downloads (one that sends
   *     bytes does, a range too; one that only looks, such as a HEAD, does not)
   * @return the file and its content; failed with {@value #NOT_FOUND} if the link does not work
   */
  public Future<FileContent> redeem(String token, boolean countsAsDownload) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return notFound();
    }
    return files
        .store()
        .repositories()
        .shares()
        .redeem(ApiKeySecrets.hash(token), files.now(), countsAsDownload)
        .compose(fileId -> fileId == null ? notFound() : files.openShared(fileId))
        .recover(
            failure ->
                failure instanceof NotFoundException ? notFound() : Future.failedFuture(failure));
  }

  private static <T> Future<T> notFound() {
    return Future.failedFuture(
        new NotFoundException(NOT_FOUND, "this share link does not exist or no longer works"));
  }
}
