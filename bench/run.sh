#!/usr/bin/env bash
# Détente performance budget (docs: bench/README.md, DESIGN.md §9).
#
#   make bench            (builds, installs wrk and nginx-light, runs this)
#   bench/run.sh          (against an existing build/)
#
# Everything it makes lives in one temp dir, removed at the end; servers
# bind to 127.0.0.1 only; every load is bounded in requests and time.
# About 3-4 minutes by default.  Knobs (environment):
#   BENCH_BUILD=DIR         build dir with detente and libdetente.a (build)
#   BENCH_ONLY="read cold acts proofs replay neg"   sections to run (all)
#   BENCH_WRK_DURATION=10   seconds per wrk run of the read API
#   BENCH_WRK_RUNS=3        wrk runs per server (median reported)
#   BENCH_COLD_RUNS=10      cold starts (median reported)
#   BENCH_SERVE_THREADS=N   pass --threads N to detente serve (its default)
#   BENCH_ACTS_N=100000     signed acts posted in batches (POST /api/v1/acts/batch) a run
#   BENCH_ACTS_RUNS=3       batched runs (median reported)
#   BENCH_ACTS_BATCH=100    acts per batch
#   BENCH_ACTS_SINGLE_N=20000  signed acts posted one a request (POST /api/v1/acts)
#   BENCH_ACTS_MAX_S=20     time bound of the acts run
#   BENCH_SSE_CLIENTS=500   idle SSE clients held open during extra batched runs (0: none)
#   BENCH_CEIL_S=2          seconds per ceiling measurement
#   BENCH_PROOF_N=1000000   leaves of the proof tree (10000000 if BENCH_BIG=1)
#   BENCH_REPLAY_N=200000   entries replayed (1000000 if BENCH_BIG=1)
#   BENCH_FILL_THREADS=32   app_submit threads building the replay log
#   BENCH_BIG=1             the full-size runs (about 12 more minutes)
#   BENCH_KEEP=1            keep the temp dir
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
BUILD=${BENCH_BUILD:-$ROOT/build}
DETENTE="$BUILD/detente"
LIB="$BUILD/libdetente.a"
ONLY=${BENCH_ONLY:-"read cold acts proofs replay neg"}
WRK_D=${BENCH_WRK_DURATION:-10}
WRK_RUNS=${BENCH_WRK_RUNS:-3}
COLD_RUNS=${BENCH_COLD_RUNS:-10}
ACTS_N=${BENCH_ACTS_N:-100000}
ACTS_RUNS=${BENCH_ACTS_RUNS:-3}
ACTS_BATCH=${BENCH_ACTS_BATCH:-100}
ACTS_SINGLE_N=${BENCH_ACTS_SINGLE_N:-20000}
ACTS_MAX_S=${BENCH_ACTS_MAX_S:-20}
CEIL_S=${BENCH_CEIL_S:-2}
BIG=${BENCH_BIG:-0}
if [ "$BIG" = 1 ]; then
	PROOF_N=${BENCH_PROOF_N:-10000000}
	REPLAY_N=${BENCH_REPLAY_N:-1000000}
else
	PROOF_N=${BENCH_PROOF_N:-1000000}
	REPLAY_N=${BENCH_REPLAY_N:-200000}
fi
FILL_THREADS=${BENCH_FILL_THREADS:-32}
# Latency measurements (cold start, proofs) run at a higher priority when
# allowed, so that other work on a shared machine preempts them less.
NICE=()
[ "$(nice -n -10 nice 2>/dev/null)" -lt "$(nice)" ] && NICE=(nice -n -10)
SERVE_ARGS=()
[ -n "${BENCH_SERVE_THREADS:-}" ] && SERVE_ARGS=(--threads "$BENCH_SERVE_THREADS")

for tool in wrk nginx curl cc pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
	command -v "$tool" >/dev/null 2>&1 || {
		echo "bench: $tool is missing (make bench installs it)" >&2
		exit 1
	}
