package dev.homelab.benchmarks;

import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.ScheduleWindow;
import dev.homelab.core.access.WeeklySchedule;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The policies and scans every access-decision implementation is measured on, generated from a
 * fixed seed so that every implementation, and every run, sees the same workload.
 *
 * <p>{@value #CARDS} cards, {@value #READERS} readers ({@code reader-00} to {@code reader-49}) and
 * {@value #GROUPS} groups of 10 readers. Every card allows 1 to 3 readers or one group and has a
 * weekly schedule in {@code Europe/Rome}; about 2% are disabled and 5% expired. The scans mix about
 * 80% known cards on an allowed reader, 10% known cards on another reader and 10% unknown cards.
 * Immutable once generated.
 */
public final class AccessWorkload {

  /** The seed of the workload the benchmark runs. */
  public static final long SEED = 20260304L;

  /** How many cards have a policy. */
  public static final int CARDS = 10_000;

  /** How many readers there are. */
  public static final int READERS = 50;

  /** How many reader groups there are, each of {@code READERS / GROUPS} consecutive readers. */
  public static final int GROUPS = 5;

  /** How many scans there are; a power of two, so a cursor wraps with a mask. */
  public static final int SCANS = 1 << 16;

  /** The time of every scan: Wednesday 2026-03-04, 10:00 in Rome (CET, UTC+1). */
  public static final Instant NOW = Instant.parse("2026-03-04T09:00:00Z");

  /** The zone of every schedule. */
  public static final ZoneId ZONE = ZoneId.of("Europe/Rome");

  private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
  private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
  private static final Set<DayOfWeek> WEEKEND = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

  private final List<CardPolicy> cards;
  private final List<ReaderGroup> groups;
  private final String[] scanReaders;
  private final String[] scanCards;

  private AccessWorkload(
      List<CardPolicy> cards, List<ReaderGroup> groups, String[] scanReaders, String[] scanCards) {
    this.cards = cards;
    this.groups = groups;
    this.scanReaders = scanReaders;
    this.scanCards = scanCards;
  }

  /**
   * @return the workload the benchmark runs
   */
  public static AccessWorkload standard() {
    return generate(SEED);
  }

  /**
   * @param seed the seed
   * @return the workload that seed generates
   */
  public static AccessWorkload generate(long seed) {
    Random random = new Random(seed);
    List<ReaderGroup> groups = new ArrayList<>(GROUPS);
    int perGroup = READERS / GROUPS;
    for (int g = 0; g < GROUPS; g++) {
      Set<String> members = new HashSet<>();
      for (int r = g * perGroup; r < (g + 1) * perGroup; r++) {
        members.add(reader(r));
      }
      groups.add(new ReaderGroup(group(g), members, CREATED));
    }

    Map<String, CardPolicy> byUid = new LinkedHashMap<>();
    while (byUid.size() < CARDS) {
      String uid = randomUid(random);
      if (!byUid.containsKey(uid)) {
        byUid.put(uid, card(random, uid, byUid.size()));
      }
    }
    List<CardPolicy> cards = List.copyOf(byUid.values());

    String[] scanReaders = new String[SCANS];
    String[] scanCards = new String[SCANS];
    for (int i = 0; i < SCANS; i++) {
      int kind = random.nextInt(100);
      if (kind < 90) {
        CardPolicy card = cards.get(random.nextInt(CARDS));
        Set<String> allowed = allowedReaders(card, groups);
        String reader;
        if (kind < 80) {
          List<String> list = new ArrayList<>(allowed);
          list.sort(null);
          reader = list.get(random.nextInt(list.size()));
        } else {
          do {
            reader = reader(random.nextInt(READERS));
          } while (allowed.contains(reader));
        }
        scanReaders[i] = reader;
        // A copy, as a scan's uid arrives in its own string rather than the policy's.
        scanCards[i] = new String(card.uid());
      } else {
        String uid;
        do {
          uid = randomUid(random);
        } while (byUid.containsKey(uid));
        scanReaders[i] = reader(random.nextInt(READERS));
        scanCards[i] = uid;
      }
    }
    return new AccessWorkload(cards, List.copyOf(groups), scanReaders, scanCards);
  }

  private static CardPolicy card(Random random, String uid, int index) {
    boolean enabled = random.nextInt(100) >= 2;
    int validity = random.nextInt(100);
    Instant validFrom = validity < 50 ? CREATED : null;
    Instant validUntil;
    if (validity < 5) {
      validUntil = Instant.parse("2026-01-01T00:00:00Z"); // expired
    } else if (validity < 40) {
      validUntil = Instant.parse("2027-01-01T00:00:00Z");
    } else {
      validUntil = null;
    }
    Set<String> readers = new HashSet<>();
    Set<String> readerGroups = new HashSet<>();
    if (random.nextInt(100) < 30) {
      readerGroups.add(group(random.nextInt(GROUPS)));
    } else {
      int count = 1 + random.nextInt(3);
      while (readers.size() < count) {
        readers.add(reader(random.nextInt(READERS)));
      }
    }
    return new CardPolicy(
        uid,
        "holder " + index,
        enabled,
        validFrom,
        validUntil,
        readers,
        readerGroups,
        schedule(random),
        CREATED,
        CREATED);
  }

  // Most cards work office hours; the others cover the schedule rules the engine implements.
  private static WeeklySchedule schedule(Random random) {
    int kind = random.nextInt(100);
    List<ScheduleWindow> windows;
    if (kind < 65) {
      windows = List.of(window(WEEKDAYS, 7, 0, 19, 0));
    } else if (kind < 80) {
      windows = List.of(window(WEEKDAYS, 22, 0, 6, 0)); // night shift, crosses midnight
    } else if (kind < 88) {
      windows = List.of(window(WEEKEND, 8, 0, 20, 0));
    } else if (kind < 95) {
      windows =
          List.of(
              window(WEEKDAYS, 6, 0, 9, 30),
              window(WEEKDAYS, 12, 0, 14, 0),
              window(WEEKDAYS, 17, 0, 20, 0),
              window(EnumSet.of(DayOfWeek.SATURDAY), 9, 0, 13, 0));
    } else {
      windows = List.of(window(EnumSet.allOf(DayOfWeek.class), 0, 0, 24, 0));
    }
    return new WeeklySchedule(ZONE, windows);
  }

  private static ScheduleWindow window(
      Set<DayOfWeek> days, int startHour, int startMinute, int endHour, int endMinute) {
    return new ScheduleWindow(days, startHour * 60 + startMinute, endHour * 60 + endMinute);
  }

  private static String randomUid(Random random) {
    // 4-byte (8 hex digits) and 7-byte (14 hex digits) UIDs, as MIFARE Classic and NTAG print them.
    int bytes = random.nextInt(4) == 0 ? 7 : 4;
    StringBuilder uid = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      uid.append(String.format(Locale.ROOT, "%02X", random.nextInt(256)));
    }
    return uid.toString();
  }

  /**
   * @param index 0 to {@value #READERS} - 1
   * @return the reader's id
   */
  public static String reader(int index) {
    return String.format(Locale.ROOT, "reader-%02d", index);
  }

  /**
   * @param index 0 to {@value #GROUPS} - 1
   * @return the group's name
   */
  public static String group(int index) {
    return "group-" + index;
  }

  private static Set<String> allowedReaders(CardPolicy card, List<ReaderGroup> groups) {
    Set<String> allowed = new HashSet<>(card.readers());
    for (ReaderGroup group : groups) {
      if (card.readerGroups().contains(group.name())) {
        allowed.addAll(group.readers());
      }
    }
    return allowed;
  }

  /**
   * @return a clock stopped at {@link #NOW}
   */
  public static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  /**
   * @return every card policy, in generation order
   */
  public List<CardPolicy> cards() {
    return cards;
  }

  /**
   * @return every reader group
   */
  public List<ReaderGroup> groups() {
    return groups;
  }

  /**
   * @param i a scan, 0 to {@value #SCANS} - 1
   * @return the reader of that scan
   */
  public String scanReader(int i) {
    return scanReaders[i];
  }

  /**
   * @param i a scan, 0 to {@value #SCANS} - 1
   * @return the card uid of that scan
   */
  public String scanCard(int i) {
    return scanCards[i];
  }
}
