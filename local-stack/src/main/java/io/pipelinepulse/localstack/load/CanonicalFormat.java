package io.pipelinepulse.localstack.load;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.CanonicalJson;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Canonical change events as JSON objects, one a line ({@link CanonicalJson}). */
public final class CanonicalFormat implements ChangeFileFormat {

  private static final Pattern NOT_ONE_OF = Pattern.compile("^(\\w+) '.*' is not one of .*$", Pattern.DOTALL);
  private static final Pattern BAD_VALUE = Pattern.compile("^(\\w+) '.*' is .*$", Pattern.DOTALL);
  private static final Pattern FIELD_VALUE = Pattern.compile("^field \\S+ must be .*$", Pattern.DOTALL);
  private static final Pattern QUOTED = Pattern.compile("'[^']*'");

  @Override
  public String name() {
    return "canonical";
  }

  @Override
  public String description() {
    return "canonical change events as JSON objects (CanonicalJson), one a line";
  }

  @Override
  public List<CrmChange> parse(String line) throws RejectedLineException {
    try {
      return List.of(CanonicalJson.parse(line));
    } catch (IllegalArgumentException e) {
      String detail = e.getMessage() == null ? "unreadable line" : e.getMessage();
      throw new RejectedLineException(reasonOf(detail), detail);
    } catch (RuntimeException e) {
      // A parser bug must cost one line, not the whole load.
      throw new RejectedLineException("unreadable", e.toString());
    }
  }

  /** Folds the details that vary from line to line (values, parser positions) out of the reason. */
  static String reasonOf(String detail) {
    if (detail.startsWith("not JSON")) {
      return "not JSON";
    }
    if (FIELD_VALUE.matcher(detail).matches()) {
      return "bad field value";
    }
    Matcher notOneOf = NOT_ONE_OF.matcher(detail);
    if (notOneOf.matches()) {
      return "unknown " + notOneOf.group(1);
    }
    Matcher badValue = BAD_VALUE.matcher(detail);
    if (badValue.matches()) {
      return "bad " + badValue.group(1);
    }
    return QUOTED.matcher(detail).replaceAll("'…'");
  }
}
