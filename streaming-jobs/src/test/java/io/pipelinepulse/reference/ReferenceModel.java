package io.pipelinepulse.reference;

import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The KPIs recomputed in batch from a whole list of changes, written to be obviously right rather
 * than fast: for each point of the clock it replays every record's history from the start. It is
 * the oracle the streaming job must agree with.
 *
 * <p>Values at clock point M are what the job's KPI topic holds at M: for each series the last
 * snapshot whose {@code asOf} is at or before M.
 *
 * <p>Semantics it encodes (the README's "What it publishes" and "The clock, late and bad input"): changes apply per record in (commit time,
 * sequence, event id) order; a closed deal is forgotten (a later change starts from only its own
 * fields); a deleted deal is forgotten 15 days after its last change unless undeleted; the team of
 * a fact is the owner's team at the fact's time (user changes at the same time first), for open
 * pipeline the team now; at clock point M (a whole minute) the values cover the changes strictly
 * before M, the window W the exits in [M - W, M).
 */
public final class ReferenceModel {

  private static final long DELETED_RETENTION = Duration.ofDays(15).toMillis();
  private static final Map<String, Long> WINDOWS = Map.of(
      "1d", Duration.ofDays(1).toMillis(), "7d", Duration.ofDays(7).toMillis(), "30d", Duration.ofDays(30).toMillis());

  private final PulseConfig config;
  private final Map<String, List<CrmChange>> dealHistories = new TreeMap<>();
  private final Map<String, List<CrmChange>> userHistories = new HashMap<>();
  private final LeadReferenceModel leads;

  public ReferenceModel(PulseConfig config, List<CrmChange> changes) {
    this.config = config;
    Comparator<CrmChange> order = Comparator.comparingLong(CrmChange::getCommitTime)
        .thenComparingLong(CrmChange::getSequence).thenComparing(CrmChange::getEventId);
    for (CrmChange change : changes) {
      if (change.getEntity() == Entity.OPPORTUNITY) {
        dealHistories.computeIfAbsent(change.getRecordId(), id -> new ArrayList<>()).add(change);
      } else if (change.getEntity() == Entity.ACTIVITY && change.getFields().get("opportunityId") != null) {
        dealHistories.computeIfAbsent(change.getFields().get("opportunityId").toString(), id -> new ArrayList<>())
            .add(change);
      } else if (change.getEntity() == Entity.USER) {
        userHistories.computeIfAbsent(change.getRecordId(), id -> new ArrayList<>()).add(change);
      }
    }
    dealHistories.values().forEach(list -> list.sort(order));
    userHistories.values().forEach(list -> list.sort(order));
    leads = new LeadReferenceModel(config.leads(), this::teamAt, changes);
  }

  /** Every KPI series with its value at clock point {@code m}; zero counts and amounts left out. */
  public Map<String, Double> valuesAt(long m) {
    Map<String, Double> values = new TreeMap<>();
    Map<String, long[]> exits = new HashMap<>();
    List<Close> closes = new ArrayList<>();
    List<String[]> pushes = new ArrayList<>();
    Map<String, Long> openByPipelineTeam = new HashMap<>();
    for (Map.Entry<String, List<CrmChange>> deal : dealHistories.entrySet()) {
      Deal state = stateAt(deal.getValue(), m, exits, closes, pushes);
      if (state != null && state.isOpen()) {
        String pipeline = state.pipeline();
        String team = teamAt(state.owner, m - 1);
        openByPipelineTeam.merge(pipeline + "|" + team, 1L, Long::sum);
        String labels = "{pipeline=" + pipeline + ", stage=" + state.stage + ", team=" + team + "}";
        double amount = state.amountInReporting();
        values.merge("pulse_open_deals" + labels, 1.0, Double::sum);
        values.merge("pulse_open_pipeline_amount" + labels, amount, Double::sum);
        values.merge("pulse_weighted_pipeline_amount" + labels,
            state.probability == null ? 0.0 : amount * state.probability / 100.0, Double::sum);
        if (isStalled(state, m)) {
          values.merge("pulse_stalled_deals" + labels, 1.0, Double::sum);
          values.merge("pulse_stalled_pipeline_amount" + labels, amount, Double::sum);
        }
        if (isPastDue(state, m)) {
          values.merge("pulse_deals_past_due{pipeline=" + pipeline + ", team=" + team + "}", 1.0, Double::sum);
        }
        for (String[] missing : new String[][] {{"amount", state.amount == null ? "y" : null},
            {"close_date", state.closeDate == null ? "y" : null}, {"owner", state.owner == null ? "y" : null}}) {
          if (missing[1] != null) {
            values.merge("pulse_open_deals_missing_field{field=" + missing[0] + ", pipeline=" + pipeline + "}",
                1.0, Double::sum);
          }
        }
      }
    }
    for (Map.Entry<String, long[]> exit : exits.entrySet()) {
      long[] counts = exit.getValue();
      if (counts[0] > 0) {
        String labels = exit.getKey();
        values.put("pulse_stage_exits" + labels, (double) counts[0]);
        values.put("pulse_stage_advances" + labels, (double) counts[1]);
        values.put("pulse_stage_conversion_ratio" + labels, (double) counts[1] / counts[0]);
      }
    }
    closedDeals(values, closes, openByPipelineTeam, m);
    leads.valuesAt(m, values);
    for (String[] push : pushes) {
      values.merge("pulse_close_date_pushes_total{pipeline=" + push[0] + ", team=" + push[1] + "}", 1.0, Double::sum);
    }
    return withoutZeroCounts(values);
  }

