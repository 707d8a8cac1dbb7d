"""The pinned Elasticsearch and Lucene versions: the one place that names them.

9.5.0 is the newest 9.x whose integ-test zip *and* matching `lucene-analysis-nori` both resolve
from Maven Central: 9.5.2-9.5.4 ship Lucene 10.5.1, for which no nori jar is published there.
The plugin build fails if the node's `lib/lucene-core-<LUCENE_VERSION>.jar` is absent.
"""

ES_VERSION = "9.5.0"
LUCENE_VERSION = "10.5.0"
PLUGIN_NAME = "trials-korean-analysis"
PLUGIN_VERSION = "1.0.0"
ES_ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
MIN_JAVA = 21
