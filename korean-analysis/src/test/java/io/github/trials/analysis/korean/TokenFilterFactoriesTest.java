package io.github.trials.analysis.korean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.lucene.analysis.Tokenizer;
import org.junit.jupiter.api.Test;

class TokenFilterFactoriesTest {

    private static final String SENTENCE = "임상시험의 안전성을 평가하는 연구";

    private static Tokenizer noriTokenizer() {
        return new NoriTokenizerFactory(TestSettings.Tokenizer.defaults()).create();
    }

    @Test
    void readingFormTurnsHanjaIntoHangul() {
        NoriReadingFormFilterFactory filter = new NoriReadingFormFilterFactory();
        assertEquals(List.of("대한", "민국"), Tokens.of(noriTokenizer(), filter::create, "大韓民國"));
        assertEquals(List.of("大韓", "民國"), Tokens.of(noriTokenizer(), "大韓民國"));
    }

    @Test
    void numberNormalisesKoreanNumerals() {
        NoriNumberFilterFactory filter = new NoriNumberFilterFactory();
        assertEquals(List.of("102500"), Tokens.of(noriTokenizer(), filter::create, "십만이천오백"));
    }

    @Test
    void partOfSpeechUsesLuceneDefaultsWhenNoTagsAreGiven() {
        NoriPartOfSpeechStopFilterFactory filter = new NoriPartOfSpeechStopFilterFactory(TestSettings.PartOfSpeech.of());
        assertEquals(List.of("임상", "시험", "안전", "평가", "연구"), Tokens.of(noriTokenizer(), filter::create, SENTENCE));
    }

    @Test
    void partOfSpeechDropsCustomTags() {
        NoriPartOfSpeechStopFilterFactory filter =
            new NoriPartOfSpeechStopFilterFactory(TestSettings.PartOfSpeech.of("NNG", " jko "));
        assertEquals(List.of("의", "성", "하", "는"), Tokens.of(noriTokenizer(), filter::create, SENTENCE));
    }

    @Test
    void unknownStoptagIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new NoriPartOfSpeechStopFilterFactory(TestSettings.PartOfSpeech.of("NNG", "NOUN")).create(noriTokenizer()));
        assertTrue(e.getMessage().startsWith("Unknown part-of-speech tag [NOUN] in setting [stoptags]"), e.getMessage());
    }
}