done
[ -x "$DETENTE" ] && [ -f "$LIB" ] || {
	echo "bench: no $DETENTE or $LIB: run 'make bench' (or ninja -C build)" >&2
	exit 1
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/detente-bench.XXXXXX")
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: kept $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

section() { printf '\n== %s\n' "$*"; }
say() { printf '  %-44s %s\n' "$1" "$2"; }
# median of the numbers on stdin
median() {
	sort -g | awk '{a[NR] = $1} END {
		if (NR == 0) print "nan";
		else if (NR % 2) print a[(NR + 1) / 2];
		else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# value of "name value unit" lines
field() { awk -v k="$1" '$1 == k {print $2; exit}' "$2"; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b > 0) ? 100 * a / b : 0}'; }
# "met"/"MISSED" for value OP goal
verdict() {
	awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {
		ok = (op == "<") ? (v < g) : (v >= g);
		print ok ? "met" : "MISSED" }'
}
vmrss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
vmhwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# The machine's CPU time (all cores) from /proc/stat: user nice system idle
# iowait irq softirq steal, in ticks.
cpustat() { awk '$1 == "cpu" {print $2, $3, $4, $5, $6, $7, $8, $9; exit}' /proc/stat; }
# Where the machine's time went between two cpustat readings, in %.
cpusplit() { # "BEFORE" "AFTER"
	awk -v a="$1" -v b="$2" 'BEGIN {
		n = split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= n; i++) { d[i] = y[i] - x[i]; t += d[i] }
		if (t <= 0) t = 1
		printf "busy %.0f %%, idle %.0f %%, iowait %.0f %%, steal %.0f %%",
			100 * (d[1] + d[2] + d[3] + d[6] + d[7]) / t, 100 * d[4] / t,
			100 * d[5] / t, 100 * d[8] / t }'
}

