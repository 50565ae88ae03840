package io.pipelinepulse.localstack.simulator;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Plausible but fictitious people and companies, so dashboards and record links read naturally. */
final class Names {

  static final String EMAIL_DOMAIN = "example.com";

  private static final List<String> FIRST = List.of(
      "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
      "Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Ethan", "Evelyn", "Daniel", "Priya", "Wei",
      "Aisha", "Carlos", "Fatima", "Hiroshi", "Ingrid", "Jamal", "Keiko", "Luca", "Maya", "Nikolai",
      "Omar", "Paula", "Rafael", "Sofia", "Tariq", "Uma", "Victor", "Yara", "Zoe", "Grace");
  private static final List<String> LAST = List.of(
      "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Lee",
      "Walker", "Hall", "Young", "King", "Wright", "Lopez", "Hill", "Scott", "Green", "Adams",
      "Nguyen", "Patel", "Kim", "Chen", "Okafor", "Schmidt", "Rossi", "Dubois", "Novak", "Silva",
      "Tanaka", "Haddad", "Kowalski", "Larsen", "Moreau", "Ortiz", "Price", "Reyes", "Shah", "Turner");
  private static final List<String> COMPANY_FIRST = List.of(
      "Blue", "North", "Silver", "Summit", "Pioneer", "Granite", "Harbor", "Bright", "Evergreen", "Iron",
      "Maple", "Cedar", "Atlas", "Beacon", "Crescent", "Falcon", "Golden", "Horizon", "Keystone", "Liberty");
  private static final List<String> COMPANY_SECOND = List.of(
      "River", "Peak", "Bridge", "Field", "Stone", "Point", "Lake", "Ridge", "Wave", "Oak");
  private static final List<String> COMPANY_KIND = List.of(
      "Logistics", "Health", "Foods", "Software", "Manufacturing", "Energy", "Capital", "Retail", "Labs",
      "Systems", "Media", "Partners", "Insurance", "Analytics", "Construction");
  private static final List<String> DEAL_KIND = List.of(
      "New Business", "Expansion", "Platform Rollout", "Pilot", "Upgrade", "Multi-Year Renewal");

  private final SimRandom random;
  private final Set<String> emails = new HashSet<>();

  Names(SimRandom random) {
    this.random = random;
  }

  String person() {
    return random.pick(FIRST) + " " + random.pick(LAST);
  }

  String company() {
    return random.pick(COMPANY_FIRST) + " " + random.pick(COMPANY_SECOND) + " " + random.pick(COMPANY_KIND);
  }

  String deal(String company) {
    return company + " - " + random.pick(DEAL_KIND);
  }

  /** Unique within the organisation, as a directory would require. */
  String email(String person) {
    String local = person.toLowerCase(Locale.ROOT).replace(' ', '.');
    String candidate = local + "@" + EMAIL_DOMAIN;
    for (int n = 2; !emails.add(candidate); n++) {
      candidate = local + n + "@" + EMAIL_DOMAIN;
    }
    return candidate;
  }
}
