package io.github.trials.analysis.korean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/** Runs in the package phase, after the assembly, against the zip the node will install. */
class PluginZipTest {

    private static final String DESCRIPTOR = "stable-plugin-descriptor.properties";

    private static ZipFile pluginZip() throws IOException {
        return new ZipFile(System.getProperty("plugin.zip"));
    }

    @Test
    void holdsExactlyMetadataOurJarAndNori() throws IOException {
        Set<String> entries = new TreeSet<>();
        try (ZipFile zip = pluginZip()) {
            zip.stream().map(ZipEntry::getName).forEach(entries::add);
        }
        assertEquals(
            new TreeSet<>(Set.of(DESCRIPTOR, "named_components.json", System.getProperty("plugin.jar"),
                System.getProperty("nori.jar"))),
            entries);
        // The node already has these; a second copy is jar hell.
        assertFalse(entries.stream().anyMatch(name -> name.startsWith("lucene-core") || name.startsWith("lucene-analysis-common")));
    }

    @Test
    void descriptorHasOnlyTheKeysTheNodeAccepts() throws IOException {
        Properties descriptor = new Properties();
        try (ZipFile zip = pluginZip(); InputStream in = zip.getInputStream(zip.getEntry(DESCRIPTOR))) {
            descriptor.load(in);
        }
        assertEquals(Set.of("name", "description", "version", "elasticsearch.version", "java.version"), descriptor.stringPropertyNames());
        assertEquals("trials-korean-analysis", descriptor.getProperty("name"));
        assertEquals("1.0.0", descriptor.getProperty("version"));
        assertEquals(System.getProperty("es.version"), descriptor.getProperty("elasticsearch.version"));
        assertEquals("21", descriptor.getProperty("java.version"));
    }
}
