package io.netsensor.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON encoders' plumbing: a fresh Jackson generator per document over one reused buffer, so a document
 * that failed half-way can never leave the next one inside an unclosed object.
 */
final class JsonBuffer {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
    private JsonGenerator gen;

    /** Starts a document (dropping whatever an unfinished one left). */
    JsonGenerator start() {
        buf.reset();
        try {
            gen = FACTORY.createGenerator(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gen;
    }

    /** The document written since {@link #start()}. */
    byte[] take() {
        try {
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] b = buf.toByteArray();
        buf.reset();
        return b;
    }
}
