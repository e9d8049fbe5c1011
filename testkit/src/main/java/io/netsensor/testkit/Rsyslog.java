package io.netsensor.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslog (Debian's rsyslogd) as the collector: imtcp on a loopback port (plain, or TLS through the
 * gtls driver with certificates from {@link TestCerts}), every message written to a file as
 * {@code MSGID TAB MSG}. Only this instance's own modules are loaded (no imuxsock/imklog), with a direct
 * main queue, so what rsyslog took from the socket is in the file before the next message is read.
 */
public final class Rsyslog implements AutoCloseable {
    public final Path dir;
    public final int port;
    public final Path output;
    private final Path conf;
    private Process process;

    private Rsyslog(Path dir, int port, TestCerts tls) throws IOException {
        this.dir = dir;
        this.port = port;
        this.output = dir.resolve("received.log");
        this.conf = dir.resolve("rsyslog.conf");
        Files.createDirectories(dir);
        String tlsGlobal = tls == null ? "" : " defaultNetstreamDriver=\"gtls\" defaultNetstreamDriverCAFile=\"" + tls.ca
                + "\" defaultNetstreamDriverCertFile=\"" + tls.serverCert + "\" defaultNetstreamDriverKeyFile=\"" + tls.serverKey + "\"";
        String tlsModule = tls == null ? "" : " streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\"";
        Files.writeString(conf, String.join("\n",
                "global(workDirectory=\"" + dir + "\" maxMessageSize=\"256k\"" + tlsGlobal + ")",
                "main_queue(queue.type=\"Direct\")",
                "module(load=\"imtcp\" maxSessions=\"50\"" + tlsModule + ")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + port + "\")",
                "template(name=\"raw\" type=\"string\" string=\"%msgid%\\t%pri%\\t%hostname%\\t%msg%\\n\")",
                "action(type=\"omfile\" file=\"" + output + "\" template=\"raw\" asyncWriting=\"off\" flushOnTXEnd=\"on\")",
                ""));
    }

    /** Starts rsyslog, or skips the test (fails in CI) when it is not installed. */
    public static Rsyslog start(Path dir, TestCerts tls) throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/sbin/rsyslogd"));
        if (!installed) {
            String why = "rsyslogd not installed (apt-get install rsyslog rsyslog-gnutls)";
            if (Shared.inCi()) fail(why + ": CI must have it");
            assumeTrue(false, why + "; skipped");
        }
        Rsyslog r = new Rsyslog(dir, freePort(), tls);
        r.start();
        return r;
    }

    public void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/sbin/rsyslogd", "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile());
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("rsyslogd exited: " + Files.readString(dir.resolve("rsyslogd.out")));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("rsyslogd did not listen on " + port + ": " + Files.readString(dir.resolve("rsyslogd.out")));
    }

    /** Whether the rsyslogd this helper started is running. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** What rsyslogd printed (its errors), for a failure message. */
    public String log() throws IOException {
        Path out = dir.resolve("rsyslogd.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    /** SIGTERM, as `systemctl stop rsyslog` does; waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        process.waitFor(15, TimeUnit.SECONDS);
        if (process.isAlive()) process.destroyForcibly().waitFor();
        process = null;
    }

    /** The received messages, one per line: MSGID, PRI, HOSTNAME, MSG separated by tabs. */
    public List<String[]> received() throws IOException {
        List<String[]> out = new ArrayList<>();
        if (!Files.exists(output)) return out;
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) out.add(line.split("\t", 4));
        }
        return out;
    }

    /** Waits until at least n messages are in the file (or the timeout passes); returns how many are. */
    public int awaitCount(int n, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int have;
        while ((have = count()) < n && System.currentTimeMillis() < deadline) Thread.sleep(200);
        return have;
    }

    /** Messages in the file now. */
    public int count() throws IOException {
        if (!Files.exists(output)) return 0;
        int n = 0;
        for (byte b : Files.readAllBytes(output)) if (b == '\n') n++;
        return n;
    }

    /**
     * A free loopback port below Linux's ephemeral range (32768-60999): a test that stops rsyslog and starts
     * it again on the same port must not find the port taken meanwhile by a listener on port 0 of another
     * test run on the same machine (which then answered the probe while rsyslog could not bind).
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 100; i++) {
            int port = random.nextInt(20_000, 32_000);
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
