# shellcheck shell=bash
# Headless Chromium + ChromeDriver for the browser tests. Source it, don't run it.
#
#   source scripts/lib/browser.sh
#   browser_ensure_installed  # apt-get install chromium chromium-driver if missing
#   browser_start             # chromedriver on a free loopback port
#   ...                       # VEZA_WEBDRIVER_URL, VEZA_CHROMIUM exported on success
#   browser_stop              # kill chromedriver (idempotent)
#
# Neither function fails the caller: when the browser is missing or broken a
# loud warning is printed and VEZA_WEBDRIVER_URL / VEZA_CHROMIUM are left
# unset, and the Rust browser tests must then skip with a clear message.
# Set VEZA_TEST_REQUIRE_BROWSER=1 to make that a hard failure instead.
#
# Variables exported by browser_start on success:
#   VEZA_WEBDRIVER_URL  http://127.0.0.1:PORT  (chromedriver, W3C WebDriver)
#   VEZA_CHROMIUM       /usr/bin/chromium      (pass as goog:chromeOptions.binary)
#
# --- For the Rust browser tests (fantoccini) --------------------------------
# This machine runs as root with a closed network. Start Chromium with
#   goog:chromeOptions = {
#     "binary": $VEZA_CHROMIUM,
#     "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
#              "--no-first-run", "--disable-background-networking",
#              "--disable-component-update", "--disable-sync",
#              "--disable-dev-shm-usage", "--window-size=1280,900",
#              "--user-data-dir=<fresh temp dir per session>"]
#   }
# --no-sandbox is required as root; without the --disable-background-networking
# / component-update / sync flags Chromium keeps trying (and failing) to reach
# Google's hosts. Same flags by hand:
#   chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
#     --disable-background-networking --disable-component-update --disable-sync \
#     --user-data-dir="$(mktemp -d)" --dump-dom about:blank
# Chromium's dbus "Failed to connect to the bus" errors on stderr are harmless.
# ----------------------------------------------------------------------------

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

VEZA_CHROMIUM_FLAGS=(
    --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --disable-dev-shm-usage
)

_browser_chromium_bin() {
    if [[ -x /usr/bin/chromium ]]; then
        printf '%s\n' /usr/bin/chromium
    else
        command -v chromium 2>/dev/null
    fi
}

_browser_fail() {
    if [[ ${VEZA_TEST_REQUIRE_BROWSER:-0} == 1 ]]; then
        veza_err "$1 (VEZA_TEST_REQUIRE_BROWSER=1)"
        return 1
    fi
    veza_warn "$1" \
        "Browser tests will be SKIPPED: VEZA_WEBDRIVER_URL / VEZA_CHROMIUM are not set."
    return 0
}

browser_ensure_installed() {
    local missing=()
    _browser_chromium_bin >/dev/null || missing+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    if ((${#missing[@]} == 0)); then
        veza_info "chromium: $(_browser_chromium_bin)"
        return 0
    fi
    veza_info "missing: ${missing[*]}"
    if ! veza_apt_install "${missing[@]}"; then
        _browser_fail "could not install ${missing[*]}"
        return
    fi
}

browser_start() {
    unset VEZA_WEBDRIVER_URL VEZA_CHROMIUM
    if [[ -n ${VEZA_CHROMEDRIVER_PID:-} ]]; then
        browser_stop
    fi
    local chromium
    chromium=$(_browser_chromium_bin) || {
        _browser_fail "chromium is not installed"
        return
    }
    command -v chromedriver >/dev/null 2>&1 || {
        _browser_fail "chromedriver is not installed (Debian package chromium-driver)"
        return
    }
    command -v curl >/dev/null 2>&1 || {
        _browser_fail "curl is not installed (needed to probe chromedriver)"
        return
    }

    VEZA_BROWSER_DIR=$(mktemp -d /tmp/veza-browser.XXXXXX) || return 1

    # Smoke test: can Chromium render a page at all?
    if ! timeout 60 "$chromium" "${VEZA_CHROMIUM_FLAGS[@]}" \
        --user-data-dir="$VEZA_BROWSER_DIR/smoke-profile" --dump-dom about:blank \
        >"$VEZA_BROWSER_DIR/smoke.out" 2>"$VEZA_BROWSER_DIR/smoke.err" ||
        ! grep -q '<body' "$VEZA_BROWSER_DIR/smoke.out"; then
        tail -n 20 "$VEZA_BROWSER_DIR/smoke.err" >&2 || true
        _browser_fail "headless chromium ($chromium) failed to render about:blank"
        local rc=$?
        browser_stop
        return "$rc"
    fi
    rm -rf "$VEZA_BROWSER_DIR/smoke-profile"

    local port
    port=$(veza_free_port "${VEZA_CHROMEDRIVER_PORT_BASE:-59515}") || {
        _browser_fail "no free port for chromedriver"
        return
    }
    chromedriver --port="$port" --allowed-ips=127.0.0.1 \
        >"$VEZA_BROWSER_DIR/chromedriver.log" 2>&1 </dev/null &
    VEZA_CHROMEDRIVER_PID=$!

    local i ready=""
    for ((i = 0; i < 100; i++)); do
        if curl -s --max-time 2 "http://127.0.0.1:$port/status" 2>/dev/null |
            grep -Eq '"ready": ?true'; then
            ready=1
            break
        fi
        if ! kill -0 "$VEZA_CHROMEDRIVER_PID" 2>/dev/null; then
            break
        fi
        sleep 0.2
    done
    if [[ -z $ready ]]; then
        tail -n 20 "$VEZA_BROWSER_DIR/chromedriver.log" >&2 || true
        _browser_fail "chromedriver did not answer on http://127.0.0.1:$port/status"
        local rc=$?
        browser_stop
        return "$rc"
    fi

    export VEZA_WEBDRIVER_URL="http://127.0.0.1:$port"
    export VEZA_CHROMIUM=$chromium
    veza_info "$("$chromium" --version 2>/dev/null | head -n 1), $(chromedriver --version | awk '{print $1, $2}')"
    veza_info "VEZA_WEBDRIVER_URL=$VEZA_WEBDRIVER_URL (pid $VEZA_CHROMEDRIVER_PID)"
    veza_info "VEZA_CHROMIUM=$VEZA_CHROMIUM"
}

# Kill chromedriver (and the browsers it still runs) and delete the temp dir.
browser_stop() {
    local pid=${VEZA_CHROMEDRIVER_PID:-}
    if [[ -n $pid ]]; then
        # Browsers started by chromedriver are its children.
        pkill -TERM -P "$pid" 2>/dev/null || true
        kill -TERM "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 25; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    if [[ -n ${VEZA_BROWSER_DIR:-} ]]; then
        rm -rf "$VEZA_BROWSER_DIR"
    fi
    unset VEZA_CHROMEDRIVER_PID VEZA_BROWSER_DIR VEZA_WEBDRIVER_URL VEZA_CHROMIUM
}