# Starts detente serve in the background; sets SRV_PID and SRV_URL.
start_server() { # DB LOGFILE
	"$DETENTE" serve --db "$1" --listen 127.0.0.1:0 "${SERVE_ARGS[@]}" \
		>"$2" 2>&1 &
	SRV_PID=$!
	PIDS+=("$SRV_PID")
	for _ in $(seq 100); do
		grep -q serving "$2" && break
		sleep 0.1
	done
	SRV_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$2" | head -1)
	[ -n "$SRV_URL" ] || {
		echo "bench: detente serve did not start:" >&2
		cat "$2" >&2
		exit 1
	}
}
stop_pid() {
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
log_size() { # URL
	curl -s "$1/api/v1/health" | sed -n 's/.*"log_size":\([0-9]*\).*/\1/p'
}

# ---------------------------------------------------------------------------
section "Détente bench — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "machine" "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
say "kernel / libs" "$(uname -r); sqlite $(pkg-config --modversion sqlite3), libsodium $(pkg-config --modversion libsodium), libmicrohttpd $(pkg-config --modversion libmicrohttpd), $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
say "commit" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted src/ changes')"
say "load average at start" "$(loadavg)"
awk '{exit !($1 > 1.0)}' /proc/loadavg &&
	echo "  WARNING: the machine is busy (load > 1 on $(nproc) cores): figures are noisy; ratios measured in the same run hold better"

# Small C programs, against libdetente.a.
section "building bench programs"
mkdir -p "$TMP/bin"
CFLAGS_B=(-O2 -g -std=c17 -D_GNU_SOURCE -Wall -Wextra -I"$ROOT/src")
read -r -a PKG <<<"$(pkg-config --cflags --libs libmicrohttpd jansson sqlite3 libsodium libcurl zlib)"
for p in gen_acts ceilings proofs fill_log coldstart negotiation; do
	cc "${CFLAGS_B[@]}" "$BENCH/$p.c" "$LIB" "${PKG[@]}" -lpthread -lm \
		-o "$TMP/bin/$p"
done
say "built" "gen_acts ceilings proofs fill_log coldstart negotiation (cc -O2)"

declare -A R # results for the summary

# --- 1 & 2: read API against nginx, cold start, memory ----------------------
if [[ " $ONLY " == *" read "* || " $ONLY " == *" cold "* ]]; then
	mkdir -p "$TMP/read"
	RDB="$TMP/read/d.db"
	"$DETENTE" init --demo --db "$RDB" >"$TMP/read/init.log" 2>&1
fi

if [[ " $ONLY " == *" cold "* ]]; then
	section "2. cold start: exec of 'detente serve' to its 'serving' line (demo db, median of $COLD_RUNS${NICE:+, ${NICE[*]}})"
	"${NICE[@]}" "$TMP/bin/coldstart" "$COLD_RUNS" "$DETENTE" serve --db "$RDB" \
		--listen 127.0.0.1:0 "${SERVE_ARGS[@]}" >"$TMP/cold.txt"
	R[cold_ms]=$(field coldstart_median "$TMP/cold.txt")
	say "cold start median" "${R[cold_ms]} ms (min $(field coldstart_min "$TMP/cold.txt"), max $(field coldstart_max "$TMP/cold.txt")); goal < 100 ms: $(verdict "${R[cold_ms]}" '<' 100)"
	say "VmRSS at the 'serving' line" "$(field coldstart_rss_median "$TMP/cold.txt") kB"
fi

if [[ " $ONLY " == *" read "* ]]; then
	section "1. read API: GET /api/v1/instruments/a-70-174, wrk -t2 -c32 -d${WRK_D}s keep-alive, detente vs nginx (same bytes), median of $WRK_RUNS"
	start_server "$RDB" "$TMP/read/serve.log"
	sleep 0.5
	R[rss_rest]=$(vmrss "$SRV_PID")
	PATH_A=/api/v1/instruments/a-70-174
	curl -s -D "$TMP/read/headers" -o "$TMP/read/body" "$SRV_URL$PATH_A"
	grep -q '^HTTP/1.1 200' "$TMP/read/headers" || {
		echo "bench: $PATH_A did not answer 200" >&2
		exit 1
	}
	BODY_LEN=$(wc -c <"$TMP/read/body")

	# nginx serving the same bytes, with the same extra headers.
	NG="$TMP/nginx"
	mkdir -p "$NG/www${PATH_A%/*}" "$NG/tmp"
	cp "$TMP/read/body" "$NG/www$PATH_A"
	chmod -R a+rX "$NG"
	chmod a+x "$TMP"
	ADD_HEADERS=$(tr -d '\r' <"$TMP/read/headers" | awk -F': ' 'NR > 1 && NF >= 2 {
		n = tolower($1)
		if (n == "date" || n == "content-type" || n == "content-length" || n == "etag" || n == "connection") next
		v = substr($0, length($1) + 3); gsub(/"/, "\\\"", v)
		printf "      add_header %s \"%s\" always;\n", $1, v }')
	NG_OK=0
	for _ in 1 2 3 4 5; do
		NG_PORT=$((20000 + RANDOM % 40000))
		cat >"$NG/nginx.conf" <<EOF
$( [ "$(id -u)" = 0 ] && echo "user root root;" )
worker_processes $(nproc);
daemon off;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 65; keepalive_requests 100000000;
  client_body_temp_path $NG/tmp/body; proxy_temp_path $NG/tmp/proxy;
  fastcgi_temp_path $NG/tmp/fcgi; uwsgi_temp_path $NG/tmp/uwsgi;
  scgi_temp_path $NG/tmp/scgi;
  types { }
  default_type application/json;
  server {
    listen 127.0.0.1:$NG_PORT;
    root $NG/www;
    location / {
$ADD_HEADERS
    }
  }
}
EOF
		nginx -p "$NG" -e "$NG/error.log" -c "$NG/nginx.conf" >"$NG/stdout" 2>&1 &
		NG_PID=$!
		PIDS+=("$NG_PID")
		for _ in $(seq 50); do
			sleep 0.1
			# nginx exits when the port is taken: check it still runs
			kill -0 "$NG_PID" 2>/dev/null || break
			curl -sf -o "$NG/probe" "http://127.0.0.1:$NG_PORT$PATH_A" &&
				cmp -s "$NG/probe" "$TMP/read/body" &&
				kill -0 "$NG_PID" 2>/dev/null && {
				NG_OK=1
				break
			}
		done
		[ "$NG_OK" = 1 ] && break
		stop_pid "$NG_PID"
	done
	[ "$NG_OK" = 1 ] || {
		echo "bench: nginx did not start:" >&2
		cat "$NG/error.log" "$NG/stdout" >&2
		exit 1
	}
	NG_URL="http://127.0.0.1:$NG_PORT"
	curl -s -D "$TMP/read/ng_headers" -o "$TMP/read/ng_body" "$NG_URL$PATH_A"
	cmp -s "$TMP/read/body" "$TMP/read/ng_body" || {
		echo "bench: nginx does not serve the same bytes" >&2
		exit 1
	}
	grep -qi '^content-type: application/json' "$TMP/read/ng_headers" || {
		echo "bench: nginx does not say application/json" >&2
		exit 1
	}
	say "response" "$BODY_LEN body bytes; headers $(wc -c <"$TMP/read/headers") B (detente), $(wc -c <"$TMP/read/ng_headers") B (nginx)"
	say "detente" "$SRV_URL (VmRSS at rest ${R[rss_rest]} kB)"
	say "nginx" "$NG_URL ($(nproc) workers, sendfile, keep-alive)"

	run_wrk() { # URL OUT
		wrk -t2 -c32 -d"${WRK_D}s" --timeout 5s "$1$PATH_A" >"$2" 2>&1
		awk '/Requests\/sec/ {print $2}' "$2"
	}
	# warm-up, then alternate the two servers so that drift hits both
	wrk -t2 -c32 -d2s "$SRV_URL$PATH_A" >/dev/null 2>&1
	wrk -t2 -c32 -d2s "$NG_URL$PATH_A" >/dev/null 2>&1
	: >"$TMP/read/det.rps"
	: >"$TMP/read/ng.rps"
	for i in $(seq "$WRK_RUNS"); do
		d=$(run_wrk "$SRV_URL" "$TMP/read/wrk-det-$i.txt")
		n=$(run_wrk "$NG_URL" "$TMP/read/wrk-ng-$i.txt")
		echo "$d" >>"$TMP/read/det.rps"
		echo "$n" >>"$TMP/read/ng.rps"
		bad=$(cat "$TMP/read/wrk-det-$i.txt" "$TMP/read/wrk-ng-$i.txt" |
			awk '/Non-2xx|Socket errors/ {printf "%s; ", $0}')
		say "run $i" "detente $d req/s, nginx $n req/s${bad:+  ($bad)}"
	done
	R[read_det]=$(median <"$TMP/read/det.rps")
	R[read_ng]=$(median <"$TMP/read/ng.rps")
	R[read_ratio]=$(pct "${R[read_det]}" "${R[read_ng]}")
	sleep 1
	R[rss_after]=$(vmrss "$SRV_PID")
	say "detente (median)" "$(printf '%.0f' "${R[read_det]}") req/s"
	say "nginx (median)" "$(printf '%.0f' "${R[read_ng]}") req/s"
	say "ratio detente / nginx" "${R[read_ratio]} %; goal >= 50 %: $(verdict "${R[read_ratio]}" '>=' 50)"
	say "detente latency (last run)" "$(awk '/Latency/ {print "avg " $2 ", stdev " $3 ", max " $4}' "$TMP/read/wrk-det-$WRK_RUNS.txt")"
	say "detente VmRSS at rest / after wrk" "${R[rss_rest]} kB / ${R[rss_after]} kB (peak $(vmhwm "$SRV_PID") kB); goal < 50 MB: $(verdict "${R[rss_after]}" '<' 51200)"
	stop_pid "$SRV_PID"
	stop_pid "$NG_PID"
