package io.netsensor.sinks.hec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context for a collector: the system trust store, or only the CAs of a PEM file (as curl's
 * {@code --cacert}). Certificate-chain and host-name verification stay on: the JDK's HttpClient checks the
 * name against the certificate's subject alternative names for every https connection.
 */
final class Tls {
    private Tls() {}

    static SSLContext context(String sink, Path caFile) throws IOException {
        if (Boolean.getBoolean("jdk.internal.httpclient.disableHostnameVerification"))
            throw new IOException("hec sink '" + sink + "': the JVM runs with host-name verification disabled"
                    + " (-Djdk.internal.httpclient.disableHostnameVerification); remove that flag");
        try {
            if (caFile == null) return SSLContext.getDefault();
            return trusting(sink, caFile);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("hec sink '" + sink + "': no TLS in this JVM: " + e.getMessage());
        }
    }

    private static SSLContext trusting(String sink, Path caFile) throws IOException {
        String who = "hec sink '" + sink + "': ca_file " + caFile;
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IOException(who + " cannot be read: " + e.getClass().getSimpleName());
        } catch (GeneralSecurityException e) {
            throw new IOException(who + " is not a PEM file of certificates: " + e.getMessage());
        }
        if (certs.isEmpty()) throw new IOException(who + " holds no certificate");
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) ks.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(who + ": cannot build a trust store from it: " + e.getMessage());
        }
    }
}
