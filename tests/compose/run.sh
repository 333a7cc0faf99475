#!/usr/bin/env bash
# End-to-end tests of the Compose deployment (deploy/compose/compose.yaml), against the real stack built
# from local images: egress only through Squid's whitelist, isolation of the agent network, denials as
# alerts (also read from the host's Kafka port, as a SIEM would), the dashboard only through its proxy,
# runners scaled to two, and `down` leaving nothing behind.
#
#   tests/compose/run.sh          (.ci/run runs it after the Maven tests)
#
# Traffic goes only to containers and networks this script creates: the "internet" is a network of its
# own with a TEST-NET-2 subnet (198.51.100.0/24, never routed) whose hosts are named *.test through
# Docker's DNS on that network; direct connection attempts use addresses, never names.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tests/compose"
compose_file="$root/deploy/compose/compose.yaml"

project="herdctl-e2e"
export COMPOSE_PROJECT_NAME="$project" HERDCTL_NETWORK_PREFIX="$project"
export HERDCTL_SSO_SUBNET="10.213.118.0/29" HERDCTL_SSO_PROXY_ADDRESS="10.213.118.2" HERDCTL_SSO_DASHBOARD_ADDRESS="10.213.118.3"
export HERDCTL_DOCKER_GID="$(stat -c %g /var/run/docker.sock)"
export HERDCTL_SQUID_WHITELIST="$here/whitelist.txt"
# A free port below the ephemeral range, which outgoing connections could take before compose binds it.
kafka_port=$(python3 -c '
import random, socket
for _ in range(500):
    p = random.randrange(20000, 32000)
    try:
        s = socket.socket(); s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        pass
')
export HERDCTL_KAFKA_HOST_PORT="$kafka_port"
work="$(mktemp -d /tmp/herdctl-compose-e2e.XXXXXX)"
cp -r "$here/fleet" "$work/fleet"
export HERDCTL_FLEET_DIR="$work/fleet" HERDCTL_STATE_DIR="$work/state"
HERDCTL_SERVICE_TOKEN="$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')"
export HERDCTL_SERVICE_TOKEN
internet="$project-internet"      # the fake internet: TEST-NET-2
lan="$project-lan"                # a private network a whitelisted name may point into
net_image="herdctl/test-net:latest"

if docker compose version >/dev/null 2>&1; then dc=(docker compose -f "$compose_file"); else dc=(docker-compose -f "$compose_file"); fi

passed=0
failed=0
t0=$(date +%s)
section() { echo "== $1  [$(( $(date +%s) - t0 )) s]"; }
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; }
# check <name> <expected> <actual>
check() { if [ "$2" = "$3" ]; then pass "$1 ($3)"; else fail "$1: expected $2, got $3"; fi; }
contains() { if grep -qF -- "$2" <<<"$3"; then pass "$1"; else fail "$1: no '$2' in: $(printf '%s' "$3" | head -c 400)"; fi; }

# What a run leaves when it is killed before its trap runs: removed before a run starts, and after it.
leftovers() {
  docker rm -f "$project-web" "$project-private" "$project-probe" "$project-sso-probe" >/dev/null 2>&1
  local jobs
  jobs=$(docker ps -aq --filter "label=io.herdctl.stack=$project")
  [ -z "$jobs" ] || docker rm -f $jobs >/dev/null 2>&1
  "${dc[@]}" down --remove-orphans >/dev/null 2>&1
  docker network rm "$internet" "$lan" >/dev/null 2>&1
}
cleanup() {
  leftovers
  rm -rf "$work"
}
trap cleanup EXIT

