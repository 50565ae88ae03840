package io.pipelinepulse.ingest;

/**
 * A 64-bit hash of an event id, for remembering ids without their text: FNV-1a over the UTF-16
 * code units, then a SplitMix64 finaliser to spread ids that differ in their last characters only
 * (log positions, sequence numbers).
 */
public final class EventIdHash {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private EventIdHash() {}

  public static long of(String eventId) {
    long hash = FNV_OFFSET;
    for (int i = 0; i < eventId.length(); i++) {
      hash ^= eventId.charAt(i);
      hash *= FNV_PRIME;
    }
    hash ^= hash >>> 30;
    hash *= 0xbf58476d1ce4e5b9L;
    hash ^= hash >>> 27;
    hash *= 0x94d049bb133111ebL;
    return hash ^ (hash >>> 31);
  }
}
