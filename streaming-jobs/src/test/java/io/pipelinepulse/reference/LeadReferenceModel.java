package io.pipelinepulse.reference;

import io.pipelinepulse.config.BusinessHours;
import io.pipelinepulse.config.LeadRules;
import io.pipelinepulse.schema.ChangeType;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.Entity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The lead KPIs recomputed in batch: for each lead its changes and linked activities in commit
 * order, replayed from the start for every point of the clock. Part of the reference model.
 *
 * <p>A lead is touched by its first activity owned by a person, its first status change out of
 * the untouched status, or its conversion; created already in another status it was never
 * waiting. It breaches when the clock reaches creation + the SLA of its source untouched. A
 * deleted lead is forgotten; a resolved one, and an unresolved one that had no change (of its own or
 * of a linked activity) for the expiry time, is remembered by id for the retention, an untouched
 * one counted as expired. A lead first seen already resolved is remembered but not counted.
 */
public final class LeadReferenceModel {

  private static final Map<String, Long> WINDOWS = Map.of(
      "1d", Duration.ofDays(1).toMillis(), "7d", Duration.ofDays(7).toMillis(), "30d", Duration.ofDays(30).toMillis());

  private final LeadRules rules;
  private final BiFunction<String, Long, String> teamAt;
  private final Map<String, List<CrmChange>> histories = new TreeMap<>();
  private final Map<String, Long> deadlines = new HashMap<>();

  LeadReferenceModel(LeadRules rules, BiFunction<String, Long, String> teamAt, List<CrmChange> changes) {
    this.rules = rules;
    this.teamAt = teamAt;
    for (CrmChange change : changes) {
      if (change.getEntity() == Entity.LEAD) {
        histories.computeIfAbsent(change.getRecordId(), id -> new ArrayList<>()).add(change);
      } else if (change.getEntity() == Entity.ACTIVITY && change.getFields().get("leadId") != null) {
        histories.computeIfAbsent(change.getFields().get("leadId").toString(), id -> new ArrayList<>()).add(change);
      }
    }
    Comparator<CrmChange> order = Comparator.comparingLong(CrmChange::getCommitTime)
        .thenComparingLong(CrmChange::getSequence).thenComparing(CrmChange::getEventId);
    histories.values().forEach(list -> list.sort(order));
  }


  private static final class Lead {
    String status;
    String source;
    String owner;
    long createdAt;
    /** The owner's team at creation: its business hours, if any, are the SLA's. */
    String slaTeam;
    boolean touched;
    boolean breached;
    /** Converted, disqualified or expired at; 0 while unresolved. */
    long resolvedAt;
    long lastChange;

    String source() {
      return source == null ? "unknown" : source;
    }
  }

  private record Fact(long time, String team, String source, String kind, double value) {}

