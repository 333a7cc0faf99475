package io.herdctl.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * herdctl's cron grammar: five fields (minute, hour, day of month, month, day of
 * week) or a shorthand (@yearly, @annually, @monthly, @weekly, @daily,
 * @midnight, @hourly). A field is {@code *}, a value, a range {@code a-b}, any of
 * those with a step {@code /n}, or a comma-separated list of them; months and
 * weekdays also by their three-letter English names; weekday 7 is Sunday, as 0.
 * Errors carry herdctl's wording. Shared because config-service validates the
 * strings the scheduler fires.
 */
public final class CronExpression {

    /** One of the five fields. */
    public enum Field {
        MINUTE("minute", 0, 59), HOUR("hour", 0, 23), DAY_OF_MONTH("day of month", 1, 31), MONTH("month", 1, 12),
        DAY_OF_WEEK("day of week", 0, 7);

        final String label;
        final int min;
        final int max;

        Field(String label, int min, int max) {
            this.label = label;
            this.min = min;
            this.max = max;
        }
    }

    /** A string that is not a cron expression, with herdctl's message. */
    public static final class CronException extends IllegalArgumentException {
        CronException(String message) {
            super(message);
        }
    }

    static final Map<String, String> SHORTHANDS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final String EXAMPLE = "\n  Example valid expression: \"0 9 * * *\" (every day at 09:00)";

    private final String source;
    private final BitSet[] fields;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronExpression(String source, BitSet[] fields, boolean domRestricted, boolean dowRestricted) {
        this.source = source;
        this.fields = fields;
        this.dayOfMonthRestricted = domRestricted;
        this.dayOfWeekRestricted = dowRestricted;
    }

    public static CronExpression parse(String expression) {
        String text = expression == null ? "" : expression.strip();
        if (text.isEmpty()) {
            throw new CronException("Cron expression cannot be empty. Expected a 5-field cron expression "
                    + "(e.g., \"0 9 * * *\") or a shorthand like \"@daily\"");
        }
        if (text.startsWith("@")) {
            String expanded = SHORTHANDS.get(text.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw new CronException("Unknown cron shorthand \"" + text
                        + "\". Valid shorthands are: @yearly, @monthly, @weekly, @daily, @hourly");
            }
            text = expanded;
        }
        String[] parts = text.split("\\s+");
        if (parts.length != 5) {
            throw invalid(expression, "expected 5 fields, got " + parts.length);
        }
        BitSet[] sets = new BitSet[5];
        Field[] all = Field.values();
        for (int i = 0; i < 5; i++) {
            sets[i] = field(expression, all[i], parts[i]);
        }
        if (sets[4].get(7)) {
            sets[4].set(0);
            sets[4].clear(7);
        }
        return new CronExpression(expression, sets, !parts[2].equals("*"), !parts[4].equals("*"));
    }

    /** Whether the expression is valid; {@link #parse} says why not. */
    public static boolean isValid(String expression) {
        try {
            parse(expression);
            return true;
        } catch (CronException e) {
            return false;
        }
    }

    public String source() {
        return source;
    }

    public boolean matches(Field field, int value) {
        return fields[field.ordinal()].get(value);
    }

    /** How far ahead {@link #next} looks: far enough for a February 29th that comes once in eight years. */
    static final int HORIZON_YEARS = 10;

    /**
     * The first instant after {@code after} at which this expression fires on the
     * wall clock of {@code zone}, or null when it never does (February 30th).
     *
     * <p>Across daylight-saving changes: a wall-clock time the change skips fires
     * once, at the moment of the jump (02:30 on a spring-forward night fires at
     * 03:00 new time); a wall-clock time that occurs twice fires once, the first
     * time. So no slot is lost and none fires twice.
     */
    public Instant next(Instant after, ZoneId zone) {
        LocalDateTime from = after.atZone(zone).toLocalDateTime()
                .truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate last = from.toLocalDate().plusYears(HORIZON_YEARS);
        for (LocalDate day = from.toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            if (!matches(Field.MONTH, day.getMonthValue())) {
                day = day.withDayOfMonth(day.lengthOfMonth());
                continue;
            }
            if (!dayMatches(day.getDayOfMonth(), day.getDayOfWeek().getValue())) {
                continue;
            }
            boolean first = day.equals(from.toLocalDate());
            for (int hour = first ? from.getHour() : 0; hour < 24; hour++) {
                if (!matches(Field.HOUR, hour)) {
                    continue;
                }
                for (int minute = first && hour == from.getHour() ? from.getMinute() : 0; minute < 60; minute++) {
                    if (matches(Field.MINUTE, minute)) {
                        Instant at = onWallClock(LocalDateTime.of(day, LocalTime.of(hour,
                                minute)), zone);
                        if (at.isAfter(after)) {
                            return at;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static Instant onWallClock(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return local.atZone(zone).toInstant();
    }

    /** Classic cron: when both day fields are restricted, a day matching either one fires. */
    public boolean dayMatches(int dayOfMonth, int dayOfWeek) {
        boolean dom = fields[2].get(dayOfMonth);
        boolean dow = fields[4].get(dayOfWeek % 7);
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    private static BitSet field(String expression, Field field, String text) {
        BitSet set = new BitSet(field.max + 1);
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw invalid(expression, "empty list item in " + field.label + " field \"" + text + "\"");
            }
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                String stepText = part.substring(slash + 1);
                try {
                    step = Integer.parseInt(stepText);
                } catch (NumberFormatException e) {
                    step = 0;
                }
                if (step < 1) {
                    throw invalid(expression, "invalid step value \"" + part + "\" for " + field.label);
                }
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = field.min;
                to = field == Field.DAY_OF_WEEK ? 6 : field.max;
            } else {
                int dash = range.indexOf('-', 1);
                from = value(expression, field, dash < 0 ? range : range.substring(0, dash));
                to = dash < 0 ? (slash >= 0 ? (field == Field.DAY_OF_WEEK ? 6 : field.max) : from)
                        : value(expression, field, range.substring(dash + 1));
                if (from > to) {
                    throw invalid(expression, field.label + " range \"" + range + "\" goes backwards");
                }
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int value(String expression, Field field, String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        int named = field == Field.MONTH ? MONTHS.indexOf(upper) + 1 : field == Field.DAY_OF_WEEK ? DAYS.indexOf(upper) : -1;
        if (named > 0 || field == Field.DAY_OF_WEEK && named == 0) {
            return named;
        }
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid(expression, "\"" + text + "\" is not a valid " + field.label);
        }
        if (v < field.min || v > field.max) {
            throw invalid(expression, field.label + " must be " + field.min + "-" + field.max);
        }
        return v;
    }

    private static CronException invalid(String expression, String reason) {
        return new CronException("Invalid cron expression \"" + expression + "\" - " + reason + EXAMPLE);
    }
}
