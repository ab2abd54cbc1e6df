function __mediactl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mediactl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mediactl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mediactl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mediactl_parse_tokens -S
    set -l unparsed_tokens (__mediactl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mediactl'
        __mediactl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'rtmp'
            __mediactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'push'
                __mediactl_parse_subcommand 2 'stream=' 'flash-ver=' 'chunk-size=' 'no-metadata' 'no-realtime' 'loop' 'duration=' 'reconnect=' 'reconnect-delay=' 'buffer=' 'bind=' 'timeout=' 'stats-interval=' 'ca-file=' 'insecure' 'json' 'q/quiet' 'version' 'h/help'
            case 'probe'
                __mediactl_parse_subcommand 1 'stream=' 'timeout=' 'duration=' 'bind=' 'require-video=' 'require-audio=' 'min-fps=' 'min-width=' 'min-height=' 'min-bitrate=' 'max-keyframe-interval=' 'ca-file=' 'insecure' 'json' 'q/quiet' 'version' 'h/help'
            end
        case 'help'
            __mediactl_parse_subcommand -r 1 'version'
        end
    end
end

function __mediactl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mediactl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mediactl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mediactl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mediactl_tokens -p)
    if test -z "$(__mediactl_tokens -t)"
        set -l index (count (__mediactl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mediactl' -f
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl" -eq 1' -fa 'rtmp' -d 'Publish to and probe RTMP/RTMPS servers.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl rtmp" -eq 1' -fa 'push' -d 'Publish an FLV file or stdin to an RTMP/RTMPS server.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl rtmp" -eq 1' -fa 'probe' -d 'Tell what an RTMP server and a stream are, fast, with a timeout.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" stream' -l 'stream' -d 'Stream name (otherwise the last path segment of the URL).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" flash-ver' -l 'flash-ver' -d 'flashVer sent in connect.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" chunk-size' -l 'chunk-size' -d 'Outgoing RTMP chunk size in bytes (128 to 16777215), announced before connect.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" no-metadata' -l 'no-metadata' -d 'Do not send @setDataFrame onMetaData.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" no-realtime' -l 'no-realtime' -d 'Send as fast as the server accepts instead of at the media\'s own pace.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" loop' -l 'loop' -d 'Repeat the file, with timestamps that keep increasing.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" duration' -l 'duration' -d 'Stop after this much media time.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" reconnect' -l 'reconnect' -d 'Reconnect up to this many times after the connection drops.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" reconnect-delay' -l 'reconnect-delay' -d 'First delay before reconnecting; doubles each attempt, at most 30 s.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" buffer' -l 'buffer' -d 'Most media time queued while the link is slower than the stream; past it, video frames are dropped (never audio or keyframes).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" bind' -l 'bind' -d 'Local address to connect from.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" timeout' -l 'timeout' -d 'Seconds to wait for connecting, for the server\'s answers and for a stalled write.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" stats-interval' -l 'stats-interval' -d 'Seconds between rtmp.stats events (0: none).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file instead of the system store.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" insecure' -l 'insecure' -d 'Do not verify the server\'s TLS certificate (rtmps://).'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" stream' -l 'stream' -d 'Stream name (otherwise the last path segment of the URL).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" timeout' -l 'timeout' -d 'Give up after this many seconds.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" duration' -l 'duration' -d 'Watch the stream this long to measure bitrate, frame rate and keyframe interval.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" bind' -l 'bind' -d 'Local address to connect from.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" require-video' -l 'require-video' -d 'Fail (status 3) unless the stream has video, of this codec if given (h264, hevc, av1, ...; \'any\').' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" require-audio' -l 'require-audio' -d 'Fail (status 3) unless the stream has audio, of this codec if given (aac, mp3, opus, ...; \'any\').' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" min-fps' -l 'min-fps' -d 'Fail (status 3) if the frame rate is lower.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" min-width' -l 'min-width' -d 'Fail (status 3) if the picture is narrower.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" min-height' -l 'min-height' -d 'Fail (status 3) if the picture is lower.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" min-bitrate' -l 'min-bitrate' -d 'Fail (status 3) if the measured bitrate is lower (needs --duration).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" max-keyframe-interval' -l 'max-keyframe-interval' -d 'Fail (status 3) if keyframes are further apart (needs --duration).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file instead of the system store.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" insecure' -l 'insecure' -d 'Do not verify the server\'s TLS certificate (rtmps://).'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp probe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl help" version' -l 'version' -d 'Show the version.'
