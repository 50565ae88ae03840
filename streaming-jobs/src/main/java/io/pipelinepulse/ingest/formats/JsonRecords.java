package io.pipelinepulse.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipelinepulse.schema.codec.UndecodableRecordException;
import java.io.IOException;

/** Reads the JSON of a Kafka record, failing with the dead-letter reason {@code undecodable}. */
public final class JsonRecords {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonRecords() {}

  /** @param what which part of the record it is, for the message: value, key */
  public static JsonNode read(byte[] bytes, String what) {
    if (bytes == null || bytes.length == 0) {
      throw new UndecodableRecordException("undecodable", "the record's " + what + " is empty");
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UndecodableRecordException("undecodable", "the record's " + what + " is not JSON: " + e.getMessage());
    }
  }
}
