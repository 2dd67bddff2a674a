package dev.homelab.benchmarks;

import com.googlecode.aviator.runtime.function.FunctionUtils;
import com.googlecode.aviator.runtime.type.AviatorBoolean;
import com.googlecode.aviator.runtime.type.AviatorObject;
import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.WeeklySchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.casbin.jcasbin.main.CachedEnforcer;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.casbin.jcasbin.util.Util;
import org.casbin.jcasbin.util.function.CustomFunction;

/**
 * Homelab's access rules as a jCasbin model, so that jCasbin can be measured deciding exactly what
 * the engine decides.
 *
 * <p>The request is {@code (card, reader, now)}, {@code now} in epoch milliseconds as a string (a
 * string, so that {@link CachedEnforcer} can use it in its cache key). The model is RBAC with two
 * role managers: {@code g} gives a card the readers and reader groups it may use (one line per card
 * and target, as a card policy lists them), {@code g2} puts readers in groups, and the policy has
 * one line per reader and per group. The card's state, its enabled flag, validity and weekly
 * schedule, is a custom function {@code cardAllows(card, now)} keyed on the card, which applies
 * {@link WeeklySchedule#allows(Instant)}.
 *
 * <p>RBAC rather than one policy line per card and target: jCasbin evaluates the matcher once per
 * policy line, so the plain per-card ACL would evaluate it about 20,000 times per request; the
 * model here evaluates it {@value AccessWorkload#READERS} + {@value AccessWorkload#GROUPS} times.
 * Cards that allow every reader (no readers, no groups) are not modelled: the workload has none.
 */
final class CasbinAccessModel {

  /** The model, in jCasbin's configuration syntax. */
  static final String MODEL =
      String.join(
          "\n",
          "[request_definition]",
          "r = card, reader, now",
          "",
          "[policy_definition]",
          "p = target",
          "",
          "[role_definition]",
          "g = _, _",
          "g2 = _, _",
          "",
          "[policy_effect]",
          "e = some(where (p.eft == allow))",
          "",
          "[matchers]",
          "m = (r.reader == p.target || g2(r.reader, p.target)) && g(r.card, p.target)"
              + " && cardAllows(r.card, r.now)",
          "");

  private CasbinAccessModel() {}

  /**
   * @param workload the policies
   * @return a plain enforcer of the workload's policies
   */
  static Enforcer enforcer(AccessWorkload workload) {
    return populate(Enforcer::new, workload);
  }

  /**
   * @param workload the policies
   * @return a caching enforcer of the workload's policies; its cache never expires
   */
  static CachedEnforcer cachedEnforcer(AccessWorkload workload) {
    return populate(CachedEnforcer::new, workload);
  }

  /**
   * @param now a time
   * @return the request's {@code now} for that time
   */
  static String now(Instant now) {
    return Long.toString(now.toEpochMilli());
  }

  private static <E extends Enforcer> E populate(
      Function<Model, E> constructor, AccessWorkload workload) {
    // jCasbin logs every request and the model at INFO unless this global switch is off.
    Util.enableLog = false;
    E enforcer = constructor.apply(Model.newModelFromString(MODEL));
    enforcer.addFunction(CardAllows.NAME, new CardAllows(workload.cards()));

    List<List<String>> targets = new ArrayList<>();
    for (int r = 0; r < AccessWorkload.READERS; r++) {
      targets.add(List.of(AccessWorkload.reader(r)));
    }
    List<List<String>> memberships = new ArrayList<>();
    for (ReaderGroup group : workload.groups()) {
      targets.add(List.of(group.name()));
      group.readers().stream().sorted().forEach(r -> memberships.add(List.of(r, group.name())));
    }
    List<List<String>> assignments = new ArrayList<>();
    for (CardPolicy card : workload.cards()) {
      card.readers().stream().sorted().forEach(r -> assignments.add(List.of(card.uid(), r)));
      card.readerGroups().stream().sorted().forEach(g -> assignments.add(List.of(card.uid(), g)));
    }
    enforcer.addPolicies(targets);
    enforcer.addNamedGroupingPolicies("g2", memberships);
    enforcer.addNamedGroupingPolicies("g", assignments);
    return enforcer;
  }

  /** {@code cardAllows(card, now)}: whether the card is enabled, valid and inside its schedule. */
  static final class CardAllows extends CustomFunction {

    static final String NAME = "cardAllows";
    private static final long serialVersionUID = 1L;

    private record CardState(boolean enabled, long from, long until, WeeklySchedule schedule) {}

    private final Map<String, CardState> cards = new HashMap<>();

    CardAllows(List<CardPolicy> policies) {
      for (CardPolicy card : policies) {
        cards.put(
            card.uid(),
            new CardState(
                card.enabled(),
                card.validFrom() == null ? Long.MIN_VALUE : card.validFrom().toEpochMilli(),
                card.validUntil() == null ? Long.MAX_VALUE : card.validUntil().toEpochMilli(),
                card.schedule()));
      }
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public AviatorObject call(Map<String, Object> env, AviatorObject card, AviatorObject now) {
      CardState state = cards.get(FunctionUtils.getStringValue(card, env));
      if (state == null || !state.enabled) {
        return AviatorBoolean.FALSE;
      }
      long millis = Long.parseLong(FunctionUtils.getStringValue(now, env));
      boolean allowed =
          millis >= state.from
              && millis < state.until
              && (state.schedule == null || state.schedule.allows(Instant.ofEpochMilli(millis)));
      return AviatorBoolean.valueOf(allowed);
    }
  }
}
