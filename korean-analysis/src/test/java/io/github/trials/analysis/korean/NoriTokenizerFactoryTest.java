package io.github.trials.analysis.korean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class NoriTokenizerFactoryTest {

    private static final String SENTENCE = "임상시험의 안전성을 평가하는 연구";

    private static List<String> tokens(TestSettings.Tokenizer settings, String text) {
        return Tokens.of(new NoriTokenizerFactory(settings).create(), text);
    }

    @Test
    void defaultsDiscardCompoundsAndKeepParticles() {
        assertEquals(
            List.of("임상", "시험", "의", "안전", "성", "을", "평가", "하", "는", "연구"),
            tokens(TestSettings.Tokenizer.defaults(), SENTENCE));
    }

    @Test
    void noneKeepsCompoundsWhole() {
        assertEquals(
            List.of("임상시험", "의", "안전", "성", "을", "평가", "하", "는", "연구"),
            tokens(TestSettings.Tokenizer.defaults().mode("none"), SENTENCE));
    }

    @Test
    void mixedKeepsCompoundAndPartsAndIgnoresCase() {
        assertEquals(
            List.of("임상시험", "임상", "시험", "의"),
            tokens(TestSettings.Tokenizer.defaults().mode("MiXeD"), "임상시험의"));
    }

    @Test
    void userRulesDecompoundInMixedMode() {
        TestSettings.Tokenizer settings = TestSettings.Tokenizer.defaults().mode("mixed").rules("세종", "세종시 세종 시");
        assertEquals(List.of("세종시", "세종", "시"), tokens(settings, "세종시"));
        // Without the rules nori splits the unknown name differently: the dictionary is really used.
        assertEquals(List.of("세", "종시"), tokens(TestSettings.Tokenizer.defaults().mode("mixed"), "세종시"));
    }

    @Test
    void commentsAndBlankRulesAreIgnored() {
        TestSettings.Tokenizer settings = TestSettings.Tokenizer.defaults()
            .mode("mixed")
            .rules("# place names", "", "세종시 세종 시  # city");
        assertEquals(List.of("세종시", "세종", "시"), tokens(settings, "세종시"));
    }

    @Test
    void punctuationIsKeptOnlyWhenAsked() {
        String text = "임상시험, 연구.";
        assertEquals(List.of("임상", "시험", "연구"), tokens(TestSettings.Tokenizer.defaults(), text));
        assertEquals(
            List.of("임상", "시험", ",", " ", "연구", "."),
            tokens(TestSettings.Tokenizer.defaults().punctuation(false), text));
    }

    @Test
    void lenientKeepsTheFirstOfDuplicateRules() {
        TestSettings.Tokenizer settings = TestSettings.Tokenizer.defaults()
            .mode("mixed")
            .rules("세종시 세종 시", "세종시")
            .lenient(true);
        assertEquals(List.of("세종시", "세종", "시"), tokens(settings, "세종시"));
    }

    @Test
    void settingsAreReadInTheConstructorOnly() {
        TestSettings.Tokenizer base = TestSettings.Tokenizer.defaults().mode("mixed").rules("세종시 세종 시");
        AtomicInteger reads = new AtomicInteger();
        // A proxy, like the one the node passes in.
        NoriTokenizerSettings counting = (NoriTokenizerSettings) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {NoriTokenizerSettings.class}, (proxy, method, args) -> {
                reads.incrementAndGet();
                return method.invoke(base, args);
            });
        NoriTokenizerFactory factory = new NoriTokenizerFactory(counting);
        int readsWhileConstructing = reads.get();
        assertEquals(List.of("세종시", "세종", "시"), Tokens.of(factory.create(), "세종시"));
        assertEquals(List.of("세종시", "세종", "시"), Tokens.of(factory.create(), "세종시"));
        assertEquals(readsWhileConstructing, reads.get());
    }

    @Test
    void createReturnsAFreshTokenizerEachTime() {
        NoriTokenizerFactory factory = new NoriTokenizerFactory(TestSettings.Tokenizer.defaults());
        assertTrue(factory.create() != factory.create());
    }

    @Test
    void invalidSettingsAreReportedByCreateEveryTime() {
        // See ParsedSettings: the node turns constructor exceptions into HTTP 500.
        NoriTokenizerFactory factory = new NoriTokenizerFactory(TestSettings.Tokenizer.defaults().mode("bogus"));
        IllegalArgumentException first = assertThrows(IllegalArgumentException.class, factory::create);
        IllegalArgumentException second = assertThrows(IllegalArgumentException.class, factory::create);
        assertEquals(first.getMessage(), second.getMessage());
    }

    @Test
    void unknownDecompoundModeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new NoriTokenizerFactory(TestSettings.Tokenizer.defaults().mode("bogus")).create());
        assertEquals(
            "Invalid value [bogus] for setting [decompound_mode]; expected one of [none, discard, mixed]",
            e.getMessage());
    }

    @Test
    void ruleWhoseSegmentsDoNotSpellTheWordIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new NoriTokenizerFactory(TestSettings.Tokenizer.defaults().rules("세종", "세종시 세종 서")).create());
        assertTrue(e.getMessage().contains("[세종시 세종 서]"), e.getMessage());
        assertTrue(e.getMessage().contains("user_dictionary_rules"), e.getMessage());
    }

    @Test
    void duplicateRuleIsRejectedUnlessLenient() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new NoriTokenizerFactory(TestSettings.Tokenizer.defaults().rules("세종", "세종시 세종 시", "세종")).create());
        assertTrue(e.getMessage().contains("Duplicate word [세종]"), e.getMessage());
        assertTrue(e.getMessage().contains("lenient"), e.getMessage());
    }

    @Test
    void userDictionaryFileIsRejectedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new NoriTokenizerFactory(TestSettings.Tokenizer.defaults().file("userdict_ko.txt")).create());
        assertTrue(e.getMessage().contains("[user_dictionary]"), e.getMessage());
        assertTrue(e.getMessage().contains("[user_dictionary_rules]"), e.getMessage());
    }
}
