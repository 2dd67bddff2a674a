package dev.homelab.core.store.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.store.StorageException;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Which failures are the driver's and which of those mean the database is out of reach (a 503 with
 * a WARN line at the server, reliability matrix row F1), as opposed to a statement it refused or a
 * bug of the caller's own, which must keep their stack trace.
 */
class SqlErrorsTest {

  @Test
  void aLostOrRefusedConnectionIsUnreachable() {
    assertThat(SqlErrors.wrap("write", new ConnectException("Connection refused")).unreachable())
        .isTrue();
    assertThat(SqlErrors.wrap("write", ClosedConnectionException.INSTANCE).unreachable()).isTrue();
    // A crash seen by a connection in use: the read is reset.
    assertThat(
            SqlErrors.wrap("write", new RuntimeException(new SocketException("Connection reset")))
                .unreachable())
        .isTrue();
    // A shutdown during a partition closes the pool under a query that still waits on it.
    assertThat(SqlErrors.wrap("read", new VertxException("Pool closed", true)).unreachable())
        .isTrue();
    assertThat(new StorageException("x", "08006", 0, null).unreachable()).isTrue();
    assertThat(new StorageException("x", "57P01", 0, null).unreachable()).isTrue();
    assertThat(new StorageException("x", "57P03", 0, null).unreachable()).isTrue();
  }

  @Test
  void aStatementTheDatabaseRefusedIsNot() {
    assertThat(new StorageException("x", "40001", 0, null).unreachable()).isFalse();
    assertThat(new StorageException("x", "23505", 0, null).unreachable()).isFalse();
    assertThat(new StorageException("x", "53300", 0, null).unreachable()).isFalse();
    // SQLite reports SQLITE_BUSY with no SQLSTATE: busy, not away.
    assertThat(
            SqlErrors.wrap("write", new SQLException("database is locked", null, 5)).unreachable())
        .isFalse();
    assertThat(SqlErrors.wrap("write", new IOException("disk")).unreachable()).isFalse();
    assertThat(SqlErrors.wrap("read", new VertxException("other", true)).unreachable()).isFalse();
  }

  @Test
  void onlyTheDriversFailuresAreStorageFailures() {
    assertThat(SqlErrors.fromDriver(new ConnectException("refused"))).isTrue();
    assertThat(SqlErrors.fromDriver(new RuntimeException(new SQLException("x")))).isTrue();
    assertThat(SqlErrors.fromDriver(ClosedConnectionException.INSTANCE)).isTrue();
    // A bug or a disk error of the work itself keeps its type, and so its status and stack.
    assertThat(SqlErrors.fromDriver(new NullPointerException())).isFalse();
    assertThat(SqlErrors.fromDriver(new IOException("No space left on device"))).isFalse();
    assertThat(SqlErrors.fromDriver(new HomelabException(ErrorKind.NOT_FOUND, "NOT_FOUND", "gone")))
        .isFalse();
  }
}
