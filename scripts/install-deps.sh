#!/usr/bin/env bash
# Installs what mediactl needs on Debian 12 from Debian's packages (Swift itself is expected at /opt/swift).
#   --runtime   `make demo`: nginx + its RTMP module, ffmpeg, and the libav* headers Remux compiles against (mediactl opens libav with dlopen)
#   --test      (default) everything above plus what the tests and the benchmark use: nginx's stream module
#               (RTMPS front), openssl (test certificates), python3 websockets (RTMS test peers), GNU time
#               (/usr/bin/time for the benchmark), procps, and Zoom's own RTMS SDK (PyPI `rtms`, pinned) in a
#               virtual environment at .build/peers/zoom-rtms (the emulator's test against a real SDK)
# Idempotent: dpkg is asked first, and `apt-get update` runs only when something is missing, so a second run
# installs nothing and takes a fraction of a second. Runs as root, or through `sudo -n` when that works.
set -euo pipefail

log() { printf 'install-deps: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mode=test
case "${1:-}" in
"" | --test) mode=test ;;
--runtime) mode=runtime ;;
-h | --help)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*) die "unknown option '$1' (use --runtime or --test)" ;;
esac

runtime_packages=(
    nginx libnginx-mod-rtmp ffmpeg pkg-config
    libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev
)
test_packages=(libnginx-mod-stream openssl python3-websockets python3-venv time procps)

packages=("${runtime_packages[@]}")
[[ $mode == test ]] && packages+=("${test_packages[@]}")

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]; }

command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 ||
    die "this script needs Debian's apt and dpkg (Debian 12 expected)"

missing=()
for package in "${packages[@]}"; do
    installed "$package" || missing+=("$package")
done

as_root=()
if ((${#missing[@]} > 0)) || [[ $mode == test ]]; then
    if [[ $(id -u) != 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        elif ((${#missing[@]} > 0)); then
            die "missing ${missing[*]}; run this script as root (or with passwordless sudo)"
        fi
    fi
fi

if ((${#missing[@]} > 0)); then
    started=$SECONDS
    log "installing ${missing[*]}"
    apt_log=$(mktemp "${TMPDIR:-/tmp}/install-deps.XXXXXX")
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    cleanup() {
        ((made_policy)) && "${as_root[@]}" rm -f "$policy"
        rm -f "$apt_log"
    }
    trap cleanup EXIT
    # Installing nginx must not start the system's nginx service on port 80: deny service starts meanwhile
    # (the standard policy-rc.d switch), unless the machine already has a policy of its own.
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
        "${as_root[@]}" chmod 755 "$policy"
        made_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! "${as_root[@]}" apt-get -qq -o Dpkg::Use-Pty=0 update >"$apt_log" 2>&1; then
        tail -20 "$apt_log" >&2
        die "apt-get update failed"
    fi
    if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 install -y \
        --no-install-recommends "${missing[@]}" >"$apt_log" 2>&1; then
        tail -30 "$apt_log" >&2
        die "apt-get install ${missing[*]} failed"
    fi
    for package in "${missing[@]}"; do
        installed "$package" || die "$package is still not installed"
    done
    log "installed ${#missing[@]} package(s) in $((SECONDS - started)) s"
fi

# What the packages must have put in place.
[[ -x /usr/sbin/nginx ]] || die "/usr/sbin/nginx is missing"
[[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ]] || die "nginx's RTMP module is missing"
command -v ffmpeg >/dev/null 2>&1 || die "ffmpeg is missing"
pkg-config --exists libavformat libavcodec libavutil libswresample libswscale ||
    die "pkg-config does not find the libav* development files"

if [[ $mode == test ]]; then
    [[ -f /usr/lib/nginx/modules/ngx_stream_module.so ]] || die "nginx's stream module is missing"
    [[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is missing"
    # python3-websockets serves Debian's /usr/bin/python3. The python3 first in PATH may be another one (pyenv):
    # when it cannot import websockets, install it there from PyPI.
    if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import websockets' 2>/dev/null; then
        py=$(command -v python3)
        log "installing websockets for $py from PyPI"
        pip_flags=(-q --disable-pip-version-check --no-input --root-user-action=ignore)
        # Debian's own python refuses pip without this (PEP 668); a pyenv python does not need it.
        python3 -m pip install --help 2>/dev/null | grep -q -- --break-system-packages &&
            [[ $py == /usr/bin/python3 ]] && pip_flags+=(--break-system-packages)
        pip_cmd=(python3 -m pip install "${pip_flags[@]}" websockets)
        [[ -w $(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') ]] ||
            pip_cmd=("${as_root[@]}" "${pip_cmd[@]}")
        "${pip_cmd[@]}" >&2 || die "pip could not install websockets for $py"
        python3 -c 'import websockets' 2>/dev/null || die "python3 ($py) still cannot import websockets"
    fi

    # Zoom's RTMS SDK for Python (bindings around Zoom's C SDK, a manylinux wheel) in a virtual environment of
    # its own, so the system's python stays as it is. Only when that environment cannot import it yet.
    sdk_venv=$(cd "$(dirname "$0")/.." && pwd)/.build/peers/zoom-rtms
    sdk_version=1.1.0
    if ! "$sdk_venv/bin/python" -c 'import rtms' 2>/dev/null; then
        log "installing Zoom's RTMS SDK (PyPI rtms==$sdk_version) into $sdk_venv"
        rm -rf "$sdk_venv"
        mkdir -p "$(dirname "$sdk_venv")"
        python3 -m venv "$sdk_venv" >&2 || die "python3 -m venv $sdk_venv failed (python3-venv missing?)"
        "$sdk_venv/bin/python" -m pip install -q --disable-pip-version-check --no-input "rtms==$sdk_version" >&2 ||
            die "pip could not install rtms==$sdk_version into $sdk_venv"
        "$sdk_venv/bin/python" -c 'import rtms' || die "$sdk_venv cannot import rtms"
    fi
fi
