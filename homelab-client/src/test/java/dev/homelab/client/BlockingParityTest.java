package dev.homelab.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The blocking facade mirrors the async API method for method: every {@code Future<T> x(args)} of
 * {@link HomelabClient} and of each resource API it hands out has a blocking {@code T x(args)} (or
 * {@code void} for {@code Future<Void>}) on the matching part of {@link BlockingHomelabClient}, and
 * every {@code Paginator<T> x(args)} a blocking {@code Iterable<T> xIterable(args)}. The other way
 * round, every public method of a blocking part mirrors an async one. A method added to one side
 * only fails this test.
 */
class BlockingParityTest {

  /** Async methods with no blocking twin on purpose, each with its reason. */
  private static final List<String> ASYNC_ONLY =
      List.of(
          "HomelabClient.blocking", // the facade itself
          "HomelabClient.close" // the facade's close() closes the client
          );

  @Test
  void everyAsyncMethodHasABlockingTwin() throws Exception {
    List<String> missing = new ArrayList<>();
    List<String> matched = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    compare(HomelabClient.class, BlockingHomelabClient.class, "HomelabClient", missing, matched);
    for (Method accessor : HomelabClient.class.getMethods()) {
      Class<?> api = accessor.getReturnType();
      if (accessor.getParameterCount() != 0 || !api.getSimpleName().endsWith("Api")) {
        continue;
      }
      Method blockingAccessor;
      try {
        blockingAccessor = BlockingHomelabClient.class.getMethod(accessor.getName());
      } catch (NoSuchMethodException e) {
        missing.add("BlockingHomelabClient." + accessor.getName() + "()");
        continue;
      }
      Class<?> blockingPart = blockingAccessor.getReturnType();
      if (blockingPart.equals(api)) {
        continue; // handed out as is (streams are callbacks already)
      }
      // One blocking class per resource, beside its API in the resource's package.
      assertThat(blockingPart.getPackageName())
          .as(blockingPart.getName())
          .isEqualTo(api.getPackageName());
      compare(api, blockingPart, api.getSimpleName(), missing, matched);
      mirrorsOnly(blockingPart, api, extra);
    }
    assertThat(missing).as("async methods without a blocking twin").isEmpty();
    assertThat(extra).as("blocking methods without an async original").isEmpty();
    // Not vacuous: every resource was walked (43 async methods when this test was written).
    assertThat(matched).hasSizeGreaterThan(40).contains("DevicesApi.create", "AccessApi.check");
    assertThat(matched)
        .as("every paged list has its auto-paging twin")
        .contains("DevicesApi.autoPaging", "AuditApi.autoPaging")
        .filteredOn("AccessApi.autoPaging"::equals)
        .hasSize(2);
  }

  private static void compare(
      Class<?> async, Class<?> blocking, String name, List<String> missing, List<String> matched) {
    for (Method method : async.getMethods()) {
      boolean paged = method.getReturnType() == Paginator.class;
      if (Modifier.isStatic(method.getModifiers())
          || (method.getReturnType() != Future.class && !paged)) {
        continue;
      }
      String id = name + "." + method.getName();
      if (ASYNC_ONLY.contains(id)) {
        continue;
      }
      String twinName = paged ? method.getName() + "Iterable" : method.getName();
      Method twin;
      try {
        twin = blocking.getMethod(twinName, method.getParameterTypes());
      } catch (NoSuchMethodException e) {
        missing.add(id + Arrays.toString(method.getParameterTypes()));
        continue;
      }
      Type value = ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0];
      String expected =
          paged
              ? Iterable.class.getName() + "<" + value.getTypeName() + ">"
              : value.equals(Void.class) ? "void" : value.getTypeName();
      if (!twin.getGenericReturnType().getTypeName().equals(expected)) {
        missing.add(id + " returns " + twin.getGenericReturnType() + ", not " + expected);
      } else {
        matched.add(id);
      }
    }
  }

  /** Every public method a blocking part declares has an async original. */
  private static void mirrorsOnly(Class<?> blocking, Class<?> async, List<String> extra) {
    for (Method method : blocking.getDeclaredMethods()) {
      if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      String name = method.getName();
      String original =
          method.getReturnType() == Iterable.class && name.endsWith("Iterable")
              ? name.substring(0, name.length() - "Iterable".length())
              : name;
      try {
        async.getMethod(original, method.getParameterTypes());
      } catch (NoSuchMethodException e) {
        extra.add(
            blocking.getSimpleName() + "." + name + Arrays.toString(method.getParameterTypes()));
      }
    }
  }
}
