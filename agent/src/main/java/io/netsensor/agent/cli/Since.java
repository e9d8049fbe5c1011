package io.netsensor.agent.cli;

import io.netsensor.config.Units;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import picocli.CommandLine;

/**
 * The value of {@code events --since}: a duration counted back from now on the wall clock ("15m", "2h",
 * "1d"), or an absolute RFC 3339 time ("2026-01-31T08:00:00Z", "2026-01-31 09:00:00+01:00").
 */
final class Since implements CommandLine.ITypeConverter<Instant> {
    /** RFC 3339: ISO 8601 with 'T' or a space between date and time, any case, an offset required. */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter();

    private final Clock clock;

    Since() {
        this(Clock.systemUTC());
    }

    Since(Clock clock) {
        this.clock = clock;
    }

    private static boolean hasNoOffset(String text) {
        try {
            java.time.LocalDateTime.parse(text.replace(' ', 'T'));
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    @Override
    public Instant convert(String value) {
        String text = value.strip();
        if (!text.isEmpty() && Character.isDigit(text.charAt(0)) && text.length() >= 10 && text.charAt(4) == '-') {
            try {
                return OffsetDateTime.parse(text, RFC_3339).toInstant();
            } catch (DateTimeParseException e) {
                // a local time would be a guess at the zone (the agent's? the journal's writer's?)
                String why = hasNoOffset(text) ? ": it has no UTC offset (add Z, or e.g. +01:00)"
                        : " (e.g. 2026-01-31T08:00:00Z, 2026-01-31T09:00:00+01:00)";
                throw new CommandLine.TypeConversionException("'" + value + "' is not an RFC 3339 time" + why);
            }
        }
        try {
            return clock.instant().minus(Units.duration(text));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is neither a duration (e.g. 90s, 15m, 2h, 1d) nor an RFC 3339 time (e.g. 2026-01-31T08:00:00Z)");
        }
    }
}
