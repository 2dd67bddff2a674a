package dev.homelab.core.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A table of metrics: named columns, each one series or a set of series combined into one number
 * per bucket, read together over a time range with {@link Downsampler#query(MetricTableQuery)}.
 * This is the shape of seed 003's history answers ({@code /api/metrics/host}, {@code /server/{id}},
 * {@code /vm/{id}/{vmid}}, ...): one row per bucket, a value per column.
 *
 * <p>A table is a definition, immutable and shareable; define it once, for example as a constant:
 *
 * <pre>{@code
 * MetricTable rack =
 *     MetricTable.builder()
 *         .column("power", SeriesKey.of("rack.power"))
 *         .column("net_rx", SeriesSelector.named("rack.net.rx").withoutTag("iface", "lo"), Combine.SUM)
 *         .primary("power")
 *         .build();
 * }</pre>
 *
 * <p>The <b>primary</b> column, if any, is the one a reduction to {@code max_points} follows: the
 * rows kept are those LTTB keeps of that column's values.
 *
 * @param columns the columns, in order; unmodifiable
 * @param primary the name of the column reductions follow, or {@code null} for evenly spaced rows
 */
public record MetricTable(List<Column> columns, String primary) {

  private static final Pattern COLUMN_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /**
   * Checks and copies the components.
   *
   * @throws IllegalArgumentException if there is no column, two columns share a name, a name is not
   *     1-64 of {@code a-z 0-9 _} starting with a letter or is {@code timestamp} (the rows' time),
   *     or the primary column is not one of the columns
   */
  public MetricTable {
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a table has at least one column");
    }
    Set<String> names = new HashSet<>();
    for (Column column : columns) {
      if (!names.add(column.name())) {
        throw new IllegalArgumentException("two columns are named " + column.name());
      }
    }
    if (primary != null && !names.contains(primary)) {
      throw new IllegalArgumentException("the primary column " + primary + " is not a column");
    }
  }

  /**
   * @return a builder of a table
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param name a column's name
   * @return the column's position, or -1 if the table has no such column
   */
  public int indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * What a column holds: the {@code statistic} of each selected series' bucket, combined across the
   * series selected by {@code combine}.
   *
   * @param name the column's name, as the API spells it, for example {@code cpu_percent}
   * @param series the series it reads
   * @param statistic which number of each bucket it takes
   * @param combine how the numbers of several series in one bucket make one
   */
  public record Column(String name, SeriesSelector series, Statistic statistic, Combine combine) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the name breaks the rule of {@link MetricTable}
     */
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(series, "series");
      Objects.requireNonNull(statistic, "statistic");
      Objects.requireNonNull(combine, "combine");
      if (!COLUMN_NAME.matcher(name).matches() || name.equals("timestamp")) {
        throw new IllegalArgumentException(
            "a column name is 1-64 of [a-z0-9_] starting with a letter, not timestamp: " + name);
      }
    }
  }

  /** Which number of a bucket a column takes. */
  public enum Statistic {
    /** The average of the bucket's points: what a chart of a gauge plots. */
    AVG,
    /** The smallest point. */
    MIN,
    /** The largest point: a spike stays visible at every tier. */
    MAX,
    /** The latest point. */
    LAST,
    /** The sum of the points: for counts per interval, such as triggers. */
    SUM,
    /** How many points. */
    COUNT;

    /**
     * @param bucket a bucket
     * @return this statistic of it
     */
    public double of(Bucket bucket) {
      return switch (this) {
        case AVG -> bucket.avg();
        case MIN -> bucket.min();
        case MAX -> bucket.max();
        case LAST -> bucket.last();
        case SUM -> bucket.sum();
        case COUNT -> bucket.count();
      };
    }
  }

  /** How the values of several series in one bucket make a column's value. */
  public enum Combine {
    /** Their sum: the traffic of every interface, the power of every outlet. */
    SUM,
    /** Their average. */
    AVG,
    /** The smallest. */
    MIN,
    /** The largest: the fullest disk, the hottest sensor. */
    MAX
  }

  /** Builds a {@link MetricTable}; columns come in the order they are added. Not thread-safe. */
  public static final class Builder {

    private final List<Column> columns = new ArrayList<>();
    private String primary;

    private Builder() {}

    /**
     * Adds a column of one series, its buckets' averages.
     *
     * @param name the column's name
     * @param series the series
     * @return this builder
     */
    public Builder column(String name, SeriesKey series) {
      return column(name, SeriesSelector.of(series), Combine.SUM);
    }

    /**
     * Adds a column of a set of series, their buckets' averages combined.
     *
     * @param name the column's name
     * @param series the series
     * @param combine how the series' averages in one bucket make one value
     * @return this builder
     */
    public Builder column(String name, SeriesSelector series, Combine combine) {
      return column(new Column(name, series, Statistic.AVG, combine));
    }

    /**
     * Adds a column.
     *
     * @param column the column
     * @return this builder
     */
    public Builder column(Column column) {
      columns.add(Objects.requireNonNull(column, "column"));
      return this;
    }

    /**
     * @param name the column reductions follow; one of the columns
     * @return this builder
     */
    public Builder primary(String name) {
      this.primary = name;
      return this;
    }

    /**
     * @return the table
     * @throws IllegalArgumentException as {@link MetricTable#MetricTable(List, String)} does
     */
    public MetricTable build() {
      return new MetricTable(columns, primary);
    }
  }
}
