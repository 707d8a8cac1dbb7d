package io.github.trials.analysis.korean;

import java.util.Set;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.POS;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/** {@code nori_part_of_speech}: drops tokens whose part of speech is in {@code stoptags}. */
@NamedComponent("nori_part_of_speech")
public class NoriPartOfSpeechStopFilterFactory implements TokenFilterFactory {

    private final ParsedSettings<Set<POS.Tag>> stopTags;

    @Inject
    public NoriPartOfSpeechStopFilterFactory(NoriPartOfSpeechSettings settings) {
        this.stopTags = ParsedSettings.parse(() -> StopTagsSetting.parse(settings.stoptags()));
    }

    @Override
    public TokenStream create(TokenStream input) {
        return new KoreanPartOfSpeechStopFilter(input, stopTags.get());
    }
}
