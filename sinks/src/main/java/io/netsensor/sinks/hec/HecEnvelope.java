package io.netsensor.sinks.hec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One HEC event object around one ECS document:
 * {@code {"time":1700000000.123,"host":..,"source":"netsensor","sourcetype":..,["index":..,]"fields":{..},"event":{ECS}}}.
 * {@code time} is epoch seconds with a millisecond fraction (HEC's format); {@code fields} are flat string
 * values, which Splunk indexes (searchable without parsing the event) and LogScale adds as fields. No
 * newline: the batch is the objects concatenated, as HEC reads them. Single-threaded.
 */
final class HecEnvelope {
    static final String SOURCE = "netsensor";
    private static final byte[] EVENT_FIELD = ",\"event\":".getBytes(StandardCharsets.US_ASCII);

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    private final JsonGenerator gen;
    private final String host, sourcetype, index;

    HecEnvelope(String host, String sourcetype, String index) {
        this.host = host;
        this.sourcetype = sourcetype;
        this.index = index;
        try {
            this.gen = new JsonFactory().createGenerator(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream
        }
        gen.setRootValueSeparator(null); // one object per reset buffer, nothing between them
    }

    /**
     * @param doc      the ECS document (UTF-8 JSON object)
     * @param nanos    the record's time, ns since the epoch
     * @param fields   flat indexed fields as name, value pairs; a null value is left out
     */
    byte[] wrap(byte[] doc, long nanos, String... fields) {
        try {
            buf.reset();
            gen.writeStartObject();
            gen.writeFieldName("time");
            gen.writeNumber(epochSeconds(nanos));
            gen.writeStringField("host", host);
            gen.writeStringField("source", SOURCE);
            gen.writeStringField("sourcetype", sourcetype);
            if (index != null) gen.writeStringField("index", index);
            gen.writeObjectFieldStart("fields");
            for (int i = 0; i + 1 < fields.length; i += 2) {
                if (fields[i + 1] != null) gen.writeStringField(fields[i], fields[i + 1]);
            }
            gen.writeEndObject();
            gen.writeEndObject();
            gen.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The ECS document goes in as the bytes it already is (re-parsing it to let Jackson write it would cost
        // more than the rest of the sink): the envelope's closing brace is replaced by ,"event":DOC}.
        int head = buf.size() - 1;
        byte[] out = new byte[head + EVENT_FIELD.length + doc.length + 1];
        System.arraycopy(buf.toByteArray(), 0, out, 0, head);
        System.arraycopy(EVENT_FIELD, 0, out, head, EVENT_FIELD.length);
        System.arraycopy(doc, 0, out, head + EVENT_FIELD.length, doc.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** Epoch seconds with a 3-digit millisecond fraction, e.g. "1700000000.123". */
    static String epochSeconds(long nanos) {
        long ms = Math.floorDiv(nanos, 1_000_000L);
        long s = Math.floorDiv(ms, 1000L);
        int frac = (int) Math.floorMod(ms, 1000L);
        StringBuilder b = new StringBuilder(20).append(s).append('.');
        if (frac < 100) b.append('0');
        if (frac < 10) b.append('0');
        return b.append(frac).toString();
    }
}