# A probe placed as an agent container is (on the agent network, non-root, read-only, no capabilities),
# and one at the SSO proxy's fixed address on the dashboard's network, both started once the stack is up.
probe() { docker exec "$project-probe" sh -c "$1" 2>&1; }
as_proxy() { docker exec "$project-sso-probe" sh -c "$1" 2>&1; }
# Container ids by service, from the engine (much faster than asking docker-compose).
cid() { docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$1"; }
in_service() { local s="$1"; shift; docker exec "$(cid "$s" | head -n 1)" "$@" 2>&1; }
audit_get() { in_service audit-service curl -s "http://127.0.0.1:3244$1"; }
trigger() { # trigger <agent> → job id
  in_service scheduler-service curl -s -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $HERDCTL_SERVICE_TOKEN" -d '{}' \
    "http://127.0.0.1:3241/api/agents/$1/trigger" | sed -n 's/.*"jobId":"\([^"]*\)".*/\1/p'
}
wait_job() { # wait_job <id> [timeout] → final status
  local id="$1" deadline=$(( $(date +%s) + ${2:-90} )) status=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    status=$(audit_get "/api/jobs/$id" | sed -n 's/.*"status":"\([^"]*\)".*/\1/p' | head -n 1)
    case "$status" in completed|failed|cancelled) echo "$status"; return ;; esac
    sleep 1
  done
  echo "${status:-unknown}"
}

section "images"
bash "$root/deploy/images/build.sh" | grep -v 'up to date' || true
if ! docker image inspect "$net_image" >/dev/null 2>&1; then
  DOCKER_BUILDKIT=0 docker build -q -t "$net_image" "$here/net-image" >/dev/null || { echo "cannot build $net_image" >&2; exit 1; }
fi
volumes_before=$(docker volume ls -q | sort)

section "configuration"
if out=$("${dc[@]}" config -q 2>&1); then pass "compose.yaml validates"; else fail "compose.yaml does not validate: $out"; fi
if out=$(OAUTH2_PROXY_CLIENT_ID=x OAUTH2_PROXY_CLIENT_SECRET=y OAUTH2_PROXY_COOKIE_SECRET=0123456789abcdef0123456789abcdef \
    "${dc[@]}" --profile sso config 2>&1) && grep -q 'oauth2-proxy' <<<"$out"; then
  pass "compose.yaml with profile sso validates and includes oauth2-proxy"
else
  fail "profile sso: $out"
fi

section "up"
leftovers
start=$(date +%s)
if ! "${dc[@]}" up -d >/tmp/herdctl-compose-e2e-up.log 2>&1; then
  cat /tmp/herdctl-compose-e2e-up.log
  fail "docker compose up"
  exit 1
fi
if out=$(bash "$root/deploy/compose/wait-healthy.sh" "$start" 240); then pass "$out"; else fail "stack: $out"; "${dc[@]}" ps; "${dc[@]}" logs --tail 40; exit 1; fi
check "oauth2-proxy is not started without the sso profile" 0 "$(cid oauth2-proxy | grep -c .)"
docker run -d --name "$project-probe" --network "$project-restricted" --user 1000:1000 --read-only --cap-drop ALL \
  --security-opt no-new-privileges "$net_image" sleep 3600 >/dev/null
docker run -d --name "$project-sso-probe" --network "$project-sso" --ip "$HERDCTL_SSO_PROXY_ADDRESS" "$net_image" \
  sleep 3600 >/dev/null

section "the fake internet"
docker network create --internal --subnet 198.51.100.0/24 "$internet" >/dev/null
docker network create --internal --subnet 10.213.119.0/24 "$lan" >/dev/null
squid=$(cid squid)
docker network connect "$internet" "$squid"
docker network connect "$lan" "$squid"
serve='mkdir -p /tmp/www && echo fake-internet-ok > /tmp/www/index.html && busybox httpd -p 80 -h /tmp/www && busybox httpd -p 443 -h /tmp/www && sleep 3600'
docker run -d --name "$project-web" --network "$internet" --network-alias web.allowed.test --network-alias blocked.test \
  "$net_image" sh -c "$serve" >/dev/null
