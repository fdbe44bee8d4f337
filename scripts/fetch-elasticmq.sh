#!/usr/bin/env bash
# Puts ElasticMQ (an SQS-compatible server, from Maven Central) and its runtime dependencies into
# test/sqs/.cache/elasticmq-<hash>/lib, for the tests and benches that need a real SQS queue
# (test/helpers/sqs.ts starts it with `java -cp 'lib/*' org.elasticmq.server.Main`).
# The hash covers the pom and this script, so a version change fetches again; with the jars there
# it only checks that they are. A lock makes parallel test files wait for one fetch.
# Prints the lib folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pom="$root/test/sqs/pom.xml"
cache="$root/test/sqs/.cache"
mkdir -p "$cache"
hash="$(cat "$pom" "$0" | sha256sum | cut -c1-12)"
dest="$cache/elasticmq-$hash"
if [[ -f "$dest/.complete" ]]; then echo "$dest/lib"; exit 0; fi
exec 9>"$cache/.lock"
flock 9
if [[ -f "$dest/.complete" ]]; then echo "$dest/lib"; exit 0; fi
command -v java >/dev/null || { echo "fetch-elasticmq: java (17 or later) is not on PATH" >&2; exit 1; }
command -v mvn >/dev/null || { echo "fetch-elasticmq: mvn is not on PATH (it fetches ElasticMQ from Maven Central)" >&2; exit 1; }
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dest.tmp/lib" >&2
ls "$dest.tmp/lib"/elasticmq-server_2.13-*.jar >/dev/null
rm -rf "$dest"
mv "$dest.tmp" "$dest"
touch "$dest/.complete"
echo "$dest/lib"
