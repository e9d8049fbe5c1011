package io.netsensor.sinks.hec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed server certificate made with the JDK's keytool, and its PEM for the sink's ca_file. */
final class TestTls {
    private static final String PASS = "changeit";
    final SSLContext server;
    final Path caPem;

    private TestTls(SSLContext server, Path caPem) {
        this.server = server;
        this.caPem = caPem;
    }

    /** @param san the certificate's subject alternative names, e.g. "ip:127.0.0.1" or "dns:collector.example" */
    static TestTls create(Path dir, String san) throws Exception {
        Files.createDirectories(dir);
        Path ks = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "hec", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=test-collector",
                "-ext", "SAN=" + san, "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", PASS, "-keypass", PASS);
        keytool("-exportcert", "-alias", "hec", "-keystore", ks.toString(), "-storepass", PASS, "-rfc", "-file", pem.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASS.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASS.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return new TestTls(ctx, pem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("keytool failed: " + out);
    }
}
