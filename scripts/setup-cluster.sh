#!/usr/bin/env bash
# The real Temporal server for `npm run test:cluster`: our build of it (ops/cluster/server: upstream's
# go.temporal.io/server/cmd/server at the version the dev server embeds, with a claim mapper that gives each
# client certificate the roles its CommonName has in a roles file; docs/deployment.md) and upstream's schema
# tool (go.temporal.io/server/cmd/tools/sql), into a cache outside the clone keyed by the version and a hash
# of ops/cluster/server's sources, go.mod and go.sum — a change to any of them builds anew; a second run
# reuses the build. Measured on this 2-core machine (go1.26.8), from an empty Go build cache with the
# modules (~1.5 GB) already downloaded: 2,245 s (37 min) of wall time while other test runs held the load
# average at 12–25 and the build ran at nice 19 for its first 24 minutes — 610 s of CPU (user 520, sys 89),
# so about 5–8 minutes on two free cores (estimated from the CPU time, not measured); with Go's build cache
# warm, 27 s. Prints the cache folder (bin/temporal-server, bin/temporal-sql-tool, schema/postgresql).
set -euo pipefail
TEMPORAL_SERVER_VERSION=v1.32.0   # the Temporal CLI 1.9.1's dev server (scripts/setup.sh) embeds Server 1.32
src="$(cd "$(dirname "$0")/.." && pwd)/ops/cluster/server"
grep -q "go.temporal.io/server $TEMPORAL_SERVER_VERSION\$" "$src/go.mod" || { echo "setup-cluster: $src/go.mod does not require go.temporal.io/server $TEMPORAL_SERVER_VERSION" >&2; exit 1; }
hash=$(cd "$src" && cat go.mod go.sum $(ls *.go | grep -v "_test\.go$" | LC_ALL=C sort) | sha256sum | cut -c1-12)
cache="${NEUTRIX_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/neutrix/temporal-server}/$TEMPORAL_SERVER_VERSION-neutrix-$hash"
say() { echo "setup-cluster: $*" >&2; }
if [ -x "$cache/bin/temporal-server" ] && [ -x "$cache/bin/temporal-sql-tool" ] && [ -d "$cache/schema/postgresql" ]; then echo "$cache"; exit 0; fi
command -v go >/dev/null || { echo "setup-cluster: the Go toolchain is needed to build the Temporal server (go.temporal.io/server $TEMPORAL_SERVER_VERSION)" >&2; exit 1; }
mkdir -p "$cache/bin"
t0=$(date +%s)
say "building ops/cluster/server (go.temporal.io/server $TEMPORAL_SERVER_VERSION) and cmd/tools/sql into $cache/bin (once; 610 s of CPU from nothing, 5–8 min on two free cores)"
# -mod=readonly: the module graph is go.sum's, never re-resolved.
export GOFLAGS="-modcacherw -mod=readonly -buildvcs=false" CGO_ENABLED=0
(cd "$src" && go build -o "$cache/bin/temporal-server.tmp" .) >&2
GOBIN="$cache/bin" go install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" >&2
mv "$cache/bin/sql" "$cache/bin/temporal-sql-tool"
# The PostgreSQL schema (persistence and SQL visibility) the schema tool applies, from the same module.
rm -rf "$cache/schema" && mkdir -p "$cache/schema"
cp -r "$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION/schema/postgresql" "$cache/schema/"
chmod -R u+w "$cache/schema"
mv "$cache/bin/temporal-server.tmp" "$cache/bin/temporal-server" # last: its presence means the cache is complete
say "built in $(( $(date +%s) - t0 )) s: $(du -h "$cache/bin/temporal-server" | cut -f1) server, $(du -h "$cache/bin/temporal-sql-tool" | cut -f1) schema tool"
echo "$cache"
