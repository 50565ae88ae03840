package io.pipelinepulse.schema.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro single-object encoding for one generated record type. The decoder knows every released
 * writer schema of the type (resources {@code released/<Name>/v<N>.avsc}), so records written by
 * producers on an older schema are resolved to the current one without a schema registry.
 *
 * <p>Not thread-safe; create one per thread or operator instance.
 */
public final class SingleObjectCodec<T extends SpecificRecordBase> {

  private final Schema currentSchema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final List<Schema> releasedSchemas;

  private SingleObjectCodec(Schema currentSchema) {
    this.currentSchema = currentSchema;
    SpecificData model = SpecificData.getForSchema(currentSchema);
    // The generated classes carry hand-rolled coders; without this flag Avro walks every record
    // through its reflective datum writer and reader, several times slower. Records read with an
    // older writer schema still resolve field by field.
    model.setCustomCoders(true);
    this.encoder = new BinaryMessageEncoder<>(model, currentSchema);
    this.decoder = new BinaryMessageDecoder<>(model, currentSchema);
    this.releasedSchemas = loadReleasedSchemas(currentSchema.getName());
    for (Schema released : releasedSchemas) {
      decoder.addSchema(released);
    }
  }

  public static <T extends SpecificRecordBase> SingleObjectCodec<T> forSchema(Schema currentSchema) {
    return new SingleObjectCodec<>(currentSchema);
  }

  public Schema currentSchema() {
    return currentSchema;
  }

  /** Released writer schemas of this type, oldest first. */
  public List<Schema> releasedSchemas() {
    return releasedSchemas;
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot encode " + currentSchema.getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decodes one single-object encoded record.
   *
   * @throws UndecodableRecordException with reason {@code unknown-schema} when the fingerprint is of
   *     no known schema, {@code undecodable} when the bytes are not a valid record
   */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new UndecodableRecordException("undecodable", "record has no value");
    }
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new UndecodableRecordException("unknown-schema", e.getMessage());
    } catch (BadHeaderException e) {
      throw new UndecodableRecordException("undecodable", "not Avro single-object encoding: " + e.getMessage());
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new UndecodableRecordException("undecodable", "corrupt " + currentSchema.getName() + ": " + e);
    }
  }

  static List<Schema> loadReleasedSchemas(String name) {
    List<Schema> schemas = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = "/released/" + name + "/v" + version + ".avsc";
      try (InputStream in = SingleObjectCodec.class.getResourceAsStream(resource)) {
        if (in == null) {
          return schemas;
        }
        schemas.add(new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read released schema " + resource, e);
      }
    }
  }
}