  void valuesAt(long m, Map<String, Double> values) {
    List<Fact> facts = new ArrayList<>();
    Map<String, List<Long>> awaiting = new TreeMap<>();
    for (List<CrmChange> history : histories.values()) {
      Lead lead = stateAt(history, m, facts);
      if (lead != null && !lead.touched) {
        awaiting.computeIfAbsent("lead_source=" + lead.source() + ", team=" + teamAt.apply(lead.owner, m - 1),
            k -> new ArrayList<>()).add(lead.createdAt);
      }
    }
    awaiting.forEach((labels, created) -> {
      values.put("pulse_leads_awaiting_response{" + labels + "}", (double) created.size());
      values.put("pulse_lead_oldest_wait_seconds{" + labels + "}",
          (m - created.stream().mapToLong(Long::longValue).min().orElseThrow()) / 1000.0);
    });
    for (Fact fact : facts) {
      if (fact.kind().equals("breach")) {
        values.merge("pulse_lead_response_sla_breaches_total{lead_source=" + fact.source() + ", team=" + fact.team()
            + "}", 1.0, Double::sum);
      }
    }
    for (Map.Entry<String, Long> window : WINDOWS.entrySet()) {
      Map<String, List<Fact>> byDimension = new HashMap<>();
      for (Fact fact : facts) {
        if (!fact.kind().equals("breach") && fact.time() >= m - window.getValue() && fact.time() < m) {
          byDimension.computeIfAbsent(fact.source() + "|" + fact.team(), k -> new ArrayList<>()).add(fact);
        }
      }
      byDimension.forEach((key, list) -> {
        String source = key.split("\\|")[0];
        String team = key.split("\\|")[1];
        String w = window.getKey();
        String labels = "lead_source=" + source + ", team=" + team + ", window=" + w;
        List<Double> responses = list.stream().filter(f -> f.kind().equals("touch")).map(Fact::value).sorted().toList();
        long converted = list.stream().filter(f -> f.kind().equals("converted")).count();
        long disqualified = list.stream().filter(f -> f.kind().equals("disqualified")).count();
        long expired = list.stream().filter(f -> f.kind().equals("expired")).count();
        values.put("pulse_leads_responded{" + labels + "}", (double) responses.size());
        for (double q : new double[] {0.5, 0.9}) {
          if (!responses.isEmpty()) {
            int rank = (int) Math.max(1, Math.ceil(q * responses.size()));
            values.put("pulse_lead_first_response_seconds{lead_source=" + source + ", quantile=" + q + ", team=" + team
                + ", window=" + w + "}", responses.get(rank - 1));
          }
        }
        values.put("pulse_leads_resolved{lead_source=" + source + ", outcome=converted, team=" + team + ", window=" + w
            + "}", (double) converted);
        values.put("pulse_leads_resolved{lead_source=" + source + ", outcome=disqualified, team=" + team + ", window="
            + w + "}", (double) disqualified);
        values.put("pulse_leads_resolved{lead_source=" + source + ", outcome=expired, team=" + team + ", window=" + w
            + "}", (double) expired);
        if (converted + disqualified > 0) {
          values.put("pulse_lead_conversion_ratio{" + labels + "}", (double) converted / (converted + disqualified));
        }
      });
    }
  }

  /** The leads that breached their SLA before clock point {@code m} and still wait: id to owner. */
  Map<String, String> breachedAndWaitingAt(long m) {
    Map<String, String> owners = new TreeMap<>();
    for (Map.Entry<String, List<CrmChange>> entry : histories.entrySet()) {
      Lead lead = stateAt(entry.getValue(), m, new ArrayList<>());
      if (lead != null && !lead.touched && lead.breached) {
        owners.put(entry.getKey(), lead.owner);
      }
    }
    return owners;
  }

  /** The lead after the changes of its history before {@code m}, its facts added to {@code facts}. */
  private Lead stateAt(List<CrmChange> history, long m, List<Fact> facts) {
    Lead lead = null;
    int i = 0;
    while (i < history.size() && history.get(i).getCommitTime() < m) {
      long t = history.get(i).getCommitTime();
      lead = expireIfDue(breachIfDue(lead, t, false, facts), t, false, facts);
      while (i < history.size() && history.get(i).getCommitTime() == t) {
        lead = apply(lead, history.get(i), facts);
        i++;
      }
      lead = expireIfDue(breachIfDue(lead, t, true, facts), t, true, facts);
    }
    return expireIfDue(breachIfDue(lead, m, false, facts), m, false, facts);
  }

  /** Like {@link #breachIfDue}: an unresolved lead expires at its last change + the expiry time. */
  private Lead expireIfDue(Lead lead, long t, boolean afterChanges, List<Fact> facts) {
    if (lead == null || lead.resolvedAt != 0) {
      return lead;
    }
    long expiry = lead.lastChange + rules.expireAfter().toMillis();
    if (afterChanges ? expiry > t : expiry >= t) {
      return lead;
    }
    long at = afterChanges ? t : expiry;
    if (!lead.touched) {
      facts.add(new Fact(at, teamAt.apply(lead.owner, at), lead.source(), "expired", 0));
    }
    return remembered(at);
  }

  /** An ended lead: its id only, for the retention. */
  private Lead remembered(long at) {
    Lead resolved = new Lead();
    resolved.resolvedAt = at;
    resolved.touched = true;
    return resolved;
  }

