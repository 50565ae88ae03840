package io.pipelinepulse.ingest.formats;

import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.util.List;

/** Our own format: Avro single-object encoding of {@code CrmChange}. */
public final class CanonicalAdapter implements InputAdapter {

  private transient SingleObjectCodec<CrmChange> codec;

  @Override
  public Decoded decode(byte[] key, byte[] value) {
    if (codec == null) {
      codec = Codecs.crmChange();
    }
    return Decoded.of(List.of(codec.decode(value)));
  }
}
