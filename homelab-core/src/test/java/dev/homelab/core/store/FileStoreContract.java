package dev.homelab.core.store;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.Page;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.files.FilePatch;
import dev.homelab.core.files.FileQuery;
import dev.homelab.core.files.FileRepository;
import dev.homelab.core.files.NewFile;
import dev.homelab.core.files.Share;
import dev.homelab.core.files.ShareRepository;
import dev.homelab.core.files.StoredFile;
import dev.homelab.core.files.UploadRepository;
import dev.homelab.core.files.UploadSession;
import dev.homelab.core.identity.Role;
import dev.homelab.core.internal.TimeOrderedIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The file store's part of the storage contract ({@link StorageCompatibilityKit} implements it, so
 * every adapter runs it): {@link FileRepository}, {@link UploadRepository} and {@link
 * ShareRepository} over a fresh database.
 */
public interface FileStoreContract {

  /** A fixed time of the rows, at the millisecond both engines keep. */
  Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");

  /**
   * @return the open store of the current test
   */
  Storage contractStorage();

  private FileRepository files() {
    return contractStorage().files();
  }

  private String user(String name) {
    return await(contractStorage().users().create(name, Role.USER, "unused-hash")).id();
  }

  private static String newId() {
    return TimeOrderedIds.next(T0.toEpochMilli(), ThreadLocalRandom.current().nextLong())
        .toString();
  }

  private static String sha(char c) {
    return String.valueOf(c).repeat(64);
  }

  private StoredFile file(String owner, String name, long size, String sha, String... tags) {
    StoredFile file =
        new StoredFile(newId(), owner, name, "text/plain", size, sha, List.of(tags), T0, T0);
    await(files().lockBlob(sha, size));
    await(files().insert(file));
    return file;
  }

  private List<String> names(OwnerFilter filter, FileQuery query) {
    return await(files().list(filter, query)).items().stream().map(StoredFile::filename).toList();
  }

  @Test
  default void everyFileStatementAppliesTheOwnerFilter() {
    String alice = user("alice");
    String bob = user("bob");
    StoredFile hers = file(alice, "hers.txt", 3, sha('a'), "docs");
    StoredFile his = file(bob, "his.txt", 4, sha('b'));

    assertThat(await(files().get(OwnerFilter.only(alice), hers.id()))).isEqualTo(hers);
    assertThat(await(files().get(OwnerFilter.any(), hers.id()))).isEqualTo(hers);
    assertThat(await(files().get(OwnerFilter.only(bob), hers.id()))).isNull();

    assertThat(
            await(
                files()
                    .update(OwnerFilter.only(bob), hers.id(), new FilePatch("stolen", null), T0)))
        .isNull();
    assertThat(await(files().delete(OwnerFilter.only(bob), hers.id()))).isFalse();
    assertThat(await(files().get(OwnerFilter.any(), hers.id()))).isEqualTo(hers);

    assertThat(names(OwnerFilter.only(alice), FileQuery.first())).containsExactly("hers.txt");
    assertThat(names(OwnerFilter.only(bob), FileQuery.first())).containsExactly("his.txt");
    assertThat(names(OwnerFilter.any(), FileQuery.first())).containsExactly("his.txt", "hers.txt");
    assertThat(names(OwnerFilter.only(bob), new FileQuery("docs", null, 10, null)))
        .as("a tag filter does not widen the owner filter")
        .isEmpty();

    assertThat(await(files().usedBytes(alice))).isEqualTo(3);
    assertThat(await(files().usedBytes(bob))).isEqualTo(4);
    assertThat(await(files().delete(OwnerFilter.only(bob), his.id()))).isTrue();
    assertThat(await(files().usedBytes(bob))).isZero();
    assertThat(await(files().delete(OwnerFilter.any(), hers.id()))).isTrue();
    assertThat(await(files().get(OwnerFilter.any(), hers.id()))).isNull();
  }

