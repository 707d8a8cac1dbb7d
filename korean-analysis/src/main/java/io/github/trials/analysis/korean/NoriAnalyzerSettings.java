package io.github.trials.analysis.korean;

import java.util.List;

import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.BooleanSetting;
import org.elasticsearch.plugin.settings.ListSetting;
import org.elasticsearch.plugin.settings.StringSetting;

/** Settings of the {@code nori} analyzer; the node implements this interface from the index settings. */
@AnalysisSettings
public interface NoriAnalyzerSettings {

    @StringSetting(path = DecompoundModeSetting.NAME, defaultValue = "discard")
    String decompoundMode();

    @ListSetting(path = UserDictionaryRules.RULES)
    List<String> userDictionaryRules();

    @BooleanSetting(path = UserDictionaryRules.LENIENT, defaultValue = false)
    boolean lenient();

    /** Read only to reject it with a helpful message. */
    @StringSetting(path = UserDictionaryRules.FILE, defaultValue = "")
    String userDictionary();

    @ListSetting(path = StopTagsSetting.NAME)
    List<String> stoptags();
}
