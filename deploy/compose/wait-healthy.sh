#!/usr/bin/env bash
# Waits until every container of the Compose project is healthy (or, for one-shot containers, exited 0),
# then prints how long the stack took to come up. Works with docker compose v2 and docker-compose 1.29
# (which has no `up --wait`).
#
#   deploy/compose/wait-healthy.sh [start-epoch-seconds] [timeout-seconds]
# The project is COMPOSE_PROJECT_NAME, else the compose directory's name ("compose").
set -euo pipefail
start="${1:-$(date +%s)}"
timeout="${2:-300}"
project="${COMPOSE_PROJECT_NAME:-compose}"
deadline=$(( $(date +%s) + timeout ))
while :; do
  pending=()
  failed=()
  ids=$(docker ps -aq --filter "label=com.docker.compose.project=$project")
  [ -n "$ids" ] || { echo "no container of Compose project '$project' (is COMPOSE_PROJECT_NAME right?)" >&2; exit 1; }
  while read -r name state health code; do
    case "$state/$health" in
      running/healthy|running/none) ;;
      exited/*) [ "$code" = 0 ] || failed+=("$name exited $code") ;;
      running/unhealthy) failed+=("$name unhealthy") ;;
      *) pending+=("$name:$state/$health") ;;
    esac
  done < <(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' $ids \
           | sed 's#^/##')
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "stack not healthy: ${failed[*]} (see: docker logs <name>)" >&2
    exit 1
  fi
  if [ "${#pending[@]}" -eq 0 ]; then
    echo "stack healthy in $(( $(date +%s) - start )) s"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "stack not healthy after ${timeout} s; waiting for: ${pending[*]}" >&2
    exit 1
  fi
  sleep 2
done