fi

# --- 3: signed acts -----------------------------------------------------------
if [[ " $ONLY " == *" acts "* ]]; then
	section "3. signed acts: durable party-signed acts accepted/s over HTTP, 8 clients (wrk -t2 -c8), batches of $ACTS_BATCH ($ACTS_RUNS runs of N=$ACTS_N) and one act a request (N=$ACTS_SINGLE_N), <= ${ACTS_MAX_S}s each"
	A="$TMP/acts"
	mkdir -p "$A"
	"$DETENTE" init --demo --db "$A/d.db" >"$A/init.log" 2>&1
	echo "bench-password-not-secret" |
		"$DETENTE" user add benchop --role operator --party USA --db "$A/d.db" >"$A/setup.log" 2>&1
	TOKEN=$("$DETENTE" token create --user benchop --db "$A/d.db" 2>>"$A/setup.log")
	"$DETENTE" key gen --out "$A/K" >>"$A/setup.log"
	start_server "$A/d.db" "$A/serve.log"
	"$DETENTE" key register --key "$A/K" --server "$SRV_URL" --token "$TOKEN" >>"$A/setup.log"
	# One run of post_acts.lua: LABEL FILE PATH N; sets R[acts_rate_LABEL].
	acts_run() {
		local label=$1 file=$2 path=$3 n=$4 size0 size1 cpu0 cpu1 acc st0 st1
		size0=$(log_size "$SRV_URL")
		cpu0=$(cputicks "$SRV_PID")
		st0=$(cpustat)
		wrk -t2 -c8 -d"${ACTS_MAX_S}s" --timeout 10s -s "$BENCH/post_acts.lua" \
			"$SRV_URL" -- "$file" "$TOKEN" 2 "$path" >"$A/wrk-$label.txt" 2>&1 || {
			cat "$A/wrk-$label.txt" >&2
			exit 1
		}
		cpu1=$(cputicks "$SRV_PID")
		st1=$(cpustat)
		size1=$(log_size "$SRV_URL")
		R[acts_rate_$label]=$(field acts_rate "$A/wrk-$label.txt")
		acc=$(field acts_accepted "$A/wrk-$label.txt")
		say "$label: accepted (201)" "$acc of $n in $(field acts_elapsed "$A/wrk-$label.txt") s; refused requests $(field acts_refused "$A/wrk-$label.txt"); log grew by $((size1 - size0))"
		grep -q '^acts_first_refusal' "$A/wrk-$label.txt" &&
			say "$label: first refusal" "$(sed -n 's/^acts_first_refusal //p' "$A/wrk-$label.txt")"
		say "$label: latency p50 / p99, incl. fillers" "$(field acts_latency_p50 "$A/wrk-$label.txt") ms / $(field acts_latency_p99 "$A/wrk-$label.txt") ms"
		R[acts_cpu_us_$label]=$(awk -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" -v n="$acc" 'BEGIN {printf "%.0f", (n > 0) ? t / hz * 1e6 / n : 0}')
		say "$label: server CPU per accepted act" "${R[acts_cpu_us_$label]} us (user+sys; 2 cores => CPU ceiling ~$(awk -v c="${R[acts_cpu_us_$label]}" 'BEGIN {printf "%.0f", (c > 0) ? 2e6 / c : 0}') acts/s)"
		say "$label: the machine meanwhile" "$(cpusplit "$st0" "$st1") (both cores, server and client)"
		say "$label: ACCEPTED SIGNED ACTS/s" "${R[acts_rate_$label]}"
	}
	# the host's verify rate before the runs too (3b measures it after)
	"$TMP/bin/ceilings" "$A" 1 >"$A/ceil0.txt"
	t0=$(date +%s.%N)
	SSE_N=${BENCH_SSE_CLIENTS:-500}
	runs_made=$ACTS_RUNS
	# with SSE clients: each of those runs follows a reference run
	# without, on a log of the same size (a run on a longer log is
	# slower, which would be charged to the clients otherwise)
	[ "$SSE_N" -gt 0 ] && runs_made=$((3 * ACTS_RUNS))
	for k in $(seq 1 "$runs_made"); do
		"$TMP/bin/gen_acts" "$A/K" "$ACTS_N" $(((k - 1) * ACTS_N + 1)) >"$A/acts-$k.jsonl"
		awk -v b="$ACTS_BATCH" '{buf = buf (n ? "," : "") $0; n++; if (n == b) {print "{\"acts\":[" buf "]}"; buf = ""; n = 0}}
			END {if (n) print "{\"acts\":[" buf "]}"}' "$A/acts-$k.jsonl" >"$A/batches-$k.jsonl"
	done
	"$TMP/bin/gen_acts" "$A/K" "$ACTS_SINGLE_N" $((runs_made * ACTS_N + 1)) >"$A/single.jsonl"
	say "envelopes made (gen_acts)" "$((runs_made * ACTS_N + ACTS_SINGLE_N)) in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f s", b - a}'), $(($(wc -c <"$A/acts-1.jsonl") / ACTS_N)) B each"
	rates=()
	for k in $(seq 1 "$ACTS_RUNS"); do
		acts_run "batched$k" "$A/batches-$k.jsonl" /api/v1/acts/batch "$ACTS_N"
		rates+=("${R[acts_rate_batched$k]}")
	done
	acts_run single "$A/single.jsonl" /api/v1/acts "$ACTS_SINGLE_N"
	R[acts_rate]=$(printf '%s\n' "${rates[@]}" | median)
	# the same batched runs with idle live-event clients connected, each
	# after a reference run without them
	if [ "$SSE_N" -gt 0 ]; then
		sse_rates=()
		ref_rates=()
		for k in $(seq $((ACTS_RUNS + 1)) 2 "$runs_made"); do
			acts_run "ref$k" "$A/batches-$k.jsonl" /api/v1/acts/batch "$ACTS_N"
			ref_rates+=("${R[acts_rate_ref$k]}")
			k=$((k + 1))
			node "$BENCH/sse_idle.mjs" "$SRV_URL" "$SSE_N" $((ACTS_MAX_S + 10)) >"$A/sse-$k.txt" 2>&1 &
			sse_pid=$!
			for _ in $(seq 1 100); do grep -q sse_connected "$A/sse-$k.txt" && break; sleep 0.1; done
			sleep 1
			say "sse$k: idle SSE clients connected" "$(field sse_connected "$A/sse-$k.txt"), server VmRSS $(vmrss "$SRV_PID") kB"
			acts_run "sse$k" "$A/batches-$k.jsonl" /api/v1/acts/batch "$ACTS_N"
			kill "$sse_pid" 2>/dev/null; wait "$sse_pid" 2>/dev/null || true
			sse_rates+=("${R[acts_rate_sse$k]}")
		done
		R[acts_rate_sse]=$(printf '%s\n' "${sse_rates[@]}" | median)
		R[acts_rate_ref]=$(printf '%s\n' "${ref_rates[@]}" | median)
		say "ACCEPTED SIGNED ACTS/s with $SSE_N idle SSE clients" "median ${R[acts_rate_sse]} of ${sse_rates[*]}: $(pct "${R[acts_rate_sse]}" "${R[acts_rate_ref]}") % of the reference runs just before each (median ${R[acts_rate_ref]} of ${ref_rates[*]}; goal >= 90 %), $(pct "${R[acts_rate_sse]}" "${R[acts_rate]}") % of the first runs"
	fi
	say "server VmRSS after the acts" "$(vmrss "$SRV_PID") kB"
	say "ACCEPTED SIGNED ACTS/s (batched)" "median ${R[acts_rate]} of ${rates[*]}; goal >= 10000: $(verdict "${R[acts_rate]}" '>=' 10000); one act a request: ${R[acts_rate_single]}/s"
	stop_pid "$SRV_PID"

	section "3b. ceilings on this machine, same run (ceilings.c, one core, ${CEIL_S}s each)"
	"$TMP/bin/ceilings" "$A" "$CEIL_S" >"$TMP/ceil.txt"
	R[verify]=$(field ed25519_verify "$TMP/ceil.txt")
	R[sq1]=$(field sqlite_wal_full_1row_txn "$TMP/ceil.txt")
	R[sq1000]=$(field sqlite_wal_full_1000row_txn "$TMP/ceil.txt")
	say "Ed25519 verify (256 B)" "${R[verify]}/s per core ($(awk -v v="${R[verify]}" 'BEGIN {printf "%.1f", 1e6 / v}') us); before the acts runs: $(field ed25519_verify "$A/ceil0.txt")/s"
	say "Ed25519 sign (256 B)" "$(field ed25519_sign "$TMP/ceil.txt")/s per core"
	say "SHA-256 of a 65 B node" "$(field sha256_node "$TMP/ceil.txt")/s"
	say "SQLite WAL+FULL, 1 row/txn" "${R[sq1]} commits/s"
	say "SQLite WAL+FULL, 1000 rows/txn" "${R[sq1000]} rows/s (512 B rows)"
	say "signed acts vs ceilings" "$(pct "${R[acts_rate]}" "${R[verify]}") % of one core's verify rate; $(awk -v a="${R[acts_rate]}" -v c="${R[sq1]}" 'BEGIN {printf "%.1f", a / c}') acts per 1-row commit time"
	# Little's law: 8 clients, one request each in flight, each answered
	# after its durable commit: rate <= 8 / commit latency.
	say "bound: 8 in flight x 1-row commits/s" "$(awk -v c="${R[sq1]}" 'BEGIN {printf "%.0f", 8 * c}') acts/s (if every commit carried all 8 acts and CPU were free)"
	rm -rf "$A"
