"""`make cluster-test`: the three-node cluster tests, and their figures in bench/SCALE.md."""
