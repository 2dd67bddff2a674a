package dev.homelab.core.files;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.identity.ApiKeySecrets;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ShareLinks} on a real database. */
abstract class ShareLinksKit extends FilesFixture {

  private ShareLinks shares() {
    return files.shares();
  }

  private StoredFile aliceFile(byte[] data) {
    return await(upload(alice, "holiday.jpg", data));
  }

  @Test
  void aLinkOpensItsFileUntilRevoked() {
    byte[] data = bytes(5000, 1);
    StoredFile file = aliceFile(data);
    IssuedShare issued = await(shares().create(alice, file.id(), new ShareSpec(null, null)));
    assertThat(issued.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(issued.share().fileId()).isEqualTo(file.id());
    assertThat(issued.share().createdAt()).isEqualTo(clock.instant());
    assertThat(issued.share().expiresAt())
        .isEqualTo(clock.instant().plus(ShareSpec.DEFAULT_VALIDITY));
    assertThat(issued.share().maxDownloads()).isNull();
    assertThat(issued.toJson("/share/").getString("url")).isEqualTo("/share/" + issued.token());
    assertThat(issued.toString()).doesNotContain(issued.token());

    FileContent content = await(shares().redeem(issued.token(), true));
    assertThat(content.file()).isEqualTo(file);
    assertThat(read(content)).isEqualTo(data);
    await(shares().redeem(issued.token(), false));

    List<Share> listed = await(shares().list(alice, file.id()));
    assertThat(listed)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.id()).isEqualTo(issued.share().id());
              assertThat(s.downloads()).as("a resumed download is not counted").isEqualTo(1);
              assertThat(s.revoked()).isFalse();
            });
    assertThat(listed.get(0).toJson().containsKey("token")).isFalse();
    assertThat(await(shares().list(admin, file.id()))).hasSize(1);

    await(shares().revoke(alice, file.id(), issued.share().id()));
    assertThat(codeOf(awaitFailure(shares().redeem(issued.token(), true))))
        .isEqualTo(ShareLinks.NOT_FOUND);
    assertThat(codeOf(awaitFailure(shares().redeem(issued.token(), false))))
        .isEqualTo(ShareLinks.NOT_FOUND);
    assertThat(await(shares().list(alice, file.id())).get(0).revoked()).isTrue();
    assertThat(await(storage.audit().list(AuditQuery.newest())).items())
        .extracting(AuditEntry::action)
        .containsExactly("file.share_revoked", "file.share_created", "file.uploaded");

    // A link of a deleted file opens nothing.
    IssuedShare second = await(shares().create(alice, file.id(), new ShareSpec(null, null)));
    await(files.delete(alice, file.id()));
    assertThat(codeOf(awaitFailure(shares().redeem(second.token(), true))))
        .isEqualTo(ShareLinks.NOT_FOUND);
  }

  @Test
  void unknownAndMalformedTokensAreNotFound() {
    aliceFile(bytes(10, 2));
    for (String token :
        List.of(
            ApiKeySecrets.newSecret(),
            "",
            "short",
            "../../etc/passwd",
            "A".repeat(44),
            "%".repeat(43))) {
      Throwable failure = awaitFailure(shares().redeem(token, true));
      assertThat(failure).isInstanceOf(NotFoundException.class);
      assertThat(codeOf(failure)).isEqualTo(ShareLinks.NOT_FOUND);
    }
    assertThat(codeOf(awaitFailure(shares().redeem(null, false)))).isEqualTo(ShareLinks.NOT_FOUND);
  }

  @Test
  void theDownloadLimitHoldsUnderConcurrentRedeems() {
    StoredFile file = aliceFile(bytes(100, 3));
    IssuedShare issued = await(shares().create(alice, file.id(), new ShareSpec(null, 5)));
    List<Future<FileContent>> attempts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      attempts.add(shares().redeem(issued.token(), true));
    }
    await(Future.join(attempts).otherwiseEmpty());
    assertThat(attempts.stream().filter(Future::succeeded).count()).isEqualTo(5);
    for (Future<FileContent> attempt : attempts) {
      if (attempt.failed()) {
        assertThat(codeOf(attempt.cause())).isEqualTo(ShareLinks.NOT_FOUND);
      }
    }
    assertThat(await(shares().list(alice, file.id())).get(0).downloads()).isEqualTo(5);
    assertThat(codeOf(awaitFailure(shares().redeem(issued.token(), false))))
        .as("a used-up link opens nothing, not even a resumed download")
        .isEqualTo(ShareLinks.NOT_FOUND);
  }

  @Test
  void aLinkExpiresByTheStoresClock() {
    StoredFile file = aliceFile(bytes(100, 4));
    IssuedShare issued =
        await(shares().create(alice, file.id(), new ShareSpec(Duration.ofHours(1), null)));
    clock.advance(Duration.ofMinutes(59));
    await(shares().redeem(issued.token(), true));
    clock.advance(Duration.ofMinutes(1));
    assertThat(codeOf(awaitFailure(shares().redeem(issued.token(), true))))
        .isEqualTo(ShareLinks.NOT_FOUND);
    assertThat(await(shares().list(alice, file.id())).get(0).downloads()).isEqualTo(1);
  }

  @Test
  void onlyAHashOfTheTokenIsStored() {
    StoredFile file = aliceFile(bytes(100, 5));
    IssuedShare issued = await(shares().create(alice, file.id(), new ShareSpec(null, 3)));
    await(shares().redeem(issued.token(), true));
    List<String> stored = new ArrayList<>();
    for (String table : List.of("file_shares", "audit_log", "files", "file_tags")) {
      for (Row row : await(pool(storage).query("SELECT * FROM " + table).execute())) {
        for (int i = 0; i < row.size(); i++) {
          stored.add(String.valueOf(row.getValue(i)));
        }
      }
    }
    assertThat(stored).isNotEmpty().noneMatch(value -> value.contains(issued.token()));
    assertThat(stored).contains(ApiKeySecrets.hash(issued.token()));
  }

  @Test
  void linksAreMadeListedAndRevokedOnlyOnFilesTheActorMayChange() {
    StoredFile file = aliceFile(bytes(100, 6));
    IssuedShare issued = await(shares().create(alice, file.id(), new ShareSpec(null, null)));
    for (Future<?> attempt :
        List.of(
            shares().create(bob, file.id(), new ShareSpec(null, null)),
            shares().list(bob, file.id()),
            shares().revoke(bob, file.id(), issued.share().id()),
            shares()
                .create(
                    alice, "00000000-0000-7000-8000-000000000000", new ShareSpec(null, null)))) {
      assertThat(codeOf(awaitFailure(attempt))).isEqualTo(FileStore.NOT_FOUND);
    }
    assertThat(awaitFailure(shares().create(viewer, file.id(), new ShareSpec(null, null))))
        .isInstanceOf(ForbiddenException.class);
    assertThat(awaitFailure(shares().revoke(viewer, file.id(), issued.share().id())))
        .isInstanceOf(ForbiddenException.class);

    // A link of another file of the same owner, or no link at all, is not one of this file's.
    StoredFile other = await(upload(alice, "other", bytes(100, 7)));
    assertThat(codeOf(awaitFailure(shares().revoke(alice, other.id(), issued.share().id()))))
        .isEqualTo(ShareLinks.NOT_FOUND);
    assertThat(codeOf(awaitFailure(shares().revoke(alice, file.id(), "nope"))))
        .isEqualTo(ShareLinks.NOT_FOUND);
    assertThat(await(shares().list(alice, other.id()))).isEmpty();

    await(shares().redeem(issued.token(), true));
    // An administrator may revoke any link.
    await(shares().revoke(admin, file.id(), issued.share().id()));
    assertThat(codeOf(awaitFailure(shares().redeem(issued.token(), true))))
        .isEqualTo(ShareLinks.NOT_FOUND);
  }
}
