package io.netsensor.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human units in config and on the command line: durations ("90s", "5m", "24h", "7d", "250ms") and sizes
 * ("512MiB", "10GB", or a number of bytes), with the Jackson deserializers that parse them at load time.
 */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

    private Units() {}

    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 250ms, 90s, 5m, 24h, 7d)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                default: return Duration.ofDays(n);
            }
        } catch (ArithmeticException | NumberFormatException e) { // the digits match: only overflow is left
            throw tooLarge(text);
        }
    }

    private static IllegalArgumentException tooLarge(String text) {
        return new IllegalArgumentException("too large: '" + text + "'");
    }

    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 512MiB, 10GiB, 1000000)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw tooLarge(text);
        }
        String u = m.group(2) == null ? "b" : m.group(2);
        long mult;
        switch (u) {
            case "b": mult = 1; break;
            case "k": case "kib": mult = 1L << 10; break;
            case "kb": mult = 1000; break;
            case "m": case "mib": mult = 1L << 20; break;
            case "mb": mult = 1000_000; break;
            case "g": case "gib": mult = 1L << 30; break;
            case "gb": mult = 1000_000_000; break;
            case "tb": mult = 1000_000_000_000L; break;
            default: mult = 1L << 40;
        }
        try {
            return Math.multiplyExact(n, mult);
        } catch (ArithmeticException e) {
            throw tooLarge(text);
        }
    }

    /** The shortest spelling {@link #duration} reads back: "2h", "90s", "250ms". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s % 86_400 == 0) return s / 86_400 + "d";
        if (s % 3600 == 0) return s / 3600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }

    /**
     * Reads a duration in config. The error carries the parser's position, so the loader can say where;
     * a bare number is refused, since seconds or milliseconds would be a guess.
     */
    static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            String text = p.getText();
            try {
                return duration(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }

    /** Reads a size in config: a number of bytes, or a number with a unit. */
    static final class SizeDeserializer extends StdScalarDeserializer<Long> {
        SizeDeserializer() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) return (Long) ctxt.handleUnexpectedToken(Long.class, p);
            String text = p.getText();
            try {
                if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0) return p.getLongValue();
                return bytes(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, long.class);
            } catch (IOException e) { // a number beyond a long
                throw InvalidFormatException.from(p, tooLarge(text).getMessage(), text, long.class);
            }
        }
    }

    /**
     * A listening address: "127.0.0.1:9464", "[::1]:9464", "localhost:9464", "0.0.0.0:9464". Only IP
     * literals and localhost: a name would be resolved once at start, which hides what is really bound.
     */
    public static java.net.InetSocketAddress listenAddress(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        String example = " (e.g. 127.0.0.1:9464 or [::1]:9464)";
        if (colon <= 0 || colon == t.length() - 1) throw new IllegalArgumentException("'" + text + "' is not host:port" + example);
        String host = t.substring(0, colon), portText = t.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "': an IPv6 address goes in brackets" + example);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': '" + portText + "' is not a port" + example);
        }
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("'" + text + "': port " + port + " is not between 0 and 65535");
        boolean literal = host.equals("localhost") || host.matches("[0-9.]+") && host.split("\\.", -1).length == 4
                || host.indexOf(':') >= 0 && host.matches("[0-9a-fA-F:.]+");
        if (!literal) throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IP address or localhost" + example);
        try {
            java.net.InetAddress a = host.equals("localhost") ? java.net.InetAddress.getLoopbackAddress() : java.net.InetAddress.getByName(host);
            return new java.net.InetSocketAddress(a, port);
        } catch (java.net.UnknownHostException e) { // a literal is not looked up: only a malformed one fails
            throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IP address" + example);
        }
    }
}
