#!/bin/bash
# Runs RabbitMQ in the foreground as the rabbitmq user. The user from RABBITMQ_DEFAULT_USER/PASS is created on the
# node's first start (as the official image does); it may log in from other hosts.
set -euo pipefail
cat >/etc/rabbitmq/rabbitmq.conf <<CONF
default_user = ${RABBITMQ_DEFAULT_USER:-guest}
default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}
loopback_users = none
log.console = true
log.file = false
CONF
chown rabbitmq:rabbitmq /var/lib/rabbitmq
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups env HOME=/var/lib/rabbitmq \
  /usr/lib/rabbitmq/bin/rabbitmq-server
