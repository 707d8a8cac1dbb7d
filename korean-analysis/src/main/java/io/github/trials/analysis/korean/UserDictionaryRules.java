package io.github.trials.analysis.korean;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.lucene.analysis.ko.dict.UserDictionary;

/**
 * Builds a nori {@link UserDictionary} from inline {@code user_dictionary_rules}.
 *
 * <p>Each rule is {@code word [segment1 segment2 ...]}. Rules are checked here because Lucene
 * silently accepts segmentations that do not spell the word and keeps duplicate words.
 */
final class UserDictionaryRules {

    static final String RULES = "user_dictionary_rules";
    static final String FILE = "user_dictionary";
    static final String LENIENT = "lenient";

    private UserDictionaryRules() {}

    /**
     * @param filePath the {@code user_dictionary} setting; must be empty because stable plugins
     *                 cannot read the node's config directory
     * @return the dictionary, or {@code null} when there are no rules (nori's "no user dictionary")
     */
    static UserDictionary build(String filePath, List<String> rules, boolean lenient) {
        if (filePath != null && !filePath.isBlank()) {
            throw new IllegalArgumentException(
                "Setting [" + FILE + "] is not supported by this plugin (it cannot read files from the node's"
                    + " config directory); put the entries inline with [" + RULES + "] instead");
        }
        List<String> accepted = acceptedRules(rules == null ? List.of() : rules, lenient);
        if (accepted.isEmpty()) {
            return null;
        }
        try {
            return UserDictionary.open(new StringReader(String.join("\n", accepted)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid [" + RULES + "]: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to build the nori user dictionary", e); // StringReader: not expected
        }
    }

    /** Validates every rule; with {@code lenient} a repeated word keeps its first rule instead of failing. */
    private static List<String> acceptedRules(List<String> rules, boolean lenient) {
        List<String> accepted = new ArrayList<>();
        Set<String> words = new HashSet<>();
        for (String rule : rules) {
            String[] parts = withoutComment(rule).split("\\s+");
            if (parts[0].isEmpty()) {
                continue; // blank or comment-only, as Lucene treats it
            }
            checkSegmentation(rule, parts);
            if (!words.add(parts[0])) {
                if (lenient) {
                    continue;
                }
                throw new IllegalArgumentException(
                    "Duplicate word [" + parts[0] + "] in [" + RULES + "] at rule [" + rule + "]; remove it or set ["
                        + LENIENT + "] to true to keep the first rule");
            }
            accepted.add(String.join(" ", parts));
        }
        return accepted;
    }

    /** Lucene's syntax: '#' starts a comment that runs to the end of the line. */
    private static String withoutComment(String rule) {
        int hash = rule.indexOf('#');
        return (hash < 0 ? rule : rule.substring(0, hash)).strip();
    }

    private static void checkSegmentation(String rule, String[] parts) {
        if (parts.length == 1) {
            return;
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            joined.append(parts[i]);
        }
        if (!joined.toString().equals(parts[0])) {
            throw new IllegalArgumentException(
                "Invalid rule [" + rule + "] in [" + RULES + "]: the segments [" + joined + "] do not spell the word ["
                    + parts[0] + "]");
        }
    }
}
