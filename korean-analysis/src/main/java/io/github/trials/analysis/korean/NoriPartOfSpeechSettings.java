package io.github.trials.analysis.korean;

import java.util.List;

import org.elasticsearch.plugin.settings.AnalysisSettings;
import org.elasticsearch.plugin.settings.ListSetting;

/** Settings of {@code nori_part_of_speech}; the node implements this interface from the index settings. */
@AnalysisSettings
public interface NoriPartOfSpeechSettings {

    @ListSetting(path = StopTagsSetting.NAME)
    List<String> stoptags();
}
