package dev.homelab.server.features;

import dev.homelab.core.files.FileStore;
import dev.homelab.core.leader.LeaderJob;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.FileRoutes;
import dev.homelab.server.routes.TusRoutes;
import io.vertx.core.Future;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file store under {@code STORAGE_PATH}: {@code /api/files}, resumable uploads under {@code
 * /api/files/uploads}, share links under {@code /share/}, and the sweeper as a leader job (when
 * several servers share the store, one sweeps).
 */
public final class FilesFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(FilesFeature.class);

  private final ServerContext context;
  private final StorageFeature storage;
  private final EventsFeature events;
  private final AuthFeature auth;
  private FileStore files;

  /**
   * @param context the server's context
   * @param storage where file rows live
   * @param events where file changes are published
   * @param auth builds the actor of a request
   */
  public FilesFeature(
      ServerContext context, StorageFeature storage, EventsFeature events, AuthFeature auth) {
    this.context = context;
    this.storage = storage;
    this.events = events;
    this.auth = auth;
  }

  @Override
  public String name() {
    return "files";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    return FileStore.open(
            context.vertx(),
            storage.storage(),
            events.hub(),
            context.clock(),
            context.config().fileStoreOptions())
        .map(
            store -> {
              files = store;
              opened.push(
                  "the file store",
                  () -> {
                    store.close();
                    return Future.succeededFuture();
                  });
              return null;
            });
  }

  @Override
  public void routes(Routes routes) {
    new FileRoutes(files, auth.actors()).register(routes);
    new TusRoutes(files, auth.actors()).register(routes);
  }

  @Override
  public Map<String, LeaderJob> leaderJobs() {
    LeaderJob periodic =
        LeaderJob.periodic(context.vertx(), context.config().filesSweepInterval(), this::sweep);
    return Map.of(
        "file store sweeper",
        new LeaderJob() {
          @Override
          public void start() {
            sweep(); // what a crash left behind goes at start, not an interval later
            periodic.start();
          }

          @Override
          public void stop() {
            periodic.stop();
          }
        });
  }

  private void sweep() {
    files
        .sweep()
        .onSuccess(
            report -> {
              if (report.tempFiles() + report.blobs() + report.uploads() > 0) {
                log.info(
                    "File store sweep removed {} temporary files, {} unreferenced blobs, {} expired uploads",
                    report.tempFiles(),
                    report.blobs(),
                    report.uploads());
              }
            })
        .onFailure(failure -> log.warn("File store sweep failed; it runs again later", failure));
  }

  /**
   * @return the file store
   */
  public FileStore files() {
    return files;
  }
}
