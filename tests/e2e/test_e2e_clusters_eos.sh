#!/usr/bin/env bash
# test_e2e_clusters.sh in delivery.mode = exactly-once: the clustering stage's
# changelog records, EventCluster records and repartition offsets are
# committed in one transaction per batch, so after a kill -9 no record is
# repeated (see that script).
E2E_CLUSTER_MODE=exactly-once
export E2E_CLUSTER_MODE
exec bash "$(dirname "$0")/test_e2e_clusters.sh"
