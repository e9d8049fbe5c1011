package io.netsensor.detectors;

import io.netsensor.events.Alert;
import java.util.ArrayList;
import java.util.List;

/** Collects the alerts a detector or the engine raises, in order. */
public final class CollectingSink implements AlertSink {
    public final List<Alert> alerts = new ArrayList<>();

    @Override
    public void onAlert(Alert alert) {
        alerts.add(alert);
    }

    public Alert last() {
        return alerts.get(alerts.size() - 1);
    }
}
