"""A real Elasticsearch node on this machine, without Docker.

`distribution` fetches Elastic's integ-test zip with Maven, `jdk` finds a Java runtime, `plugin`
builds and installs our Korean analysis plugin, `node` starts, stops and describes the node.
"""