  /**
   * The per-record alerts open at clock point {@code m}, by alert name: the ids of the deals stalled,
   * past due or slipping (pushed at least {@code deals.slipped-after-pushes} times) and of the leads
   * that breached their SLA and are still waiting, by the same rules as the series above.
   */
  public Map<String, java.util.Set<String>> openAlertsAt(long m) {
    Map<String, java.util.Set<String>> open = new TreeMap<>();
    for (String name : List.of("DealStalled", "DealPastDue", "DealCloseDateSlipped", "LeadResponseSlaBreached")) {
      open.put(name, new java.util.TreeSet<>());
    }
    for (Map.Entry<String, List<CrmChange>> deal : dealHistories.entrySet()) {
      Deal state = stateAt(deal.getValue(), m, new HashMap<>(), new ArrayList<>(), new ArrayList<>());
      if (state == null || !state.isOpen()) {
        continue;
      }
      // an open alert is under its record's owner and team now
      String record = alertedRecord(deal.getKey(), state.owner, m);
      if (isStalled(state, m)) {
        open.get("DealStalled").add(record);
      }
      if (isPastDue(state, m)) {
        open.get("DealPastDue").add(record);
      }
      if (state.pushes >= config.deals().slippedAfterPushes()) {
        open.get("DealCloseDateSlipped").add(record);
      }
    }
    leads.breachedAndWaitingAt(m).forEach((id, owner) ->
        open.get("LeadResponseSlaBreached").add(alertedRecord(id, owner, m)));
    return open;
  }

  /** An open alert as the tests compare them: record id, owner and team. */
  private String alertedRecord(String id, String owner, long m) {
    return HistoryRuns.alertedRecord(id, owner, teamAt(owner, m - 1));
  }

  private boolean isStalled(Deal state, long m) {
    long threshold = config.deals().stallThresholdMillis(state.pipeline(), state.stage);
    return Math.max(state.stageEnteredAt, state.lastActivityAt) + threshold + 1 <= m - 1;
  }

  private static boolean isPastDue(Deal state, long m) {
    return state.closeDate != null
        && (java.time.LocalDate.parse(state.closeDate).toEpochDay() + 1) * 86_400_000L <= m - 1;
  }

  /** One close of a deal: when, where, won or lost, its amount (null if none) and its cycle. */
  private record Close(long time, String pipeline, String team, boolean won, Double amount, long cycleMillis) {}

