package io.github.trials.analysis.korean;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.KoreanTokenizer.DecompoundMode;
import org.apache.lucene.analysis.ko.dict.UserDictionary;
import org.elasticsearch.plugin.Inject;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenizerFactory;

/** {@code nori_tokenizer}: Korean morphological tokenizer. */
@NamedComponent("nori_tokenizer")
public class NoriTokenizerFactory implements TokenizerFactory {

    /** {@code dictionary} is null without rules; it is immutable and shared by every tokenizer. */
    private record Config(DecompoundMode mode, UserDictionary dictionary, boolean discardPunctuation) {}

    private final ParsedSettings<Config> config;

    @Inject
    public NoriTokenizerFactory(NoriTokenizerSettings settings) {
        this.config = ParsedSettings.parse(() -> new Config(
            DecompoundModeSetting.parse(settings.decompoundMode()),
            UserDictionaryRules.build(settings.userDictionary(), settings.userDictionaryRules(), settings.lenient()),
            settings.discardPunctuation()));
    }

    @Override
    public Tokenizer create() {
        Config c = config.get();
        // outputUnknownUnigrams=false, as in the official plugin
        return new KoreanTokenizer(
            TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, c.dictionary(), c.mode(), false, c.discardPunctuation());
    }
}
