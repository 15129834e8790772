#!/usr/bin/env bash
# The real Temporal server for `npm run test:cluster`: built from its Go module at the version
# the dev server embeds, with its schema tool, into a cache outside the clone, keyed by version (the build
# takes ~15 minutes on 2 cores and 1.7 GB of modules; a second run reuses it). Prints the cache folder
# (bin/temporal-server, bin/temporal-sql-tool, schema/postgresql).
set -euo pipefail
TEMPORAL_SERVER_VERSION=v1.32.0   # the Temporal CLI 1.9.1's dev server (scripts/setup.sh) embeds Server 1.32
cache="${NEUTRIX_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/neutrix/temporal-server}/$TEMPORAL_SERVER_VERSION"
say() { echo "setup-cluster: $*" >&2; }
if [ -x "$cache/bin/temporal-server" ] && [ -x "$cache/bin/temporal-sql-tool" ] && [ -d "$cache/schema/postgresql" ]; then echo "$cache"; exit 0; fi
command -v go >/dev/null || { echo "setup-cluster: the Go toolchain is needed to build the Temporal server (go.temporal.io/server $TEMPORAL_SERVER_VERSION)" >&2; exit 1; }
mkdir -p "$cache/bin"
t0=$(date +%s)
say "building go.temporal.io/server/cmd/server and cmd/tools/sql $TEMPORAL_SERVER_VERSION into $cache/bin (once; ~15 min on 2 cores)"
export GOFLAGS=-modcacherw GOBIN="$cache/bin" CGO_ENABLED=0
go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" >&2
go install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" >&2
mv "$cache/bin/server" "$cache/bin/temporal-server"
mv "$cache/bin/sql" "$cache/bin/temporal-sql-tool"
# The PostgreSQL schema (persistence and SQL visibility) the schema tool applies, from the same module.
rm -rf "$cache/schema" && mkdir -p "$cache/schema"
cp -r "$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION/schema/postgresql" "$cache/schema/"
chmod -R u+w "$cache/schema"
say "built in $(( $(date +%s) - t0 )) s: $(du -h "$cache/bin/temporal-server" | cut -f1) server, $(du -h "$cache/bin/temporal-sql-tool" | cut -f1) schema tool"
echo "$cache"