  private static void closedDeals(Map<String, Double> values, List<Close> closes, Map<String, Long> open, long m) {
    for (Map.Entry<String, Long> window : WINDOWS.entrySet()) {
      Map<String, List<Close>> byDimension = new TreeMap<>();
      for (Close close : closes) {
        if (close.time() >= m - window.getValue() && close.time() < m) {
          byDimension.computeIfAbsent(close.pipeline() + "|" + close.team(), k -> new ArrayList<>()).add(close);
        }
      }
      for (Map.Entry<String, List<Close>> dimension : byDimension.entrySet()) {
        String[] parts = dimension.getKey().split("\\|");
        String labels = "pipeline=" + parts[0] + ", team=" + parts[1] + ", window=" + window.getKey();
        List<Close> list = dimension.getValue();
        long won = list.stream().filter(Close::won).count();
        long lost = list.size() - won;
        values.put("pulse_deals_closed{outcome=won, " + labels + "}", (double) won);
        values.put("pulse_deals_closed{outcome=lost, " + labels + "}", (double) lost);
        values.put("pulse_win_ratio{" + labels + "}", (double) won / list.size());
        List<Double> amounts = list.stream().filter(c -> c.won() && c.amount() != null).map(Close::amount).toList();
        if (won == 0) {
          continue;
        }
        List<Double> cycles = list.stream().filter(Close::won).map(c -> c.cycleMillis() / 1000.0).sorted().toList();
        for (double q : new double[] {0.5, 0.9}) {
          int rank = (int) Math.max(1, Math.ceil(q * cycles.size()));
          values.put("pulse_sales_cycle_seconds{pipeline=" + parts[0] + ", quantile=" + q + ", team=" + parts[1]
              + ", window=" + window.getKey() + "}", cycles.get(rank - 1));
        }
        if (amounts.isEmpty()) {
          continue;
        }
        double average = amounts.stream().mapToDouble(Double::doubleValue).sum() / amounts.size();
        values.put("pulse_won_amount_average{" + labels + "}", average);
        double cycleDays = cycles.stream().mapToDouble(Double::doubleValue).sum() / won / 86_400.0;
        if (cycleDays > 0) {
          long openNow = open.getOrDefault(dimension.getKey(), 0L);
          values.put("pulse_sales_velocity_per_day{" + labels + "}",
              openNow * ((double) won / list.size()) * average / cycleDays);
        }
      }
    }
  }

  /**
   * Drops zero counts and amounts: the job keeps publishing 0 for a dimension it has seen, the
   * model never lists it. Ratios stay, so a 0 ratio is told apart from an absent one.
   */
  public static Map<String, Double> withoutZeroCounts(Map<String, Double> values) {
    Map<String, Double> kept = new TreeMap<>(values);
    kept.entrySet().removeIf(e -> e.getValue() == 0.0 && !e.getKey().split("\\{")[0].endsWith("_ratio"));
    return kept;
  }

  /** The deal after its changes before {@code m}; its exits, closes and pushes added to the lists. */
  private Deal stateAt(List<CrmChange> history, long m, Map<String, long[]> exits, List<Close> closes,
      List<String[]> pushes) {
    Deal state = null;
    for (CrmChange change : history) {
      if (change.getCommitTime() >= m) {
        break;
      }
      if (change.getEntity() == Entity.ACTIVITY) {
        if (state != null && state.isOpen() && change.getChangeType() != ChangeType.DELETE) {
          state.lastActivityAt = Math.max(state.lastActivityAt, change.getCommitTime());
        }
        continue;
      }
      state = apply(state, change, exits, closes, pushes, m);
    }
    return state;
  }

  private Deal apply(Deal before, CrmChange change, Map<String, long[]> exits, List<Close> closes,
      List<String[]> pushes, long m) {
    long time = change.getCommitTime();
    if (before != null && before.deleted && time > before.lastChange + DELETED_RETENTION) {
      before = null;
    }
    if (before != null && before.stage == null && !before.deleted
        && time > before.lastChange + config.deals().stagelessRetention().toMillis()) {
      before = null;
    }
    Deal after;
    if (change.getChangeType() == ChangeType.DELETE) {
      if (before == null) {
        return null;
      }
      after = before.copy();
      after.deleted = true;
    } else {
      after = before == null ? new Deal() : before.copy();
      if (before == null) {
        after.createdAt = time;
      }
      if (change.getChangeType() != ChangeType.UPDATE) {
        after.deleted = false;
      }
      after.merge(change.getFields());
    }
    after.lastChange = time;
    if (before == null || !java.util.Objects.equals(before.stage, after.stage)
        || !before.pipeline().equals(after.pipeline())) {
      after.stageEnteredAt = time;
    }
    if (before != null && before.isOpen()) {
      if (after.isOpen() && before.closeDate != null && after.closeDate != null
          && after.closeDate.compareTo(before.closeDate) > 0) {
        pushes.add(new String[] {after.pipeline(), teamAt(after.owner, time)});
        after.pushes++;
      }
      boolean moved = !after.isOpen() || !after.stage.equals(before.stage) || !after.pipeline().equals(before.pipeline());
      if (moved) {
        PipelineRules rules = new PipelineRules(config, before.pipeline());
        boolean advance = !after.deleted && (rules.isWon(after.stage)
            || (after.pipeline().equals(before.pipeline()) && rules.order(before.stage) >= 0
                && rules.order(after.stage) > rules.order(before.stage)));
        countExit(exits, time, m, before.pipeline(), before.stage, teamAt(before.owner, time), advance);
      }
      PipelineRules closing = new PipelineRules(config, after.pipeline());
      if (!after.deleted && after.stage != null && closing.isClosed(after.stage)) {
        closes.add(new Close(time, after.pipeline(), teamAt(after.owner, time), closing.isWon(after.stage),
            after.amount == null ? null : after.amountInReporting(), time - after.createdAt));
      }
    }
    // a created deal waits for its first stage; fragments of unknown deals are forgotten
    boolean awaitingStage = after.stage == null && !after.deleted
        && (before != null || change.getChangeType() == ChangeType.CREATE);
    return after.isOpen() || after.deleted || awaitingStage ? after : null;
  }

