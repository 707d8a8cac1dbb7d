package io.github.trials.analysis.korean;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ko.KoreanNumberFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/** {@code nori_number}: normalises Korean numerals (e.g. 십만이천오백) to Arabic digits. */
@NamedComponent("nori_number")
public class NoriNumberFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new KoreanNumberFilter(input);
    }
}