docker run -d --name "$project-private" --network "$lan" --network-alias private.allowed.test "$net_image" sh -c "$serve" >/dev/null
web_ip=$(docker inspect -f "{{ (index .NetworkSettings.Networks \"$internet\").IPAddress }}" "$project-web")
# The fake hosts' servers start in the background: wait until one answers through the proxy.
for _ in $(seq 1 20); do
  [ "$(probe "curl -s -o /dev/null -m 5 -w '%{http_code}' -x http://squid:3128 http://web.allowed.test/")" = 200 ] && break
  sleep 1
done

section "egress through the proxy (from the agent network)"
code() { probe "curl -s -o /dev/null -m 10 -w '%{http_code}' -x http://squid:3128 $1"; }
check "whitelisted host answers through the proxy" 200 "$(code http://web.allowed.test/)"
contains "whitelisted host's page comes back" "fake-internet-ok" "$(probe 'curl -s -m 10 -x http://squid:3128 http://web.allowed.test/')"
check "host not on the whitelist: 403" 403 "$(code http://blocked.test/)"
check "IP-literal destination: 403" 403 "$(code "http://$web_ip/")"
check "whitelisted host on a port other than 80: 403" 403 "$(code http://web.allowed.test:8080/)"
check "whitelisted name resolving to a private address: 403" 403 "$(code http://private.allowed.test/)"
check "CONNECT to a whitelisted host on 443: tunnel opened" 200 \
  "$(probe 'curl -s -o /dev/null -m 10 -p -x http://squid:3128 -w "%{http_connect}" https://web.allowed.test/')"
check "CONNECT to a port other than 443: 403" 403 \
  "$(probe 'curl -s -o /dev/null -m 10 -p -x http://squid:3128 -w "%{http_connect}" https://web.allowed.test:22/')"

section "isolation of the agent network"
# Every connection attempt runs at once inside the probe (a dropped packet costs the whole timeout).
declare -A reach=()
scan() { # scan <host:port>... → fills reach[host:port] with open/closed
  local out t
  out=$(probe "for t in $*; do ( if timeout 4 bash -c \"exec 3<>/dev/tcp/\${t%:*}/\${t##*:}\" 2>/dev/null; then
      echo \"\$t open\"; else echo \"\$t closed\"; fi ) & done; wait")
  while read -r t state; do [ -n "$t" ] && reach[$t]=$state; done <<< "$out"
}
targets=("squid:3128" "$web_ip:80")
labels=()
for s in kafka config-service scheduler-service runner-service audit-service dashboard-service; do
  case "$s" in
    kafka) ports="9092 9094" ;; config-service) ports=3242 ;; scheduler-service) ports=3241 ;;
    runner-service) ports=3243 ;; audit-service) ports=3244 ;; dashboard-service) ports=3232 ;;
  esac
  for ip in $(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' $(cid "$s")); do
    for p in $ports; do targets+=("$ip:$p"); labels+=("$s|$ip:$p"); done
  done
done
# The host, through every bridge address an agent might try: the stack's own host port and every TCP
# port the host listens on. The stack's port must be closed; anything else open is the host's own
# service listening on all interfaces, reported as a finding about this machine.
gateways=$(docker network inspect -f '{{range .IPAM.Config}}{{.Gateway}} {{end}}' \
  "$project-restricted" "$project-services" bridge 2>/dev/null | tr ' ' '\n' | grep -v '^$' | sort -u)
host_ports=$(ss -ltnH 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -un)
for gw in $gateways; do
  targets+=("$gw:$kafka_port")
  for p in $host_ports; do [ "$p" = "$kafka_port" ] || targets+=("$gw:$p"); done
done
# Name lookups that fail take the resolver's whole timeout: run them while the ports are scanned.
{ looked=$(probe 'for n in kafka dashboard-service audit-service; do (getent hosts $n >/dev/null && echo resolved) & done; wait')
  if grep -q resolved <<<"$looked"; then echo yes >"$work/dns"; else echo no >"$work/dns"; fi; } &
dns_pid=$!
scan "${targets[@]}"
wait "$dns_pid"

check "the proxy itself is reachable (control)" open "${reach[squid:3128]:-unknown}"
check "direct connection to a fake internet host fails" closed "${reach[$web_ip:80]:-unknown}"
for l in "${labels[@]}"; do
  check "${l%%|*} at ${l#*|} unreachable from the agent network" closed "${reach[${l#*|}]:-unknown}"
done
check "service names do not resolve on the agent network" "no" "$(cat "$work/dns")"
for gw in $gateways; do
  check "the stack's Kafka host port at bridge address $gw:$kafka_port" closed "${reach[$gw:$kafka_port]:-unknown}"
  for p in $host_ports; do
    if [ "$p" != "$kafka_port" ] && [ "${reach[$gw:$p]:-}" = open ]; then
      echo "NOTE  host port $p answers on bridge address $gw: a host service listens on all interfaces;"\
        "agents can reach it (bind it to 127.0.0.1 or firewall the Docker bridges)"
    fi
  done
done

section "a job through the restricted network"
check "a trigger without the service token: refused" 401 "$(in_service scheduler-service curl -s -o /dev/null \
  -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' http://127.0.0.1:3241/api/agents/prober/trigger)"
job=$(trigger prober)
if [ -z "$job" ]; then fail "trigger prober"; else
  check "prober job $job" completed "$(wait_job "$job")"
  log="$HERDCTL_STATE_DIR/jobs/$job.jsonl"
  jsonl=$(cat "$log" 2>/dev/null)
  contains "job log $log: the whitelisted host answered the job" "fetch http://web.allowed.test/ -> HTTP/1.1 200 OK" "$jsonl"
  contains "job log: the proxy refused the other host" "fetch http://blocked.test/ -> HTTP/1.1 403 Forbidden" "$jsonl"
  contains "the job saw its workspace, mounted from the fleet directory on the host" "workspace: README.md" "$jsonl"
  check "no bind source was created at the runner's own paths on the host" "no" \
    "$([ -e /fleet ] || [ -e /var/lib/herdctl/state/sessions/prober ] && echo yes || echo no)"
  alerts=""
  for _ in $(seq 1 20); do
    alerts=$(audit_get "/api/alerts?job=$job")
    grep -q 'egress-denied' <<<"$alerts" && break
    sleep 1
  done
  contains "the denial is an alert on the job" '"egress-denied"' "$alerts"
  contains "the alert names the refused host" 'blocked.test' "$alerts"
  contains "the probe's refusals (no job had its address) are alerts too" 'ERR_HERDCTL_IP_LITERAL' \
    "$(audit_get "/api/alerts?job=egress-unattributed&limit=200")"
  # As a SIEM would: the OCSF feed from the host's Kafka port, read until the alert shows up.
  feed="$work/siem.ndjson"
  HERDCTL_KAFKA="127.0.0.1:$kafka_port" java -XX:TieredStopAtLevel=1 -jar "$root/launcher/target/herdctl-launcher.jar" \
    alerts --follow --from-beginning >"$feed" 2>/dev/null &
  feed_pid=$!
  siem=""
  for _ in $(seq 1 60); do
    siem=$(grep "egress-denied" "$feed" 2>/dev/null | grep -m 1 -F "$job")
    [ -n "$siem" ] && break
    sleep 1
  done
  kill "$feed_pid" 2>/dev/null; wait "$feed_pid" 2>/dev/null
  contains "a SIEM on the host reads the alert from Kafka at 127.0.0.1:$kafka_port" "$job" "$siem"
  local_user=$(java -cp "$root/launcher/target/lib/*" "$here/KafkaProbe.java" "127.0.0.1:$kafka_port" 2>/dev/null)
  contains "the host's Kafka port shows only the alerts and job status topics" \
    "topics: [herdctl.alerts.v1, herdctl.job-status.v1]" "$local_user"
  contains "the host's Kafka port refuses a job request" "request: refused" "$local_user"

  echo "== the dashboard, only through its proxy"
  view=$(as_proxy "curl -s -H 'X-Forwarded-User: e2e' -H 'X-Forwarded-Email: e2e@example.test' http://dashboard-service:3232/api/jobs/$job")
  contains "as the proxy: the job's status" '"status":"completed"' "$view"
  page=$(as_proxy "curl -s -H 'X-Forwarded-User: e2e' http://dashboard-service:3232/jobs/$job")
  contains "as the proxy: the job page shows its output" "web.allowed.test/ -&gt; HTTP/1.1 200 OK" "$page"
  check "from another address on the proxy's network: refused" 403 \
    "$(docker run --rm --network "$project-sso" --ip 10.213.118.5 "$net_image" \
       curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-User: admin' http://dashboard-service:3232/api/jobs 2>&1)"
  check "from the services' network with forged headers: refused" 403 \
    "$(in_service audit-service curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-User: admin' http://dashboard-service:3232/api/jobs)"
  check "the dashboard is not published on the host" "" "$(docker port "$(cid dashboard-service)")"
fi

section "two runners"
start=$(date +%s)
"${dc[@]}" up -d --no-recreate --scale runner-service=2 >/dev/null 2>&1
if out=$(bash "$root/deploy/compose/wait-healthy.sh" "$start" 180); then pass "scaled to two runners: $out"; else fail "scale: $out"; fi
check "runner replicas" 2 "$(cid runner-service | grep -c .)"
# Each runner logs the request partitions it holds after every change: wait until both hold some.
runners_with_partitions() {
  local n=0 c last
  for c in $(cid runner-service); do
    last=$(docker logs "$c" 2>&1 | grep -o 'request partitions held: \[[0-9, ]*\]' | tail -n 1)
    case "$last" in *'[]'|'') ;; *) n=$((n + 1)) ;; esac
  done
  echo "$n"
}
for _ in $(seq 1 60); do [ "$(runners_with_partitions)" = 2 ] && break; sleep 1; done
check "both runners hold request partitions" 2 "$(runners_with_partitions)"
jobs=()
runners=""
done_count=0
triggered=0
# Two rounds: an agent runs one job at a time, so the second round waits for the first.
for round in 1 2; do
  batch=()
  for w in a b c d e f; do
    j=$(trigger "worker-$w")
    triggered=$((triggered + 1))
    if [ -n "$j" ]; then batch+=("$j"); jobs+=("$j"); else echo "      trigger worker-$w (round $round) refused"; fi
  done
  for j in "${batch[@]}"; do wait_job "$j" 120 >/dev/null; done