  private static void countExit(Map<String, long[]> exits, long time, long m, String pipeline, String stage,
      String team, boolean advance) {
    for (Map.Entry<String, Long> window : WINDOWS.entrySet()) {
      if (time >= m - window.getValue() && time < m) {
        String labels = "{pipeline=" + pipeline + ", stage=" + stage + ", team=" + team + ", window="
            + window.getKey() + "}";
        long[] counts = exits.computeIfAbsent(labels, k -> new long[2]);
        counts[0]++;
        if (advance) {
          counts[1]++;
        }
      }
    }
  }

  /** The owner's team at {@code time}: the last team change at or before it, else the directory. */
  String teamAt(String owner, long time) {
    if (owner == null) {
      return "unassigned";
    }
    String team = config.directory().teamOf(owner);
    for (CrmChange change : userHistories.getOrDefault(owner, List.of())) {
      if (change.getCommitTime() > time) {
        break;
      }
      if (change.getChangeType() != ChangeType.DELETE && change.getFields().containsKey("team")) {
        Object value = change.getFields().get("team");
        team = value == null ? config.directory().teamOf(owner) : value.toString();
      }
    }
    return team == null ? "unknown" : team;
  }

  private final class Deal {
    String stage;
    String pipelineField;
    Double amount;
    String currency;
    Double probability;
    String owner;
    boolean deleted;
    long lastChange;
    long createdAt;
    String closeDate;
    long stageEnteredAt;
    long lastActivityAt = Long.MIN_VALUE;
    int pushes;

    Deal copy() {
      Deal copy = new Deal();
      copy.pushes = pushes;
      copy.stage = stage;
      copy.pipelineField = pipelineField;
      copy.amount = amount;
      copy.currency = currency;
      copy.probability = probability;
      copy.owner = owner;
      copy.deleted = deleted;
      copy.lastChange = lastChange;
      copy.createdAt = createdAt;
      copy.closeDate = closeDate;
      copy.stageEnteredAt = stageEnteredAt;
      copy.lastActivityAt = lastActivityAt;
      return copy;
    }

    void merge(Map<String, Object> fields) {
      if (fields.containsKey("stage")) {
        stage = (String) fields.get("stage");
      }
      if (fields.containsKey("pipeline")) {
        pipelineField = (String) fields.get("pipeline");
      }
      if (fields.containsKey("amount")) {
        amount = (Double) fields.get("amount");
      }
      if (fields.containsKey("currency")) {
        currency = (String) fields.get("currency");
      }
      if (fields.containsKey("probability")) {
        probability = (Double) fields.get("probability");
      }
      if (fields.containsKey("ownerId")) {
        owner = (String) fields.get("ownerId");
      }
      if (fields.containsKey("closeDate")) {
        closeDate = (String) fields.get("closeDate");
      }
    }

    String pipeline() {
      return config.pipelines().resolve(pipelineField);
    }

    boolean isOpen() {
      return !deleted && stage != null && !new PipelineRules(config, pipeline()).isClosed(stage);
    }

    double amountInReporting() {
      if (amount == null) {
        return 0.0;
      }
      return currency == null ? amount : amount * config.currency().rates().get(currency);
    }
  }

  /** Stage order and closing stages of one pipeline, read straight from the configuration. */
  private record PipelineRules(PulseConfig config, String pipeline) {
    int order(String stage) {
      return config.pipelines().get(pipeline).stages().indexOf(stage);
    }

    boolean isWon(String stage) {
      return config.pipelines().get(pipeline).won().equals(stage);
    }

    boolean isClosed(String stage) {
      return isWon(stage) || config.pipelines().get(pipeline).lost().equals(stage);
    }
  }
}
