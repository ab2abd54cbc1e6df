# shellcheck shell=bash
# Shared by scripts/demo.sh and scripts/bench-rtmp-push.sh (sourced, not run): a private nginx RTMP server on
# 127.0.0.1 and ffmpeg-made test clips. Every wait is bounded; everything lives in one temp directory.
#
# After `peer_start_nginx [record]` (record: all | off):
#   PEER_DIR          temp directory (config, logs, rec/ recordings)
#   PEER_RTMP_PORT    RTMP port;  PEER_HTTP_PORT  HTTP port with /stat and /control
#   PEER_NGINX_PID    the nginx process (daemon off; master_process off)
# Call peer_cleanup from the caller's EXIT trap.

PEER_NGINX=${PEER_NGINX:-/usr/sbin/nginx}
PEER_RTMP_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so
PEER_DIR=""
PEER_NGINX_PID=""
PEER_RTMP_PORT=""
PEER_HTTP_PORT=""

peer_log() { printf '%s: %s\n' "${PEER_LOG_NAME:-${0##*/}}" "$*" >&2; }
peer_die() { peer_log "error: $*"; exit 1; }

peer_require() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || peer_die "'$tool' is missing: run scripts/install-deps.sh"
    done
    [[ -x $PEER_NGINX && -f $PEER_RTMP_MODULE ]] ||
        peer_die "nginx with the RTMP module is missing: run scripts/install-deps.sh --runtime"
}

# A TCP port on 127.0.0.1 that nothing listens on (the kernel picks one when python3 is there).
peer_free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local port _
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    return 1
}

