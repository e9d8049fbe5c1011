package io.netsensor.events;

/** Zeek conn_state values; the outcome a user reads (established, rejected, no answer) derives from them. */
public enum ConnState {
    S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH;

    private static final ConnState[] VALUES = values();

    public static ConnState ofCode(int code) {
        return VALUES[code];
    }

    /** What happened to the attempt, for people and detectors. */
    public Outcome outcome() {
        switch (this) {
            case S1: case SF: case S2: case S3: case RSTO: case RSTR:
                return Outcome.ESTABLISHED;
            case REJ:
                return Outcome.REJECTED;
            case S0: case SH: case RSTOS0:
                return Outcome.NO_ANSWER;
            default:
                return Outcome.OTHER;
        }
    }

    public enum Outcome {
        ESTABLISHED("established"), REJECTED("rejected"), NO_ANSWER("no_answer"), OTHER("other");

        public final String text;

        Outcome(String text) {
            this.text = text;
        }
    }
}
