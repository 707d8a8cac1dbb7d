package io.github.trials.analysis.korean;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ko.KoreanReadingFormFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/** {@code nori_readingform}: replaces hanja with their hangul reading (needs nori_tokenizer upstream). */
@NamedComponent("nori_readingform")
public class NoriReadingFormFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new KoreanReadingFormFilter(input);
    }
}
