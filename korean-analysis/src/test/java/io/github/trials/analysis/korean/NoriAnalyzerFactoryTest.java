package io.github.trials.analysis.korean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.junit.jupiter.api.Test;

class NoriAnalyzerFactoryTest {

    private static final String SENTENCE = "임상시험의 안전성을 평가하는 연구";

    private static List<String> tokens(TestSettings.Analyzer settings, String text) {
        try (Analyzer analyzer = new NoriAnalyzerFactory(settings).create()) {
            return Tokens.of(analyzer, text);
        }
    }

    @Test
    void defaultsKeepContentMorphemes() {
        assertEquals(List.of("임상", "시험", "안전", "평가", "연구"), tokens(TestSettings.Analyzer.defaults(), SENTENCE));
    }

    @Test
    void mixedKeepsCompoundAndParts() {
        assertEquals(
            List.of("임상시험", "임상", "시험", "안전", "평가", "연구"),
            tokens(TestSettings.Analyzer.defaults().mode("mixed"), SENTENCE));
    }

    @Test
    void customStoptagsReplaceTheDefaults() {
        // Only common nouns are dropped, so the particles and endings survive.
        assertEquals(List.of("의", "성", "을", "하", "는"), tokens(TestSettings.Analyzer.defaults().stoptags("NNG"), SENTENCE));
    }

    @Test
    void readsHanjaAsHangul() {
        assertEquals(List.of("대한", "민국"), tokens(TestSettings.Analyzer.defaults(), "大韓民國"));
    }

    @Test
    void userRulesApply() {
        assertEquals(
            List.of("세종시", "세종", "시"),
            tokens(TestSettings.Analyzer.defaults().mode("mixed").rules("세종", "세종시 세종 시"), "세종시"));
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class,
            () -> new NoriAnalyzerFactory(TestSettings.Analyzer.defaults().mode("bogus")).create());
        assertThrows(IllegalArgumentException.class,
            () -> new NoriAnalyzerFactory(TestSettings.Analyzer.defaults().stoptags("NOPE")).create());
        assertThrows(IllegalArgumentException.class,
            () -> new NoriAnalyzerFactory(TestSettings.Analyzer.defaults().rules("세종시 세 종시 x")).create());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new NoriAnalyzerFactory(TestSettings.Analyzer.defaults().file("userdict_ko.txt")).create());
        assertTrue(e.getMessage().contains("[user_dictionary_rules]"), e.getMessage());
    }
}