fi

# --- 4: proofs ----------------------------------------------------------------
if [[ " $ONLY " == *" proofs "* ]]; then
	section "4. proofs: tree of $PROOF_N leaves in SQLite (store_log_node_put + merkle_append), 1000 random proofs each${NICE:+ (${NICE[*]})}"
	mkdir -p "$TMP/proofs"
	"${NICE[@]}" "$TMP/bin/proofs" "$TMP/proofs" "$PROOF_N" 1000 >"$TMP/proofs.txt"
	P="$TMP/proofs.txt"
	say "tree built" "$(field build_time "$P") s ($(field build_rate "$P") leaves/s), db $(du -m "$TMP/proofs/proofs.db" | cut -f1) MB"
	R[incl_p50]=$(field inclusion_median "$P")
	R[incl_p99]=$(field inclusion_p99 "$P")
	R[cons_p50]=$(field consistency_median "$P")
	R[cons_p99]=$(field consistency_p99 "$P")
	R[incl_cpu99]=$(field inclusion_cpu_p99 "$P")
	R[cons_cpu99]=$(field consistency_cpu_p99 "$P")
	say "inclusion median / p99 / max (wall)" "${R[incl_p50]} / ${R[incl_p99]} / $(field inclusion_max "$P") us ($(field inclusion_avg_len "$P") hashes)"
	say "  the same in thread CPU time" "$(field inclusion_cpu_median "$P") / $(field inclusion_cpu_p99 "$P") / $(field inclusion_cpu_max "$P") us"
	say "consistency median / p99 / max (wall)" "${R[cons_p50]} / ${R[cons_p99]} / $(field consistency_max "$P") us ($(field consistency_avg_len "$P") hashes)"
	say "  the same in thread CPU time" "$(field consistency_cpu_median "$P") / $(field consistency_cpu_p99 "$P") / $(field consistency_cpu_max "$P") us"
	say "read from disk during the proofs" "$(field proofs_disk_read "$P") bytes (page-cache misses)"
	say "goal < 1 ms: median" "inclusion $(verdict "${R[incl_p50]}" '<' 1000), consistency $(verdict "${R[cons_p50]}" '<' 1000)"
	say "goal < 1 ms: p99 (wall)" "inclusion $(verdict "${R[incl_p99]}" '<' 1000), consistency $(verdict "${R[cons_p99]}" '<' 1000) (wall >> CPU in the tail = preemption on a busy machine)"
	say "goal < 1 ms: p99 (CPU)" "inclusion $(verdict "${R[incl_cpu99]}" '<' 1000), consistency $(verdict "${R[cons_cpu99]}" '<' 1000)"
	rm -rf "$TMP/proofs"
