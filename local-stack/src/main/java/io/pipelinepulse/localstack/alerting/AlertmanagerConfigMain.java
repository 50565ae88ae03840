package io.pipelinepulse.localstack.alerting;

import io.pipelinepulse.config.ConfigException;
import io.pipelinepulse.config.PulseConfig;
import io.pipelinepulse.config.PulseConfigLoader;
import io.pipelinepulse.localstack.cli.Args;
import io.pipelinepulse.localstack.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the Alertmanager configuration for the teams of the user directory ({@code directory.users}
 * of the job's configuration), with each manager's integrations from a contacts file. Teams that
 * only the input stream names can be added with {@code --teams}.
 */
public final class AlertmanagerConfigMain {

  private AlertmanagerConfigMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static String usage() {
    return String.join(System.lineSeparator(),
        "Usage: alertmanager-config [--config FILE] [--contacts FILE] [--teams A,B,...] [--out FILE]",
        "",
        "Writes Pipeline Pulse's Alertmanager configuration: one route and receiver per team, for the",
        "teams of directory.users in the job's configuration and those given with --teams; operational",
        "alerts to on-call, aggregate pipeline alerts to sales ops.",
        "",
        "Options:",
        "  --config FILE    the job's configuration (its directory.users lists each user's team)",
        "  --contacts FILE  integrations of on-call, sales-ops and each team's manager (see alerting/README.md)",
        "  --teams A,B,...  teams to route besides those of the directory",
        "  --out FILE       where to write (default: standard output)",
        "  --help           show this help",
        "");
  }

  static int run(String[] argv, PrintStream out, PrintStream err) {
    try {
      Args args = Args.parse(argv, Set.of("--config", "--contacts", "--teams", "--out"), Set.of("--help"));
      if (args.has("--help")) {
        out.print(usage());
        return 0;
      }
      if (!args.positional().isEmpty()) {
        throw new UsageException("unexpected argument " + args.positional().get(0));
      }
      PulseConfig config = args.value("--config").map(Path::of).map(PulseConfigLoader::load)
          .orElseGet(PulseConfigLoader::defaults);
      ManagerContacts contacts = args.has("--contacts")
          ? ManagerContacts.read(Path.of(args.string("--contacts", null)))
          : ManagerContacts.none();
      Set<String> teams = new TreeSet<>();
      config.directory().users().values().forEach(user -> teams.add(user.team()));
      teams.addAll(contacts.teams().keySet());
      teams.addAll(teamsOption(args));
      for (String team : teams) {
        if (contacts.team(team).isEmpty()) {
          err.println("alertmanager-config: team " + team + " has no contacts: its manager's alerts show only in "
              + "Alertmanager (add teams." + team + " to the contacts file)");
        }
      }
      String yaml = new AlertmanagerConfigGenerator().generate(teams, contacts);
      if (args.has("--out")) {
        Path target = Path.of(args.string("--out", null));
        Files.writeString(target, yaml, StandardCharsets.UTF_8);
        err.println("alertmanager-config: wrote " + target + " with " + teams.size() + " team route(s)");
      } else {
        out.print(yaml);
      }
      return 0;
    } catch (UsageException e) {
      err.println("alertmanager-config: " + e.getMessage());
      err.print(usage());
      return 1;
    } catch (ConfigException | ManagerContacts.ContactsException | IllegalArgumentException e) {
      err.println("alertmanager-config: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("alertmanager-config: cannot write: " + e.getMessage());
      return 1;
    }
  }

  private static List<String> teamsOption(Args args) throws UsageException {
    List<String> teams = new ArrayList<>();
    if (args.has("--teams")) {
      for (String team : args.string("--teams", null).split(",")) {
        if (team.isBlank()) {
          throw new UsageException("option --teams: empty team name in '" + args.string("--teams", null) + "'");
        }
        teams.add(team.strip());
      }
    }
    return teams;
  }
}
