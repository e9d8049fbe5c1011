package io.netsensor.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throw-away CA and a server certificate for 127.0.0.1 and "localhost", made with the openssl CLI. */
public final class TestCerts {
    public final Path ca, caKey, serverCert, serverKey;

    private TestCerts(Path dir) {
        ca = dir.resolve("ca.pem");
        caKey = dir.resolve("ca.key");
        serverCert = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
    }

    /** @param serverName the name the server certificate carries (besides IP 127.0.0.1) */
    public static TestCerts make(Path dir, String serverName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCerts c = new TestCerts(dir);
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=netsensor test CA",
                "-keyout", c.caKey.toString(), "-out", c.ca.toString());
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=DNS:" + serverName + ",IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        Path csr = dir.resolve("server.csr");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + serverName,
                "-keyout", c.serverKey.toString(), "-out", csr.toString());
        run(dir, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", c.ca.toString(), "-CAkey", c.caKey.toString(),
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", c.serverCert.toString());
        return c;
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
    }
}
