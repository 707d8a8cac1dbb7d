package io.github.trials.analysis.korean;

import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.apache.lucene.analysis.ko.KoreanTokenizer.DecompoundMode;
import org.apache.lucene.analysis.ko.POS;
import org.apache.lucene.analysis.ko.dict.UserDictionary;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.AnalyzerFactory;

/** {@code nori}: Lucene's KoreanAnalyzer (tokenizer, part-of-speech stop filter, reading form, lowercase). */
@NamedComponent("nori")
public class NoriAnalyzerFactory implements AnalyzerFactory {

    private record Config(DecompoundMode mode, UserDictionary dictionary, Set<POS.Tag> stopTags) {}

    private final ParsedSettings<Config> config;

    @Inject
    public NoriAnalyzerFactory(NoriAnalyzerSettings settings) {
        this.config = ParsedSettings.parse(() -> new Config(
            DecompoundModeSetting.parse(settings.decompoundMode()),
            UserDictionaryRules.build(settings.userDictionary(), settings.userDictionaryRules(), settings.lenient()),
            StopTagsSetting.parse(settings.stoptags())));
    }

    @Override
    public Analyzer create() {
        Config c = config.get();
        // outputUnknownUnigrams=false, as in the official plugin
        return new KoreanAnalyzer(c.dictionary(), c.mode(), c.stopTags(), false);
    }
}
