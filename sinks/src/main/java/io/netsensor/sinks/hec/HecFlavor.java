package io.netsensor.sinks.hec;

/**
 * Which HTTP Event Collector the sink talks to. Both take the same batch of concatenated HEC event objects;
 * they differ in the ingest path and in the word before the token in the {@code Authorization} header.
 */
public enum HecFlavor {
    /** CrowdStrike Falcon LogScale (Humio): {@code /api/v1/ingest/hec}, {@code Authorization: Bearer TOKEN}. */
    LOGSCALE("/api/v1/ingest/hec", "Bearer"),
    /** Splunk Enterprise / Cloud: {@code /services/collector/event}, {@code Authorization: Splunk TOKEN}. */
    SPLUNK("/services/collector/event", "Splunk");

    /** The event endpoint, appended to the configured base URL. */
    public final String eventPath;
    /** The authorization scheme the token follows. */
    public final String authScheme;

    HecFlavor(String eventPath, String authScheme) {
        this.eventPath = eventPath;
        this.authScheme = authScheme;
    }

    /** Splunk's indexer-acknowledgement status endpoint (Splunk only). */
    static final String SPLUNK_ACK_PATH = "/services/collector/ack";
}