fi

# --- 5: replay ----------------------------------------------------------------
if [[ " $ONLY " == *" replay "* ]]; then
	section "5. replay: log of $REPLAY_N entries built by app_submit ($FILL_THREADS threads), then 'detente log replay'"
	RP="$TMP/replay"
	mkdir -p "$RP"
	"$DETENTE" init --db "$RP/r.db" >"$RP/init.log" 2>&1
	"$TMP/bin/fill_log" "$RP/r.db" "$RP/r.key" "$REPLAY_N" "$FILL_THREADS" >"$RP/fill.txt"
	say "log built" "$(field fill_acts "$RP/fill.txt") acts in $(field fill_time "$RP/fill.txt") s ($(field fill_rate "$RP/fill.txt") acts/s through app_submit), db $(du -m "$RP/r.db" | cut -f1) MB"
	# The same run's reference: the host's verify rate just before and
	# just after the replay (it moved by 1.8x within an hour here).
	"$TMP/bin/ceilings" "$RP" 1 >"$RP/ceil0.txt"
	TIMEFORMAT='%R %U %S'
	{ time "$DETENTE" log replay --into "$RP/new.db" --db "$RP/r.db" \
		--key "$RP/r.key" >"$RP/replay.txt" 2>&1; } 2>"$RP/time.txt"
	"$TMP/bin/ceilings" "$RP" 1 >"$RP/ceil1.txt"
	read -r wall usr sys <"$RP/time.txt"
	v0=$(field ed25519_verify "$RP/ceil0.txt")
	v1=$(field ed25519_verify "$RP/ceil1.txt")
	R[replay_ms]=$(sed -n 's/.* in \([0-9]*\) ms.*/\1/p' "$RP/replay.txt")
	[ -n "${R[replay_ms]}" ] || {
		cat "$RP/replay.txt" >&2
		exit 1
	}
	R[replay_n]=$REPLAY_N
	say "replay (as printed)" "${R[replay_ms]} ms for $REPLAY_N entries ($(awk -v n="$REPLAY_N" -v ms="${R[replay_ms]}" 'BEGIN {printf "%.0f", n / ms * 1000}') entries/s)"
	say "whole command" "${wall} s wall, of which the table comparison ~$(awk -v w="$wall" -v ms="${R[replay_ms]}" 'BEGIN {printf "%.1f", w - ms / 1000}') s; CPU ${usr} s user + ${sys} s sys"
	# Verification alone, on both cores, at the mean of the two rates.
	R[replay_vbound_s]=$(awk -v n="$REPLAY_N" -v a="$v0" -v b="$v1" 'BEGIN {printf "%.1f", n / (a + b)}')
	say "reference: Ed25519 verify before / after" "$v0 / $v1 per s per core; verifying $REPLAY_N entries on 2 cores alone: ${R[replay_vbound_s]} s"
	say "replay / verification alone" "$(awk -v ms="${R[replay_ms]}" -v b="${R[replay_vbound_s]}" 'BEGIN {printf "%.2f", ms / 1000 / b}') x"
	grep -q 'tables equal' "$RP/replay.txt" || say "WARNING" "the replayed tables differ: $(tail -1 "$RP/replay.txt")"
	if [ "$REPLAY_N" -ne 1000000 ]; then
		R[replay_1m_s]=$(awk -v ms="${R[replay_ms]}" -v n="$REPLAY_N" 'BEGIN {printf "%.0f", ms * 1000000 / n / 1000}')
		say "EXTRAPOLATED to 1,000,000 (linear)" "~${R[replay_1m_s]} s (not measured; BENCH_REPLAY_N=1000000 measures it); goal < 60 s: $(verdict "${R[replay_1m_s]}" '<' 60)"
		say "EXTRAPOLATED build of 1,000,000" "~$(awk -v t="$(field fill_time "$RP/fill.txt")" -v n="$REPLAY_N" 'BEGIN {printf "%.0f", t * 1000000 / n}') s at this rate"
	else
		R[replay_1m_s]=$(awk -v ms="${R[replay_ms]}" 'BEGIN {printf "%.1f", ms / 1000}')
		say "replay of 1,000,000" "${R[replay_1m_s]} s; goal < 60 s: $(verdict "${R[replay_1m_s]}" '<' 60)"
	fi
	rm -rf "$RP"
