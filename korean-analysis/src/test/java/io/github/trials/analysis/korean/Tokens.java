package io.github.trials.analysis.korean;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Collects the terms a token stream produces. */
final class Tokens {

    private Tokens() {}

    static List<String> of(Analyzer analyzer, String text) {
        return drain(analyzer.tokenStream("field", text));
    }

    static List<String> of(Tokenizer tokenizer, String text) {
        return of(tokenizer, UnaryOperator.identity(), text);
    }

    static List<String> of(Tokenizer tokenizer, UnaryOperator<TokenStream> filters, String text) {
        tokenizer.setReader(new StringReader(text));
        return drain(filters.apply(tokenizer));
    }

    private static List<String> drain(TokenStream stream) {
        List<String> terms = new ArrayList<>();
        try (stream) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }
}
