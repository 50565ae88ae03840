package io.pipelinepulse.ingest.formats;

import io.pipelinepulse.config.InputLimits;
import io.pipelinepulse.schema.CrmChange;
import io.pipelinepulse.schema.codec.Codecs;
import io.pipelinepulse.schema.codec.SingleObjectCodec;
import java.util.List;

/** Our own format: Avro single-object encoding of {@code CrmChange}. */
public final class CanonicalAdapter implements InputAdapter {

  private final InputLimits limits;
  private transient SingleObjectCodec<CrmChange> codec;

  public CanonicalAdapter(InputLimits limits) {
    this.limits = limits;
  }

  @Override
  public Decoded decode(byte[] key, byte[] value) {
    if (codec == null) {
      AvroDecodeLimits.apply(limits);
      codec = Codecs.crmChange();
    }
    return Decoded.of(List.of(codec.decode(value)));
  }
}
