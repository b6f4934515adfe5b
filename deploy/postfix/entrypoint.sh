#!/bin/sh
# Fill in main.cf from the environment, make sure there is a certificate, run Postfix.
set -eu
: "${MAIL_HOSTNAME:?set MAIL_HOSTNAME, e.g. mail.therapy.example.org}"
: "${RELAY_DOMAINS:?set RELAY_DOMAINS, e.g. therapy.example.org (comma-separated)}"
RELAY_NEXTHOP="${RELAY_NEXTHOP:-[smtpd]:2525}"

sed -e "s|@MAIL_HOSTNAME@|${MAIL_HOSTNAME}|g" \
    -e "s|@RELAY_DOMAINS@|${RELAY_DOMAINS}|g" \
    -e "s|@RELAY_NEXTHOP@|${RELAY_NEXTHOP}|g" \
    /etc/postfix/main.cf.in > /etc/postfix/main.cf
echo "${MAIL_HOSTNAME}" > /etc/mailname

if [ ! -s /etc/postfix/tls/fullchain.pem ] || [ ! -s /etc/postfix/tls/privkey.pem ]; then
    echo "no certificate in /etc/postfix/tls: making a self-signed one for ${MAIL_HOSTNAME}" >&2
    mkdir -p /etc/postfix/tls
    openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=${MAIL_HOSTNAME}" \
        -keyout /etc/postfix/tls/privkey.pem -out /etc/postfix/tls/fullchain.pem 2>/dev/null
    chmod 600 /etc/postfix/tls/privkey.pem
fi

postfix check
exec postfix start-fg
