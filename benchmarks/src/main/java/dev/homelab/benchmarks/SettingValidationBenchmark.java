package dev.homelab.benchmarks;

import dev.homelab.core.settings.Setting;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What validating a setting costs over the JSON encoding it needs anyway: {@link #validate()} runs
 * the key check, the type check, the encoding and the size check; {@link #baseline()} only encodes.
 */
@State(Scope.Benchmark)
public class SettingValidationBenchmark extends BenchmarkBase {

  private final String key = "dashboard.layout";
  private final JsonObject value =
      new JsonObject()
          .put("theme", "dark")
          .put("columns", 3)
          .put(
              "cards",
              new JsonArray().add("proxmox").add("frigate").add("zigbee2mqtt").add("access"));

  @Benchmark
  public String baseline() {
    return Json.encode(value);
  }

  @Benchmark
  public String validate() {
    Setting.validateKey(key);
    return Setting.validateValue(value);
  }
}