  /** Before the changes at {@code t}: a deadline strictly earlier passed; after them: one at or before t. */
  private Lead breachIfDue(Lead lead, long t, boolean afterChanges, List<Fact> facts) {
    if (lead == null || lead.touched || lead.breached) {
      return lead;
    }
    long deadline = deadline(lead);
    if (afterChanges ? deadline <= t : deadline < t) {
      long at = afterChanges ? t : deadline;
      lead.breached = true;
      facts.add(new Fact(at, teamAt.apply(lead.owner, at), lead.source(), "breach", 0));
    }
    return lead;
  }

  private Lead apply(Lead lead, CrmChange change, List<Fact> facts) {
    long t = change.getCommitTime();
    if (lead != null && lead.resolvedAt != 0) {
      // a resolved lead is remembered for a while: its later edits are no new lead
      if (t <= lead.resolvedAt + rules.resolvedRetention().toMillis()) {
        return lead;
      }
      lead = null;
    }
    Map<String, Object> fields = change.getFields();
    if (change.getEntity() == Entity.ACTIVITY) {
      if (lead != null) {
        lead.lastChange = t;
      }
      if (lead != null && !lead.touched && change.getChangeType() != ChangeType.DELETE
          && fields.get("ownerId") != null) {
        touch(lead, t, facts);
      }
      return lead;
    }
    if (change.getChangeType() == ChangeType.DELETE) {
      return null;
    }
    boolean isNew = lead == null;
    Lead after = isNew ? new Lead() : lead;
    String statusBefore = after.status;
    if (fields.containsKey("status")) {
      after.status = (String) fields.get("status");
    }
    if (fields.containsKey("leadSource")) {
      after.source = (String) fields.get("leadSource");
    }
    if (fields.containsKey("ownerId")) {
      after.owner = (String) fields.get("ownerId");
    }
    boolean converted = Boolean.TRUE.equals(fields.get("converted")) || rules.isConverted(after.status);
    boolean disqualified = !converted && rules.isDisqualified(after.status);
    after.lastChange = t;
    if (isNew && (converted || disqualified)) {
      return remembered(t);
    }
    if (isNew) {
      after.createdAt = t;
      after.slaTeam = teamAt.apply(after.owner, t);
      after.touched = (after.status != null && !after.status.equals(rules.untouchedStatus()))
          || (change.getChangeType() != ChangeType.CREATE && change.getChangeType() != ChangeType.UNDELETE);
    } else if (!after.touched && (converted || (rules.untouchedStatus().equals(statusBefore)
        && !java.util.Objects.equals(statusBefore, after.status)))) {
      touch(after, t, facts);
    }
    if (converted || disqualified) {
      facts.add(new Fact(t, teamAt.apply(after.owner, t), after.source(), converted ? "converted" : "disqualified", 0));
      return remembered(t);
    }
    return after;
  }

  private void touch(Lead lead, long t, List<Fact> facts) {
    lead.touched = true;
    facts.add(new Fact(t, teamAt.apply(lead.owner, t), lead.source(), "touch", (t - lead.createdAt) / 1000.0));
  }

  private long deadline(Lead lead) {
    long sla = rules.slaMillis(lead.source);
    BusinessHours hours = rules.businessHoursByTeam().get(lead.slaTeam);
    if (hours == null) {
      return lead.createdAt + sla;
    }
    return deadlines.computeIfAbsent(lead.createdAt + "/" + sla + "/" + lead.slaTeam,
        k -> workingTimeDeadline(hours, lead.createdAt, sla));
  }

  /**
   * Walks the clock a minute at a time, counting the minutes the team works: slow and plain, unlike
   * the job's day-by-day arithmetic. Opening and closing times are whole minutes.
   */
  public static long workingTimeDeadline(BusinessHours hours, long start, long sla) {
    long remaining = sla;
    long t = start;
    while (true) {
      long next = Math.floorDiv(t, 60_000L) * 60_000L + 60_000L;
      ZonedDateTime local = Instant.ofEpochMilli(t).atZone(hours.zone());
      LocalTime time = local.toLocalTime();
      boolean working = hours.days().contains(local.getDayOfWeek())
          && !time.isBefore(hours.opens()) && time.isBefore(hours.closes());
      if (working) {
        if (remaining <= next - t) {
          return t + remaining;
        }
        remaining -= next - t;
      }
      t = next;
    }
  }
}
