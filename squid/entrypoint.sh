#!/bin/sh
# Starts Squid in the foreground with the whitelist configuration, as the unprivileged 'proxy' user
# (the container runs as that user, with no capabilities). The log directory is shared with
# audit-service, which follows access.jsonl and turns refusals into alerts.
set -eu
if ! touch /var/log/herdctl-proxy/access.jsonl 2>/dev/null; then
  echo "herdctl-squid: cannot write /var/log/herdctl-proxy/access.jsonl as uid $(id -u); the log directory must be" \
    "writable by it (the Compose stack's init service prepares it)" >&2
  exit 1
fi
if ! squid -k parse -f /etc/squid/squid.conf >/tmp/squid-parse.log 2>&1 || grep -qE 'FATAL|ERROR' /tmp/squid-parse.log; then
  echo "herdctl-squid: the configuration does not parse:" >&2
  grep -E 'FATAL|ERROR|WARNING' /tmp/squid-parse.log >&2 || cat /tmp/squid-parse.log >&2
  exit 1
fi
exec squid -N -f /etc/squid/squid.conf
