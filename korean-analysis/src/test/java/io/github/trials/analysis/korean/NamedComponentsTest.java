package io.github.trials.analysis.korean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.elasticsearch.plugin.NamedComponent;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The node trusts named_components.json blindly, so check it against the classes. */
class NamedComponentsTest {

    private static Map<String, Map<String, String>> readNamedComponents() throws IOException {
        Path file = Path.of(System.getProperty("plugin.metadata.dir"), "named_components.json");
        return new ObjectMapper().readValue(file.toFile(), new TypeReference<>() {});
    }

    @Test
    void declaresTheOfficialNoriNames() throws IOException {
        Map<String, Map<String, String>> components = readNamedComponents();
        assertEquals(Set.of("nori_tokenizer"), components.get("org.elasticsearch.plugin.analysis.TokenizerFactory").keySet());
        assertEquals(
            Set.of("nori_part_of_speech", "nori_readingform", "nori_number"),
            components.get("org.elasticsearch.plugin.analysis.TokenFilterFactory").keySet());
        assertEquals(Set.of("nori"), components.get("org.elasticsearch.plugin.analysis.AnalyzerFactory").keySet());
    }

    @Test
    void everyEntryPointsAtAMatchingComponent() throws Exception {
        for (Map.Entry<String, Map<String, String>> byInterface : readNamedComponents().entrySet()) {
            Class<?> extensible = Class.forName(byInterface.getKey());
            for (Map.Entry<String, String> component : byInterface.getValue().entrySet()) {
                Class<?> implementation = Class.forName(component.getValue());
                assertTrue(extensible.isAssignableFrom(implementation), implementation + " is not a " + extensible);
                NamedComponent named = implementation.getAnnotation(NamedComponent.class);
                assertNotNull(named, implementation + " lacks @NamedComponent");
                assertEquals(component.getKey(), named.value());
                assertTrue(Modifier.isPublic(implementation.getModifiers()), implementation + " must be public");
                assertEquals(1, implementation.getConstructors().length, implementation + " needs one public constructor");
            }
        }
    }
}
