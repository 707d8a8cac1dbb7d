package io.github.trials.analysis.korean;

import java.util.List;

/** Hand-written stand-ins for the settings proxies the node builds; defaults mirror the annotations. */
final class TestSettings {

    private TestSettings() {}

    record Tokenizer(String decompoundMode, boolean discardPunctuation, List<String> userDictionaryRules,
                     boolean lenient, String userDictionary) implements NoriTokenizerSettings {

        static Tokenizer defaults() {
            return new Tokenizer("discard", true, List.of(), false, "");
        }

        Tokenizer mode(String mode) {
            return new Tokenizer(mode, discardPunctuation, userDictionaryRules, lenient, userDictionary);
        }

        Tokenizer punctuation(boolean discard) {
            return new Tokenizer(decompoundMode, discard, userDictionaryRules, lenient, userDictionary);
        }

        Tokenizer rules(String... rules) {
            return new Tokenizer(decompoundMode, discardPunctuation, List.of(rules), lenient, userDictionary);
        }

        Tokenizer lenient(boolean value) {
            return new Tokenizer(decompoundMode, discardPunctuation, userDictionaryRules, value, userDictionary);
        }

        Tokenizer file(String path) {
            return new Tokenizer(decompoundMode, discardPunctuation, userDictionaryRules, lenient, path);
        }
    }

    record Analyzer(String decompoundMode, List<String> userDictionaryRules, boolean lenient, String userDictionary,
                    List<String> stoptags) implements NoriAnalyzerSettings {

        static Analyzer defaults() {
            return new Analyzer("discard", List.of(), false, "", List.of());
        }

        Analyzer mode(String mode) {
            return new Analyzer(mode, userDictionaryRules, lenient, userDictionary, stoptags);
        }

        Analyzer rules(String... rules) {
            return new Analyzer(decompoundMode, List.of(rules), lenient, userDictionary, stoptags);
        }

        Analyzer file(String path) {
            return new Analyzer(decompoundMode, userDictionaryRules, lenient, path, stoptags);
        }

        Analyzer stoptags(String... tags) {
            return new Analyzer(decompoundMode, userDictionaryRules, lenient, userDictionary, List.of(tags));
        }
    }

    record PartOfSpeech(List<String> stoptags) implements NoriPartOfSpeechSettings {

        static PartOfSpeech of(String... tags) {
            return new PartOfSpeech(List.of(tags));
        }
    }
}