# peer_wait_port PORT SECONDS: true once 127.0.0.1:PORT accepts TCP; polls every 50 ms.
peer_wait_port() {
    local port=$1 deadline=$((SECONDS + $2))
    while ((SECONDS <= deadline)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        [[ -n $PEER_NGINX_PID ]] && ! kill -0 "$PEER_NGINX_PID" 2>/dev/null && return 1
        sleep 0.05
    done
    return 1
}

peer_write_nginx_conf() {
    local record=$1
    local record_lines="record off;"
    if [[ $record == all ]]; then
        record_lines="record all; record_path $PEER_DIR/rec; record_unique off;"
    fi
    cat >"$PEER_DIR/nginx.conf" <<EOF
load_module $PEER_RTMP_MODULE;
daemon off;
master_process off;
error_log $PEER_DIR/error.log info;
pid $PEER_DIR/nginx.pid;
events { worker_connections 256; }
rtmp {
    server {
        listen 127.0.0.1:$PEER_RTMP_PORT;
        chunk_size 4096;
        application live {
            live on;
            $record_lines
        }
    }
}
http {
    access_log $PEER_DIR/access.log;
    client_body_temp_path $PEER_DIR/tmp/body;
    proxy_temp_path $PEER_DIR/tmp/proxy;
    fastcgi_temp_path $PEER_DIR/tmp/fastcgi;
    uwsgi_temp_path $PEER_DIR/tmp/uwsgi;
    scgi_temp_path $PEER_DIR/tmp/scgi;
    server {
        listen 127.0.0.1:$PEER_HTTP_PORT;
        location /stat { rtmp_stat all; }
        location /control { rtmp_control all; }
    }
}
EOF
}

# peer_start_nginx [all|off]: starts the private server; retries with new ports if one was taken meanwhile.
peer_start_nginx() {
    local record=${1:-all} attempt
    if [[ -z $PEER_DIR ]]; then
        PEER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mediactl-peer.XXXXXX")
        mkdir -p "$PEER_DIR/rec" "$PEER_DIR/tmp"
    fi
    for attempt in 1 2 3; do
        PEER_RTMP_PORT=$(peer_free_port) || peer_die "no free port on 127.0.0.1"
        PEER_HTTP_PORT=$(peer_free_port) || peer_die "no free port on 127.0.0.1"
        [[ $PEER_RTMP_PORT != "$PEER_HTTP_PORT" ]] || continue
        peer_write_nginx_conf "$record"
        "$PEER_NGINX" -c "$PEER_DIR/nginx.conf" -p "$PEER_DIR/" -e "$PEER_DIR/error.log" \
            </dev/null >"$PEER_DIR/nginx.out" 2>&1 &
        PEER_NGINX_PID=$!
        if peer_wait_port "$PEER_RTMP_PORT" 10 && peer_wait_port "$PEER_HTTP_PORT" 10; then
            return 0
        fi
        peer_stop_nginx
        if grep -q 'Address already in use' "$PEER_DIR/nginx.out" "$PEER_DIR/error.log" 2>/dev/null; then
            peer_log "port taken, retrying ($attempt)"
            continue
        fi
        cat "$PEER_DIR/nginx.out" "$PEER_DIR/error.log" >&2 2>/dev/null || true
        peer_die "nginx did not start"
    done
    peer_die "nginx could not bind a free port"
}

peer_stop_nginx() {
    [[ -n $PEER_NGINX_PID ]] || return 0
    local pid=$PEER_NGINX_PID _
    PEER_NGINX_PID=""
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do  # 5 s
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

peer_cleanup() {
    peer_stop_nginx
    if [[ -n $PEER_DIR && -z ${PEER_KEEP:-} ]]; then
        rm -rf "$PEER_DIR"
    elif [[ -n $PEER_DIR ]]; then
        peer_log "kept $PEER_DIR"
    fi
}

peer_url() { echo "rtmp://127.0.0.1:$PEER_RTMP_PORT/live/$1"; }
peer_recording() { echo "$PEER_DIR/rec/$1.flv"; }
peer_stat() { curl -fsS --max-time 5 "http://127.0.0.1:$PEER_HTTP_PORT/stat" 2>/dev/null || python3 -c "
import sys, urllib.request
print(urllib.request.urlopen('http://127.0.0.1:$PEER_HTTP_PORT/stat', timeout=5).read().decode())"; }

# peer_make_clip OUT SECONDS SIZE FPS [VIDEO_BITRATE] [PRESET]: an FLV with testsrc2 H.264 (keyframe every 2 s)
# and a 1 kHz sine in AAC 44.1 kHz; written to OUT.tmp then renamed, so an interrupted run leaves no clip.
peer_make_clip() {
    local out=$1 seconds=$2 size=$3 fps=$4 bitrate=${5:-} preset=${6:-veryfast}
    local rate=()
    [[ -n $bitrate ]] && rate=(-b:v "$bitrate" -maxrate "$bitrate" -bufsize "$((${bitrate%M} * 2))M")
    ffmpeg -hide_banner -loglevel error -nostdin -y \
        -f lavfi -i "testsrc2=size=$size:rate=$fps" \
        -f lavfi -i "sine=frequency=1000:sample_rate=44100" \
        -t "$seconds" -c:v libx264 -preset "$preset" -pix_fmt yuv420p -g "$((fps * 2))" "${rate[@]}" \
        -c:a aac -b:a 128k -f flv "$out.tmp" || peer_die "ffmpeg could not make $out"
    mv "$out.tmp" "$out"
}

# peer_packets FILE: one line per packet, "stream,dts,pts,size,md5", grouped by stream in file order. What a
# publisher controls; ignores packet durations (the demuxer derives them) and side data (nginx's recordings
# repeat the AAC sequence header, which shows as new-extradata side data). -copyts keeps FLV's own timestamps.
peer_packets() {
    ffmpeg -hide_banner -loglevel error -nostdin -copyts -i "$1" -map 0 -c copy -f framemd5 - |
        awk -F', *' '!/^#/ { gsub(/ /, ""); print $1 "," $2 "," $3 "," $5 "," $6 }' | sort -s -t, -k1,1n
}
