package io.netsensor.agent;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the capture side (source → pipeline → journal) on its own thread while the caller pumps the
 * journal to consumers; remembers a failure so the caller can rethrow it after the pump has drained.
 */
final class CaptureThread {
    /** The capture work; may throw anything (I/O on the source, a bug in a tracker). */
    interface Body {
        void run() throws Exception;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean done;

    private CaptureThread(Body body) {
        thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done = true;
            }
        }, "netsensor-capture");
    }

    static CaptureThread start(Body body) {
        CaptureThread c = new CaptureThread(body);
        c.thread.start();
        return c;
    }

    /** True once the capture work has returned (normally or not): the pump may stop at the journal's end. */
    boolean done() {
        return done;
    }

    boolean failed() {
        return failure.get() != null;
    }

    void join() throws InterruptedException {
        thread.join();
    }

    /** Rethrows what ended the capture work: I/O errors as they are, anything else wrapped. */
    void rethrowFailure() throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException) throw (IOException) t;
        if (t != null) throw new IllegalStateException(t);
    }
}