fi

# --- summary ------------------------------------------------------------------
# --- 6: the negotiation core ------------------------------------------------
if [[ " $ONLY " == *" neg "* ]]; then
	section "6. negotiation core: the diff of two 200-paragraph revisions, the tally of a 193-member vote with 20 paragraph votes (negotiation.c, median of 101)"
	"$TMP/bin/negotiation" 101 >"$TMP/neg.txt"
	R[diff_us]=$(field diff_200_paragraphs_us "$TMP/neg.txt")
	R[tally_us]=$(field tally_193_with_20_paragraph_votes_us "$TMP/neg.txt")
	say "diff of two 200-paragraph revisions" "median ${R[diff_us]} us, p99 $(field diff_200_paragraphs_p99_us "$TMP/neg.txt") us; goal < 5000 us: $(verdict "${R[diff_us]}" '<' 5000)"
	say "tally, 193 members, 20 paragraph votes" "median ${R[tally_us]} us; goal < 1000 us: $(verdict "${R[tally_us]}" '<' 1000)"
fi

section "summary (DESIGN.md §9 budget)"
[ -n "${R[read_ratio]:-}" ] && say "read API detente/nginx" "$(printf '%.0f' "${R[read_det]}") / $(printf '%.0f' "${R[read_ng]}") req/s = ${R[read_ratio]} % (>= 50 %): $(verdict "${R[read_ratio]}" '>=' 50)"
[ -n "${R[cold_ms]:-}" ] && say "cold start" "${R[cold_ms]} ms (< 100 ms): $(verdict "${R[cold_ms]}" '<' 100)"
[ -n "${R[rss_after]:-}" ] && say "server RSS rest / after load" "${R[rss_rest]} / ${R[rss_after]} kB (< 50 MB): $(verdict "${R[rss_after]}" '<' 51200)"
[ -n "${R[acts_rate]:-}" ] && say "signed acts accepted" "${R[acts_rate]}/s (>= 10000): $(verdict "${R[acts_rate]}" '>=' 10000)  [verify ceiling ${R[verify]}/s/core, 1-row commits ${R[sq1]}/s]"
[ -n "${R[incl_p99]:-}" ] && say "proofs at $PROOF_N, median | p99" "inclusion ${R[incl_p50]} | ${R[incl_p99]} us, consistency ${R[cons_p50]} | ${R[cons_p99]} us (< 1000 us): median $(verdict "${R[incl_p50]}" '<' 1000)/$(verdict "${R[cons_p50]}" '<' 1000), p99 $(verdict "${R[incl_p99]}" '<' 1000)/$(verdict "${R[cons_p99]}" '<' 1000), CPU p99 ${R[incl_cpu99]}/${R[cons_cpu99]} us $(verdict "${R[incl_cpu99]}" '<' 1000)/$(verdict "${R[cons_cpu99]}" '<' 1000)$([ "$PROOF_N" -lt 10000000 ] && echo ' [goal is at 10M: BENCH_BIG=1]')"
[ -n "${R[replay_ms]:-}" ] && say "replay of 1M" "$([ "$REPLAY_N" -ne 1000000 ] && echo "~${R[replay_1m_s]} s EXTRAPOLATED from $REPLAY_N" || echo "${R[replay_1m_s]} s") (< 60 s): $(verdict "${R[replay_1m_s]}" '<' 60)"
say "load average at end" "$(loadavg)"
