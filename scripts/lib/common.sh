# shellcheck shell=bash
# Shared helpers for the scripts under scripts/. Source it, don't run it.
#
# Provides:
#   veza_log MSG...          "==> MSG" section header on stdout
#   veza_info MSG...         indented detail line on stdout
#   veza_warn MSG...         LOUD multi-line warning on stderr
#   veza_err MSG...          error line on stderr
#   veza_apt_install PKG...  apt-get install (apt-get update -qq once per shell)
#   veza_free_port [START]   print a free TCP port on 127.0.0.1, START or above
#   veza_fmt_secs SECONDS    "1m23s" / "4s"

if [[ -n ${VEZA_COMMON_SH_LOADED:-} ]]; then
    return 0
fi
VEZA_COMMON_SH_LOADED=1

veza_log() {
    printf '\n==> %s\n' "$*"
}

veza_info() {
    printf '    %s\n' "$*"
}

veza_err() {
    printf 'error: %s\n' "$*" >&2
}

veza_warn() {
    {
        printf '\n'
        printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
        printf '!!! WARNING: %s\n' "$@"
        printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
        printf '\n'
    } >&2
}

veza_fmt_secs() {
    local s=$1
    if ((s >= 60)); then
        printf '%dm%02ds' $((s / 60)) $((s % 60))
    else
        printf '%ds' "$s"
    fi
}

# apt-get install, with one `apt-get update -qq` per shell. Output goes to a
# log file whose tail is shown on failure. Returns apt-get's status.
veza_apt_install() {
    local sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            veza_err "not root and no sudo: cannot apt-get install $*"
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        veza_err "apt-get not found: install $* by hand"
        return 1
    fi
    local log
    log=$(mktemp /tmp/veza-apt.XXXXXX)
    if [[ -z ${VEZA_APT_UPDATED:-} ]]; then
        veza_info "apt-get update"
        if ! "${sudo[@]}" apt-get update -qq >"$log" 2>&1; then
            tail -n 20 "$log" >&2
            rm -f "$log"
            return 1
        fi
        VEZA_APT_UPDATED=1
    fi
    veza_info "apt-get install $*"
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "$@" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

# Is TCP port $1 on 127.0.0.1 free to bind?
_veza_port_free() {
    local port=$1
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$port" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
    else
        # Nobody answers a connect => treat as free.
        ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

# Print the first free loopback port in [START, START+200).
veza_free_port() {
    local start=${1:-55432} port
    for ((port = start; port < start + 200 && port < 65536; port++)); do
        if _veza_port_free "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    veza_err "no free TCP port on 127.0.0.1 in [$start, $((start + 200)))"
    return 1
}
