package io.netsensor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The registry's names, types and tags as Prometheus text. */
class PrometheusTextTest {
    @Test
    void mapsBasesTagsAndTypes() throws Exception {
        Metrics m = new Metrics();
        long[] frames = {41};
        m.count("capture.frames", () -> frames[0]);
        m.count(Metrics.name("capture.decode.malformed", "reason", "truncated_ip"), () -> 3);
        m.count(Metrics.name("capture.decode.malformed", "reason", "bad_tcp_header"), () -> 1);
        m.gauge("conn.flows_active", () -> 7);
        m.counter(Metrics.name("detect.alerts_journaled", "detector", "beacon")).inc(2);
        m.histogram(Metrics.name("sink.batch_records", "sink", "siem")).update(10);
        JvmMetrics.register(m);
        frames[0]++;

        String text = text(m);
        assertThat(text).contains("# TYPE netsensor_capture_frames_total counter\n", "netsensor_capture_frames_total 42.0\n",
                "netsensor_capture_decode_malformed_total{reason=\"truncated_ip\"} 3.0\n",
                "netsensor_capture_decode_malformed_total{reason=\"bad_tcp_header\"} 1.0\n",
                "# TYPE netsensor_conn_flows_active gauge\n", "netsensor_conn_flows_active 7.0\n",
                "netsensor_detect_alerts_journaled_total{detector=\"beacon\"} 2.0\n",
                "# TYPE netsensor_sink_batch_records summary\n", "netsensor_sink_batch_records_count{sink=\"siem\"} 1\n",
                "netsensor_sink_batch_records{sink=\"siem\",quantile=\"0.5\"} 10.0\n",
                "# HELP netsensor_capture_frames_total capture.frames (metrics/README.md)\n");
        assertThat(text).containsPattern("netsensor_process_rss_bytes [1-9][0-9.E]+\n")
                .containsPattern("netsensor_jvm_memory_heap_used_bytes [1-9]")
                .containsPattern("netsensor_jvm_gc_collections_total\\{gc=\"[a-z0-9_]+\"}");
        // one HELP and TYPE per family, even with several tag sets
        assertThat(text.split("# TYPE netsensor_capture_decode_malformed_total ", -1)).hasSize(2);
    }

    private static String text(Metrics m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusText.write(m, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