  @Test
  default void filesListNewestFirstByTagAndNameInPages() {
    String alice = user("alice");
    file(alice, "Report 2025.PDF", 1, sha('1'), "docs", "2025");
    file(alice, "100%.txt", 1, sha('2'), "docs");
    file(alice, "a_b.txt", 1, sha('3'));
    file(alice, "axb.txt", 1, sha('4'), "2026");
    file(alice, "back\\slash.txt", 1, sha('5'));
    OwnerFilter mine = OwnerFilter.only(alice);

    assertThat(names(mine, FileQuery.first()))
        .containsExactly("back\\slash.txt", "axb.txt", "a_b.txt", "100%.txt", "Report 2025.PDF");
    assertThat(names(mine, new FileQuery("docs", null, 10, null)))
        .containsExactly("100%.txt", "Report 2025.PDF");
    assertThat(names(mine, new FileQuery("DOCS", "report", 10, null)))
        .containsExactly("Report 2025.PDF");
    assertThat(names(mine, new FileQuery(null, "pdf", 10, null)))
        .as("case-insensitive")
        .containsExactly("Report 2025.PDF");
    assertThat(names(mine, new FileQuery(null, "%", 10, null)))
        .as("%% is a character, not a wildcard")
        .containsExactly("100%.txt");
    assertThat(names(mine, new FileQuery(null, "a_b", 10, null)))
        .as("_ is a character, not a wildcard")
        .containsExactly("a_b.txt");
    assertThat(names(mine, new FileQuery(null, "\\", 10, null))).containsExactly("back\\slash.txt");
    assertThat(names(mine, new FileQuery("nope", null, 10, null))).isEmpty();

    List<String> paged = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 10; pages++) {
      Page<StoredFile> page = await(files().list(mine, new FileQuery(null, null, 2, cursor)));
      page.items().forEach(f -> paged.add(f.filename()));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
      cursor = page.nextCursor();
      if (cursor == null) {
        break;
      }
    }
    assertThat(paged).isEqualTo(names(mine, FileQuery.first()));
    Page<StoredFile> filteredFirst =
        await(files().list(mine, new FileQuery("docs", null, 1, null)));
    assertThat(filteredFirst.items()).extracting(StoredFile::filename).containsExactly("100%.txt");
    assertThat(
            await(files().list(mine, new FileQuery("docs", null, 1, filteredFirst.nextCursor())))
                .items())
        .extracting(StoredFile::filename)
        .containsExactly("Report 2025.PDF");
  }

  @Test
  default void anUpdateRenamesAndReplacesTags() {
    String alice = user("alice");
    StoredFile file = file(alice, "old.txt", 1, sha('c'), "a", "b");
    Instant later = T0.plusSeconds(60);
    StoredFile renamed =
        await(
            files()
                .update(
                    OwnerFilter.only(alice),
                    file.id(),
                    new FilePatch("New Name.txt", null),
                    later));
    assertThat(renamed.filename()).isEqualTo("New Name.txt");
    assertThat(renamed.tags()).containsExactly("a", "b");
    assertThat(renamed.createdAt()).isEqualTo(T0);
    assertThat(renamed.updatedAt()).isEqualTo(later);

    StoredFile retagged =
        await(
            files().update(OwnerFilter.any(), file.id(), new FilePatch(null, List.of("c")), later));
    assertThat(retagged.filename()).isEqualTo("New Name.txt");
    assertThat(retagged.tags()).containsExactly("c");
    OwnerFilter mine = OwnerFilter.only(alice);
    assertThat(names(mine, new FileQuery("a", null, 10, null))).isEmpty();
    assertThat(names(mine, new FileQuery("c", null, 10, null))).containsExactly("New Name.txt");
    assertThat(names(mine, new FileQuery(null, "new name", 10, null)))
        .containsExactly("New Name.txt");
    assertThat(names(mine, new FileQuery(null, "old", 10, null))).isEmpty();
    assertThat(await(files().update(mine, file.id(), new FilePatch(null, List.of()), later)).tags())
        .isEmpty();
  }

  @Test
  default void totalsCountEachBlobOnceWithinTheFilter() {
    String alice = user("alice");
    String bob = user("bob");
    file(alice, "one", 10, sha('d'));
    file(alice, "copy of one", 10, sha('d'));
    file(alice, "two", 5, sha('e'));
    assertThat(await(files().totals(OwnerFilter.only(alice))))
        .isEqualTo(new FileRepository.Totals(3, 25, 15));
    file(bob, "same as one", 10, sha('d'));
    file(bob, "three", 7, sha('f'));
    assertThat(await(files().totals(OwnerFilter.only(alice))))
        .as("another user's files change nothing of mine")
        .isEqualTo(new FileRepository.Totals(3, 25, 15));
    assertThat(await(files().totals(OwnerFilter.only(bob))))
        .isEqualTo(new FileRepository.Totals(2, 17, 17));
    assertThat(await(files().totals(OwnerFilter.any())))
        .isEqualTo(new FileRepository.Totals(5, 42, 22));
    assertThat(await(files().totals(OwnerFilter.only(user("carol")))))
        .isEqualTo(new FileRepository.Totals(0, 0, 0));
  }

  @Test
  default void aBlobRowGoesOnlyWithItsLastFile() {
    String alice = user("alice");
    StoredFile first = file(alice, "first", 3, sha('9'));
    StoredFile second = file(alice, "second", 3, sha('9'));
    await(files().lockBlob(sha('8'), 1));
    assertThat(await(files().blobExists(sha('9')))).isTrue();
    assertThat(await(files().unreferencedBlobs(10))).containsExactly(sha('8'));

    assertThat(await(files().removeBlobIfUnreferenced(sha('9')))).isFalse();
    await(files().delete(OwnerFilter.any(), first.id()));
    assertThat(await(files().removeBlobIfUnreferenced(sha('9')))).isFalse();
    await(files().delete(OwnerFilter.any(), second.id()));
    assertThat(await(files().unreferencedBlobs(10))).containsExactlyInAnyOrder(sha('8'), sha('9'));
    assertThat(await(files().removeBlobIfUnreferenced(sha('9')))).isTrue();
    assertThat(await(files().blobExists(sha('9')))).isFalse();
    assertThat(await(files().removeBlobIfUnreferenced(sha('9')))).isFalse();
    assertThat(await(files().removeBlobIfUnreferenced(sha('7')))).as("never stored").isFalse();
    // Locking a blob again is an upsert, and works inside a transaction as well.
    await(
        contractStorage()
            .inTransaction(
                repos ->
                    repos
                        .files()
                        .lockBlob(sha('8'), 1)
                        .compose(v -> repos.files().removeBlobIfUnreferenced(sha('8')))));
    assertThat(await(files().unreferencedBlobs(10))).isEmpty();
  }

  @Test
  default void uploadsAreReadWithinTheirOwnerFilterAndExpire() {
    UploadRepository uploads = contractStorage().uploads();
    String alice = user("alice");
    String bob = user("bob");
    UploadSession session =
        new UploadSession(
            newId(),
            alice,
            100,
            0,
            new NewFile("big.iso", "application/x-iso9660-image", List.of("iso")),
            null,
            T0,
            T0.plus(Duration.ofHours(24)));
    await(uploads.insert(session));
    assertThat(await(uploads.get(OwnerFilter.only(alice), session.id()))).isEqualTo(session);
    assertThat(await(uploads.get(OwnerFilter.any(), session.id()))).isEqualTo(session);
    assertThat(await(uploads.get(OwnerFilter.only(bob), session.id()))).isNull();

    Instant later = T0.plus(Duration.ofHours(30));
    await(uploads.advance(session.id(), 40, later));
    UploadSession advanced = await(uploads.get(OwnerFilter.only(alice), session.id()));
    assertThat(advanced.offset()).isEqualTo(40);
    assertThat(advanced.expiresAt()).isEqualTo(later);
    assertThat(advanced.isComplete()).isFalse();

    assertThat(await(uploads.expired(T0.plus(Duration.ofHours(29)), 10))).isEmpty();
    assertThat(await(uploads.expired(later.plusMillis(1), 10))).containsExactly(session.id());
    assertThat(await(uploads.ids())).containsExactly(session.id());

    String fileId = newId();
    await(uploads.complete(session.id(), fileId));
    UploadSession complete = await(uploads.get(OwnerFilter.only(alice), session.id()));
    assertThat(complete.isComplete()).isTrue();
    assertThat(complete.fileId()).isEqualTo(fileId);
    assertThat(complete.offset()).isEqualTo(100);

    assertThat(await(uploads.delete(session.id()))).isTrue();
    assertThat(await(uploads.delete(session.id()))).isFalse();
    assertThat(await(uploads.get(OwnerFilter.any(), session.id()))).isNull();
    assertThat(await(uploads.ids())).isEmpty();
  }

  @Test
  default void sharesRedeemOnlyWhileLiveAndWithinTheirLimit() {
    ShareRepository shares = contractStorage().shares();
    String alice = user("alice");
    StoredFile file = file(alice, "shared.txt", 1, sha('s'));
    StoredFile other = file(alice, "other.txt", 1, sha('t'));
    Instant expires = T0.plus(Duration.ofDays(1));
    Share limited = new Share(newId(), file.id(), T0, expires, 2, 0, false);
    Share unlimited = new Share(newId(), file.id(), T0, expires, null, 0, false);
    await(shares.insert(limited, "hash-limited"));
    await(shares.insert(unlimited, "hash-unlimited"));

    assertThat(await(shares.list(file.id()))).containsExactly(unlimited, limited);
    assertThat(await(shares.list(other.id()))).isEmpty();

    Instant now = T0.plusSeconds(1);
    assertThat(await(shares.redeem("hash-limited", now, false))).isEqualTo(file.id());
    assertThat(await(shares.redeem("hash-limited", now, true))).isEqualTo(file.id());
    assertThat(await(shares.redeem("hash-limited", now, true))).isEqualTo(file.id());
    assertThat(await(shares.redeem("hash-limited", now, true))).as("used up").isNull();
    assertThat(await(shares.redeem("hash-limited", now, false))).as("used up").isNull();
    assertThat(await(shares.list(file.id())))
        .filteredOn(s -> s.id().equals(limited.id()))
        .singleElement()
        .extracting(Share::downloads)
        .isEqualTo(2);

    assertThat(await(shares.redeem("hash-unknown", now, true))).isNull();
    assertThat(await(shares.redeem("hash-unlimited", expires.minusMillis(1), true)))
        .isEqualTo(file.id());
    assertThat(await(shares.redeem("hash-unlimited", expires, true))).as("expired").isNull();
    assertThat(await(shares.redeem("hash-unlimited", expires, false))).as("expired").isNull();

    assertThat(await(shares.revoke(other.id(), unlimited.id())))
        .as("a link is revoked through its own file only")
        .isFalse();
    assertThat(await(shares.redeem("hash-unlimited", now, true))).isEqualTo(file.id());
    assertThat(await(shares.revoke(file.id(), unlimited.id()))).isTrue();
    assertThat(await(shares.redeem("hash-unlimited", now, true))).as("revoked").isNull();
    assertThat(await(shares.list(file.id())))
        .filteredOn(Share::revoked)
        .extracting(Share::id)
        .containsExactly(unlimited.id());

    await(files().delete(OwnerFilter.any(), file.id()));
    assertThat(await(shares.list(file.id()))).as("links go with their file").isEmpty();
  }
}
