package dev.homelab.client.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a query's parameters, leaving out the values that are {@code null}. */
public final class QueryParams {

  private final Map<String, String> params = new LinkedHashMap<>();

  /**
   * @param name the parameter
   * @param value its value ({@code toString()} is sent), or {@code null} to leave it out
   * @return this builder
   */
  public QueryParams put(String name, Object value) {
    if (value != null) {
      params.put(name, value.toString());
    }
    return this;
  }

  /**
   * @return the parameters, in the order they were put, unmodifiable
   */
  public Map<String, String> build() {
    return Collections.unmodifiableMap(params);
  }
}
