package io.netsensor.events.codec;

import io.netsensor.events.Alert;
import java.nio.ByteBuffer;

/**
 * Binary layout of ALERT records (type 3). PLACEHOLDER: the layout is being written (see the codec task);
 * until then encode refuses every alert.
 */
public final class AlertCodec {
    /** Largest ALERT record: size buffers with it. */
    public static final int MAX_SIZE = 65_536;

    private AlertCodec() {}

    /** Encodes at the buffer's position and advances it; bytes written, or -1 (buffer unchanged) when it does not fit. */
    public static int encode(Alert a, ByteBuffer buf) {
        return -1;
    }

    /** Decodes the ALERT record at the buffer's position (header included); null when it fails validation. */
    public static Alert decode(ByteBuffer buf) {
        return null;
    }
}
