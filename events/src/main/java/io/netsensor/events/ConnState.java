package io.netsensor.events;

/**
 * Zeek conn_state values; the outcome a user reads (established, rejected, no answer) derives from them.
 * Journaled by {@link #code}: codes are on-disk, never renumber, only add.
 */
public enum ConnState {
    S0(0), S1(1), SF(2), REJ(3), S2(4), S3(5), RSTO(6), RSTR(7), RSTOS0(8), RSTRH(9), SH(10), SHR(11), OTH(12);

    private static final ConnState[] BY_CODE = EnumCodes.byCode(values(), v -> v.code);
    public final int code;

    ConnState(int code) {
        this.code = code;
    }

    /** The state with this code, null for a code this build does not know. */
    public static ConnState ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
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
