package io.pipelinepulse.localstack.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command-line reader shared by the local-stack tools, so that every tool accepts
 * {@code --name value} and {@code --name=value} alike and words its complaints the same way.
 */
public final class Args {

  private final Map<String, String> values;
  private final List<String> positional;

  private Args(Map<String, String> values, List<String> positional) {
    this.values = values;
    this.positional = positional;
  }

  /**
   * @param valueOptions options that take a value, e.g. {@code --seed}
   * @param flagOptions options that stand alone, e.g. {@code --live}
   */
  public static Args parse(String[] argv, Set<String> valueOptions, Set<String> flagOptions) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        positional.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      String name = arg;
      String inlineValue = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inlineValue = arg.substring(eq + 1);
      }
      if (values.containsKey(name)) {
        throw new UsageException("option " + name + " is given more than once");
      }
      if (flagOptions.contains(name)) {
        if (inlineValue != null) {
          throw new UsageException("option " + name + " takes no value");
        }
        values.put(name, "true");
      } else if (valueOptions.contains(name)) {
        if (inlineValue == null) {
          if (i + 1 >= argv.length) {
            throw new UsageException("option " + name + " needs a value");
          }
          inlineValue = argv[++i];
        }
        values.put(name, inlineValue);
      } else {
        throw new UsageException("unknown option " + name);
      }
    }
    return new Args(values, positional);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String string(String name, String defaultValue) throws UsageException {
    String value = values.getOrDefault(name, defaultValue);
    if (value != null && value.isBlank()) {
      throw new UsageException("option " + name + " needs a non-empty value");
    }
    return value;
  }

  public long longValue(String name, long defaultValue, long min) throws UsageException {
    String text = values.get(name);
    if (text == null) {
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("option " + name + ": '" + text + "' is not a whole number");
    }
    if (value < min) {
      throw new UsageException("option " + name + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  public double doubleValue(String name, double defaultValue) throws UsageException {
    String text = values.get(name);
    if (text == null) {
      return defaultValue;
    }
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("option " + name + ": '" + text + "' is not a number");
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new UsageException("option " + name + " must be a positive number, got " + text);
    }
    return value;
  }

  public List<String> positional() {
    return positional;
  }
}
