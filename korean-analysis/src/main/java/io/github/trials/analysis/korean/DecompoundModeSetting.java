package io.github.trials.analysis.korean;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.lucene.analysis.ko.KoreanTokenizer.DecompoundMode;

/** Parses {@code decompound_mode} as the official plugin does: a case-insensitive mode name. */
final class DecompoundModeSetting {

    static final String NAME = "decompound_mode";

    private static final String ALLOWED = Arrays.stream(DecompoundMode.values())
        .map(mode -> mode.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", ", "[", "]"));

    private DecompoundModeSetting() {}

    static DecompoundMode parse(String value) {
        String wanted = value == null ? "" : value.trim();
        for (DecompoundMode mode : DecompoundMode.values()) {
            if (mode.name().equalsIgnoreCase(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
            "Invalid value [" + value + "] for setting [" + NAME + "]; expected one of " + ALLOWED);
    }
}
