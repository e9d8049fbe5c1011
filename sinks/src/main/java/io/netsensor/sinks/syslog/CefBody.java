package io.netsensor.sinks.syslog;

import io.netsensor.events.Alert;
import io.netsensor.events.TelemetryRow;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;

/**
 * The CEF body of syslog messages (ArcSight, QRadar), made by the format module's
 * {@code io.netsensor.format.CefEncoder}. That encoder is being written alongside this sink, so it is found
 * by name rather than linked: this module builds without it, and {@code format: cef} is refused with one
 * line (by the config check) until it is there. Once it has landed, replace the reflection with a plain call.
 *
 * <p>Expected shape: a public constructor taking the host name (String) or nothing, and a public method
 * taking an {@link Alert} and returning the CEF line (String or UTF-8 bytes); a method taking a
 * {@link TelemetryRow} likewise, if the encoder covers telemetry.
 */
final class CefBody {
    static final String ENCODER = "io.netsensor.format.CefEncoder";

    private final Object encoder;
    private final Method alert, telemetry;

    private CefBody(Object encoder, Method alert, Method telemetry) {
        this.encoder = encoder;
        this.alert = alert;
        this.telemetry = telemetry;
    }

    /**
     * The encoder for {@code hostName}.
     *
     * @throws IllegalArgumentException one line saying what is missing
     */
    static CefBody load(String className, String hostName) {
        Class<?> c;
        try {
            c = Class.forName(className, true, CefBody.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("cef needs " + className + ", which this build does not have yet; use format: ecs");
        }
        Method alert = method(c, Alert.class), telemetry = method(c, TelemetryRow.class);
        if (alert == null) throw new IllegalArgumentException(className + " has no public method encoding an Alert; use format: ecs");
        try {
            Object encoder;
            try {
                Constructor<?> k = c.getConstructor(String.class);
                encoder = k.newInstance(hostName);
            } catch (NoSuchMethodException e) {
                encoder = c.getConstructor().newInstance();
            }
            return new CefBody(encoder, alert, telemetry);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot create " + className + ": " + rootMessage(e) + "; use format: ecs");
        }
    }

    /** Why {@code format: cef} cannot be used in this build, or null when it can. */
    static String unavailable(String className, boolean telemetryToo) {
        try {
            CefBody b = load(className, "-");
            return telemetryToo && b.telemetry == null
                    ? className + " encodes alerts only; set kinds: [alerts] for a cef sink" : null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Method method(Class<?> c, Class<?> parameter) {
        for (Method m : c.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 1 || m.getParameterTypes()[0] != parameter) continue;
            if (m.getReturnType() == String.class || m.getReturnType() == byte[].class) return m;
        }
        return null;
    }

    byte[] alert(Alert a) {
        return call(alert, a);
    }

    /** Null when the encoder does not cover telemetry (the config check refuses telemetry for such a sink). */
    byte[] telemetry(TelemetryRow r) {
        return telemetry == null ? null : call(telemetry, r);
    }

    private byte[] call(Method m, Object record) {
        Object out;
        try {
            out = m.invoke(encoder, record);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(ENCODER + " failed: " + rootMessage(e), e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return out instanceof byte[] b ? b : String.valueOf(out).getBytes(StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.toString();
    }
}
