#!/usr/bin/env bash
# Regenerates man/ and completions/ from mediactl's command definitions (swift-argument-parser):
#   man/*.1         `swift package generate-manual --multi-page --date $MANUAL_DATE` (date pinned so the pages only
#                   change when the commands do); the plugin writes into .build/plugins/GenerateManual/outputs/
#                   and refuses an --output-directory of ours, so the pages are copied from there.
#   completions/    `mediactl --generate-completion-script bash|zsh|fish` -> mediactl.bash, _mediactl, mediactl.fish
# With --check nothing in the repository is written: the files are generated into a temp dir and compared with
# the committed ones, and the script fails when they differ (CI runs this through `make test`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MANUAL_DATE=2026-11-21
PRODUCT=mediactl

log() { printf 'generate-docs: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

check=0
case "${1:-}" in
"") ;;
--check) check=1 ;;
*) die "usage: scripts/generate-docs.sh [--check]" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/mediactl-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/man" "$work/completions"

build_log=$work/build.log
swift build --product "$PRODUCT" >"$build_log" 2>&1 || { tail -40 "$build_log" >&2; die "swift build failed"; }
bin=$(swift build --show-bin-path)/$PRODUCT
[[ -x $bin ]] || die "$bin was not built"

# Manual pages. Stale pages from an earlier run (a removed subcommand) must not survive: clear the plugin's output.
plugin_out=.build/plugins/GenerateManual/outputs/$PRODUCT
rm -rf "$plugin_out"
swift package plugin generate-manual --configuration debug --multi-page --date "$MANUAL_DATE" \
    >"$build_log" 2>&1 || { tail -40 "$build_log" >&2; die "swift package generate-manual failed"; }
reported=$(sed -n "s|^Generated manual in 'file://\(.*\)'\$|\1|p" "$build_log" | grep "/$PRODUCT/\?\$" | head -1 || true)
[[ -n $reported ]] && plugin_out=${reported%/}
compgen -G "$plugin_out/*.1" >/dev/null || die "generate-manual wrote no pages into $plugin_out"
cp "$plugin_out"/*.1 "$work/man/"

"$bin" --generate-completion-script bash >"$work/completions/$PRODUCT.bash"
"$bin" --generate-completion-script zsh >"$work/completions/_$PRODUCT"
"$bin" --generate-completion-script fish >"$work/completions/$PRODUCT.fish"

if ((check)); then
    # Dotfiles (.gitkeep) are not generated and not compared.
    if ! diff -r -x '.*' man "$work/man" >"$work/diff" 2>&1 ||
        ! diff -r -x '.*' completions "$work/completions" >>"$work/diff" 2>&1; then
        head -40 "$work/diff" >&2
        die "man/ or completions/ are out of date: run make docs"
    fi
    log "man/ and completions/ are up to date"
    exit 0
fi

mkdir -p man completions
rm -f man/*.1
cp "$work/man/"*.1 man/
rm -f "completions/$PRODUCT.bash" "completions/_$PRODUCT" "completions/$PRODUCT.fish"
cp "$work/completions/"* completions/
log "wrote $(ls man/*.1 | wc -l) pages to man/ and 3 scripts to completions/"
