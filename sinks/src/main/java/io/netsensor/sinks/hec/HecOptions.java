package io.netsensor.sinks.hec;

import io.netsensor.sinks.RecordKind;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HEC sink's settings, immutable and validated on construction: a bad value throws
 * {@link IllegalArgumentException} with one line naming the sink and the setting (snake_case, as the YAML
 * will spell it), e.g. {@code hec sink 'siem': max_batch_events must be 1..5000 (the HEC limit), got 6000}.
 * Build with {@link #builder(String, HecFlavor, URI, Path)}; defaults are on the builder's setters.
 *
 * <p>Holds the token file's path, never the token: {@link #toString()} is safe to log.
 *
 * @param name            the sink's name (its position file and metrics are named after it): letters, digits, {@code _.-}
 * @param flavor          LogScale or Splunk
 * @param url             base URL of the collector, e.g. {@code https://splunk.example:8088}; the flavor's path
 *                        is appended (a URL that already ends with it, or has a proxy prefix, is kept). https,
 *                        or http only to a loopback address (a local forwarder): the token must not cross a network in clear
 * @param tokenFile       file holding the ingest token (one line); must not be readable by group or others
 * @param caFile          PEM file of the CA certificates to trust instead of the system's, or null for the system trust store
 * @param kinds           what to forward; default alerts only
 * @param host            HEC {@code host} and ECS {@code host.name}, or null for this machine's host name
 * @param sourcetype      HEC {@code sourcetype}; default {@code netsensor:ecs}
 * @param index           HEC {@code index} (Splunk index; LogScale ignores it), or null to use the token's default
 * @param maxBatchEvents  most events per request, 1..5000; default 5000
 * @param maxBatchBytes   most uncompressed body bytes per request, 64 KiB..5,000,000; default 5,000,000
 * @param gzip            compress request bodies ({@code Content-Encoding: gzip}); default true
 * @param ack             Splunk indexer acknowledgement: a batch counts only once its ack is true; default false
 * @param ackPollInterval how often to ask for acks; default 10 s
 * @param ackTimeout      how long to wait for a batch's ack before sending it again; default 5 min
 * @param connectTimeout  TCP + TLS connect; default 10 s
 * @param requestTimeout  one request, until the response headers; default 30 s
 */
public record HecOptions(
        String name,
        HecFlavor flavor,
        URI url,
        Path tokenFile,
        Path caFile,
        Set<RecordKind> kinds,
        String host,
        String sourcetype,
        String index,
        int maxBatchEvents,
        int maxBatchBytes,
        boolean gzip,
        boolean ack,
        Duration ackPollInterval,
        Duration ackTimeout,
        Duration connectTimeout,
        Duration requestTimeout) {

    /** The HEC limits this sink keeps to (a request larger than this is refused by common collector settings). */
    public static final int MAX_EVENTS_PER_REQUEST = 5_000;
    public static final int MAX_BYTES_PER_REQUEST = 5_000_000;
    /** Below this an ECS document (a DNS record with many answers reaches tens of KiB) might not fit a request. */
    public static final int MIN_BYTES_PER_REQUEST = 64 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public HecOptions {
        String who = "hec sink '" + name + "': ";
        if (name == null || !NAME.matcher(name).matches())
            throw new IllegalArgumentException("hec sink: name must be 1-64 letters, digits or _.- , got '" + name + "'");
        require(flavor != null, who + "flavor is required (logscale or splunk)");
        require(url != null, who + "url is required, e.g. https://collector.example:8088");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        require(scheme.equals("https") || scheme.equals("http"), who + "url must be https://..., got " + url);
        require(url.getHost() != null && !url.getHost().isEmpty(), who + "url has no host: " + url);
        require(url.getRawQuery() == null && url.getRawFragment() == null && url.getRawUserInfo() == null,
                who + "url must not carry a query, fragment or user info (the token comes from token_file): " + url);
        require(scheme.equals("https") || isLoopback(url.getHost()),
                who + "url is http:// to a non-loopback host, which would send the token in clear; use https");
        require(tokenFile != null, who + "token_file is required");
        kinds = kinds == null ? EnumSet.of(RecordKind.ALERT) : Set.copyOf(kinds);
        require(!kinds.isEmpty(), who + "kinds must name at least one of alert, telemetry, event");
        require(host == null || !host.isBlank(), who + "host must not be blank (leave it out for this machine's name)");
        require(sourcetype != null && !sourcetype.isBlank(), who + "sourcetype must not be blank");
        require(index == null || !index.isBlank(), who + "index must not be blank (leave it out for the token's default)");
        require(maxBatchEvents >= 1 && maxBatchEvents <= MAX_EVENTS_PER_REQUEST,
                who + "max_batch_events must be 1.." + MAX_EVENTS_PER_REQUEST + " (the HEC limit), got " + maxBatchEvents);
        require(maxBatchBytes >= MIN_BYTES_PER_REQUEST && maxBatchBytes <= MAX_BYTES_PER_REQUEST,
                who + "max_batch_bytes must be " + MIN_BYTES_PER_REQUEST + ".." + MAX_BYTES_PER_REQUEST + ", got " + maxBatchBytes);
        require(!ack || flavor == HecFlavor.SPLUNK, who + "ack (indexer acknowledgement) exists only for flavor splunk");
        positive(ackPollInterval, who + "ack_poll_interval");
        positive(ackTimeout, who + "ack_timeout");
        positive(connectTimeout, who + "connect_timeout");
        positive(requestTimeout, who + "request_timeout");
        require(ackPollInterval.compareTo(ackTimeout) <= 0, who + "ack_poll_interval must not exceed ack_timeout");
    }

    /** Starts options with the required settings; every other one has its documented default. */
    public static Builder builder(String name, HecFlavor flavor, URI url, Path tokenFile) {
        return new Builder(name, flavor, url, tokenFile);
    }

    /** The event endpoint for this flavor. */
    public URI eventUri() {
        return URI.create(base() + flavor.eventPath);
    }

    /** Splunk's ack endpoint beside the event endpoint. */
    public URI ackUri() {
        return URI.create(base() + HecFlavor.SPLUNK_ACK_PATH);
    }

    /** The URL without the flavor's path, so a proxy prefix (https://gw/splunk) survives. */
    private String base() {
        String s = url.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        if (s.endsWith(flavor.eventPath)) s = s.substring(0, s.length() - flavor.eventPath.length());
        return s;
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) return true;
        // only literal addresses: a name is not resolved here (no DNS lookups while validating a config)
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) return false;
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    private static void positive(Duration d, String what) {
        require(d != null && !d.isNegative() && !d.isZero(), what + " must be a positive duration, got " + d);
    }

    /** Builder with the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private final HecFlavor flavor;
        private final URI url;
        private final Path tokenFile;
        private Path caFile;
        private Set<RecordKind> kinds = EnumSet.of(RecordKind.ALERT);
        private String host;
        private String sourcetype = "netsensor:ecs";
        private String index;
        private int maxBatchEvents = MAX_EVENTS_PER_REQUEST;
        private int maxBatchBytes = MAX_BYTES_PER_REQUEST;
        private boolean gzip = true;
        private boolean ack;
        private Duration ackPollInterval = Duration.ofSeconds(10);
        private Duration ackTimeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(String name, HecFlavor flavor, URI url, Path tokenFile) {
            this.name = name;
            this.flavor = flavor;
            this.url = url;
            this.tokenFile = tokenFile;
        }

        /** Default: none (the system trust store). */
        public Builder caFile(Path v) { caFile = v; return this; }
        /** Default: alerts only. */
        public Builder kinds(Set<RecordKind> v) { kinds = v; return this; }
        /** Default: this machine's host name. */
        public Builder host(String v) { host = v; return this; }
        /** Default: {@code netsensor:ecs}. */
        public Builder sourcetype(String v) { sourcetype = v; return this; }
        /** Default: none (the token's default index). */
        public Builder index(String v) { index = v; return this; }
        /** Default: 5000. */
        public Builder maxBatchEvents(int v) { maxBatchEvents = v; return this; }
        /** Default: 5,000,000. */
        public Builder maxBatchBytes(int v) { maxBatchBytes = v; return this; }
        /** Default: true. */
        public Builder gzip(boolean v) { gzip = v; return this; }
        /** Default: false. */
        public Builder ack(boolean v) { ack = v; return this; }
        /** Default: 10 s. */
        public Builder ackPollInterval(Duration v) { ackPollInterval = v; return this; }
        /** Default: 5 min. */
        public Builder ackTimeout(Duration v) { ackTimeout = v; return this; }
        /** Default: 10 s. */
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        /** Default: 30 s. */
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }

        public HecOptions build() {
            return new HecOptions(name, flavor, url, tokenFile, caFile, kinds, host, sourcetype, index, maxBatchEvents,
                    maxBatchBytes, gzip, ack, ackPollInterval, ackTimeout, connectTimeout, requestTimeout);
        }
    }
}
