package io.pipelinepulse.localstack.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who hears which alerts: the Alertmanager integrations (e-mail, chat, webhook ...) of on-call, of
 * sales ops and of each team's manager. Each entry is an Alertmanager receiver without its name,
 * written as Alertmanager documents it, so every integration Alertmanager has can be used.
 *
 * <pre>
 * global:                # optional: Alertmanager's global section (SMTP server, chat URLs)
 *   smtp_smarthost: smtp.example.com:587
 * on-call:
 *   webhook_configs: [{url: https://pager.example.com/hook}]
 * sales-ops:
 *   email_configs: [{to: sales-ops@example.com}]
 * teams:
 *   East:
 *     email_configs: [{to: east-manager@example.com}]
 * </pre>
 */
public record ManagerContacts(ObjectNode global, ObjectNode onCall, ObjectNode salesOps, Map<String, ObjectNode> teams) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP_LEVEL = Set.of("global", "on-call", "sales-ops", "teams");

  public static ManagerContacts none() {
    return new ManagerContacts(null, YAML.createObjectNode(), YAML.createObjectNode(), Map.of());
  }

  public Optional<ObjectNode> team(String team) {
    return Optional.ofNullable(teams.get(team));
  }

  public static ManagerContacts read(Path file) throws ContactsException {
    if (!Files.isReadable(file)) {
      throw new ContactsException("cannot read the contacts file " + file.toAbsolutePath());
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new ContactsException(file + " is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    } catch (IOException e) {
      throw new ContactsException("cannot read " + file + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return none();
    }
    if (!root.isObject()) {
      throw new ContactsException(file + " must hold a map with on-call, sales-ops and teams");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!TOP_LEVEL.contains(key)) {
        throw new ContactsException(key + ": unknown key (expected one of global, on-call, sales-ops, teams)");
      }
    }
    ObjectNode global = null;
    if (root.has("global")) {
      if (!root.get("global").isObject()) {
        throw new ContactsException("global: must be a map (Alertmanager's global section)");
      }
      global = (ObjectNode) root.get("global");
    }
    Map<String, ObjectNode> teams = new LinkedHashMap<>();
    JsonNode teamNodes = root.path("teams");
    if (!teamNodes.isMissingNode() && !teamNodes.isNull()) {
      if (!teamNodes.isObject()) {
        throw new ContactsException("teams: must map each team's name to its manager's integrations");
      }
      teamNodes.fields().forEachRemaining(entry -> teams.put(entry.getKey(), null));
      for (String team : teams.keySet()) {
        teams.put(team, receiver("teams." + team, teamNodes.get(team)));
      }
    }
    return new ManagerContacts(global, receiver("on-call", root.get("on-call")),
        receiver("sales-ops", root.get("sales-ops")), Map.copyOf(teams));
  }

  /** One receiver's integrations: only {@code *_configs} lists, as Alertmanager names them. */
  private static ObjectNode receiver(String key, JsonNode node) throws ContactsException {
    if (node == null || node.isNull()) {
      return YAML.createObjectNode();
    }
    if (!node.isObject()) {
      throw new ContactsException(key + ": must be a map of integrations, e.g. email_configs: [{to: someone@example.com}]");
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("name")) {
        throw new ContactsException(key + ".name: the receiver's name is generated; leave it out");
      }
      if (!field.getKey().endsWith("_configs") || !field.getValue().isArray()) {
        throw new ContactsException(key + "." + field.getKey()
            + ": expected a list of an Alertmanager integration (email_configs, slack_configs, webhook_configs, ...)");
      }
    }
    return (ObjectNode) node;
  }

  /** A contacts file that cannot be used; the message names the key. */
  public static final class ContactsException extends Exception {
    public ContactsException(String message) {
      super(message);
    }
  }
}