done
for j in "${jobs[@]}"; do
  st=$(wait_job "$j" 5)
  if [ "$st" = completed ]; then
    done_count=$((done_count + 1))
  else
    echo "      job $j: $st: $(audit_get "/api/jobs/$j" | grep -o '"error":"[^"]*"' | head -n 1)"
  fi
  runners="$runners $(as_proxy "curl -s -H 'X-Forwarded-User: e2e' http://dashboard-service:3232/api/jobs/$j" \
    | sed -n 's/.*"runnerId":"\([^"]*\)".*/\1/p')"
done
check "jobs completed on the scaled stack" "$triggered" "$done_count"
if [ "$done_count" != "$triggered" ]; then
  for c in $(cid runner-service); do echo "      runner $c:"; docker logs "$c" 2>&1 | grep -E 'WARN|ERROR|lost' | tail -n 15 | sed 's/^/        /'; done
fi
distinct=$(printf '%s\n' $runners | sort -u | grep -c .)
if [ "$distinct" -ge 2 ]; then pass "jobs spread over $distinct runners"; else fail "all jobs ran on one runner: $runners"; fi

section "down"
docker rm -f "$project-web" "$project-private" "$project-probe" "$project-sso-probe" >/dev/null 2>&1
docker network disconnect "$internet" "$squid" >/dev/null 2>&1
docker network disconnect "$lan" "$squid" >/dev/null 2>&1
docker network rm "$internet" "$lan" >/dev/null 2>&1
"${dc[@]}" down >/dev/null 2>&1
check "containers left" 0 "$( (docker ps -aq --filter "label=com.docker.compose.project=$project"; \
  docker ps -aq --filter "label=io.herdctl.stack=$project") | sort -u | grep -c .)"
check "networks left" 0 "$(docker network ls -q --filter "name=$project-" | grep -c .)"
check "volumes created" "" "$(comm -13 <(echo "$volumes_before") <(docker volume ls -q | sort))"

echo
echo "compose e2e: $passed passed, $failed failed, in $(( $(date +%s) - t0 )) s"
[ "$failed" = 0 ]
