package io.github.trials.analysis.korean;

import java.util.function.Supplier;

/**
 * A component's settings, parsed once when the node builds the component, or why they are invalid.
 *
 * <p>Why not simply throw from the constructor: the node wraps any exception a stable-API
 * constructor throws in an {@code IllegalStateException}, which the REST layer reports as HTTP 500.
 * An {@code IllegalArgumentException} thrown from {@code create()} reaches the client as HTTP 400,
 * and the node calls {@code create()} while validating the analyzers of a new index. So invalid
 * settings are detected in the constructor and reported from {@code create()}.
 */
final class ParsedSettings<T> {

    private final T value;
    private final IllegalArgumentException error;

    private ParsedSettings(T value, IllegalArgumentException error) {
        this.value = value;
        this.error = error;
    }

    static <T> ParsedSettings<T> parse(Supplier<T> parser) {
        try {
            return new ParsedSettings<>(parser.get(), null);
        } catch (IllegalArgumentException e) {
            return new ParsedSettings<>(null, e);
        }
    }

    /** @throws IllegalArgumentException with the original message if the settings were invalid */
    T get() {
        if (error != null) {
            // A fresh exception per call: the stored one may be thrown on several threads.
            throw new IllegalArgumentException(error.getMessage(), error);
        }
        return value;
    }
}
