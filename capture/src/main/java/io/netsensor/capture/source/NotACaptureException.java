package io.netsensor.capture.source;

import java.io.IOException;

/**
 * The file is readable but not a capture (a directory, an empty file, text, an unknown format): a user's
 * mistake, which callers report differently from an I/O failure while reading.
 */
public final class NotACaptureException extends IOException {
    public NotACaptureException(String message) {
        super(message);
    }
}
