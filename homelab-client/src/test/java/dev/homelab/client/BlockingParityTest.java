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
 * {@code void} for {@code Future<Void>}) on the matching part of {@link BlockingHomelabClient}. A
 * method added to one side only fails this test.
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
      compare(api, blockingPart, api.getSimpleName(), missing, matched);
    }
    assertThat(missing).as("async methods without a blocking twin").isEmpty();
    // Not vacuous: every resource was walked (43 async methods when this test was written).
    assertThat(matched).hasSizeGreaterThan(40).contains("DevicesApi.create", "AccessApi.check");
  }

  private static void compare(
      Class<?> async, Class<?> blocking, String name, List<String> missing, List<String> matched) {
    for (Method method : async.getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.getReturnType() != Future.class) {
        continue;
      }
      String id = name + "." + method.getName();
      if (ASYNC_ONLY.contains(id)) {
        continue;
      }
      Method twin;
      try {
        twin = blocking.getMethod(method.getName(), method.getParameterTypes());
      } catch (NoSuchMethodException e) {
        missing.add(id + Arrays.toString(method.getParameterTypes()));
        continue;
      }
      Type value = ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0];
      Type expected = value.equals(Void.class) ? void.class : value;
      if (!twin.getGenericReturnType().equals(expected)) {
        missing.add(id + " returns " + twin.getGenericReturnType() + ", not " + expected);
      } else {
        matched.add(id);
      }
    }
  }
}
