package io.github.trials.analysis.korean;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.POS;

/** Parses {@code stoptags} into the immutable set of part-of-speech tags to drop. */
final class StopTagsSetting {

    static final String NAME = "stoptags";

    private StopTagsSetting() {}

    /** An absent or empty list means Lucene's defaults: the stable API cannot tell the two apart. */
    static Set<POS.Tag> parse(List<String> tagNames) {
        if (tagNames == null || tagNames.isEmpty()) {
            return KoreanPartOfSpeechStopFilter.DEFAULT_STOP_TAGS; // already unmodifiable
        }
        EnumSet<POS.Tag> tags = EnumSet.noneOf(POS.Tag.class);
        for (String name : tagNames) {
            tags.add(resolve(name));
        }
        return Collections.unmodifiableSet(tags);
    }

    private static POS.Tag resolve(String name) {
        try {
            return POS.resolveTag(name.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "Unknown part-of-speech tag [" + name + "] in setting [" + NAME + "]; expected one of "
                    + Arrays.toString(POS.Tag.values()),
                e);
        }
    }
}
