# Shared by the load scripts (sourced): the release binary and a started server's address.

# release_binary: sets BIN to the release build of trendmix unless --bin gave one.
release_binary() {
    if [ -z "$BIN" ]; then
        swift build -c release --product trendmix >/dev/null
        BIN="$(swift build -c release --show-bin-path)/trendmix"
    fi
}

# wait_for_server OUT ERR: waits up to 20 s for `serve` to print "listening on" to OUT, sets BASE to its URL, or
# prints ERR and exits 1.
wait_for_server() {
    for _ in $(seq 200); do grep -q "listening on" "$1" 2>/dev/null && break; sleep 0.1; done
    BASE="$(awk '/listening on/ {print $3}' "$1")"
    [ -n "$BASE" ] || { echo "the server did not start:"; cat "$2"; exit 1; }
}
