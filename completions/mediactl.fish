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
                __mediactl_parse_subcommand 2 'stream=' 'no-realtime' 'loop' 'duration=' 'flash-ver=' 'chunk-size=' 'no-metadata' 'reconnect=' 'reconnect-delay=' 'buffer=' 'bind=' 'timeout=' 'stats-interval=' 'ca-file=' 'insecure' 'json' 'q/quiet' 'version' 'h/help'
            case 'probe'
                __mediactl_parse_subcommand 1 'stream=' 'timeout=' 'duration=' 'bind=' 'require-video=' 'require-audio=' 'min-fps=' 'min-width=' 'min-height=' 'min-bitrate=' 'max-keyframe-interval=' 'ca-file=' 'insecure' 'json' 'q/quiet' 'version' 'h/help'
            end
        case 'rtms'
            __mediactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'listen'
                __mediactl_parse_subcommand 0 'webhook=' 'payload=' 'meeting-uuid=' 'session-id=' 'engagement-id=' 'stream-id=' 'server-url=+' 'client-id-file=' 'client-secret-file=' 'webhook-secret-file=' 'media=' 'connection=' 'audio-codec=' 'audio-sample-rate=' 'audio-channels=' 'audio-data=' 'audio-send-rate=' 'video-codec=' 'video-resolution=' 'video-fps=' 'video-data=' 'deskshare-codec=' 'deskshare-resolution=' 'deskshare-fps=' 'transcript-language=' 'language-detection=' 'events=' 'video-user=' 'no-buffer-data' 'close-stream' 'record=' 'emit-media' 'keepalive-timeout=' 'max-reconnects=' 'push=' 'push-video=' 'push-user=' 'flash-ver=' 'chunk-size=' 'no-metadata' 'reconnect=' 'reconnect-delay=' 'buffer=' 'bind=' 'timeout=' 'stats-interval=' 'ca-file=' 'insecure' 'json' 'q/quiet' 'version' 'h/help'
            case 'replay'
                __mediactl_parse_subcommand 1 'stream=' 'json' 'q/quiet' 'emit-media' 'types=' 'user=' 'realtime' 'speed=' 'flv=' 'push=' 'video=' 'x264-preset=' 'video-bitrate=' 'audio-bitrate=' 'audio-threads=' 'flash-ver=' 'chunk-size=' 'no-metadata' 'reconnect=' 'reconnect-delay=' 'buffer=' 'bind=' 'timeout=' 'stats-interval=' 'serve=' 'keepalive-interval=' 'reconnect-wait=' 'tls-cert=' 'tls-key=' 'webhook-url=' 'loop' 'fault=+' 'sessions=' 'max-seconds=' 'any-signature' 'ca-file=' 'insecure' 'version' 'h/help'
            end
        case 'transponder'
            __mediactl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'ls'
                __mediactl_parse_subcommand 0 'stream=' 'url=' 'json' 'q/quiet' 'version' 'h/help'
            case 'stop'
                __mediactl_parse_subcommand 1 'json' 'q/quiet' 'version' 'h/help'
            case 'mute'
                __mediactl_parse_subcommand 1 'json' 'q/quiet' 'version' 'h/help'
            case 'unmute'
                __mediactl_parse_subcommand 1 'json' 'q/quiet' 'version' 'h/help'
            case 'sound'
                __mediactl_parse_subcommand 2 'loop' 'json' 'q/quiet' 'version' 'h/help'
            case 'sound-off'
                __mediactl_parse_subcommand 1 'json' 'q/quiet' 'version' 'h/help'
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
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl" -eq 1' -fa 'rtms' -d 'Zoom Realtime Media Streams (RTMS): receive and record streams, replay recordings, emulate a server.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl" -eq 1' -fa 'transponder' -d 'List, stop, mute and mix sound into running RTMP republishers (transponders), with no daemon.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl rtmp" -eq 1' -fa 'push' -d 'Publish an FLV file or stdin to an RTMP/RTMPS server.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl rtmp" -eq 1' -fa 'probe' -d 'Tell what an RTMP server and a stream are, fast, with a timeout.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" stream' -l 'stream' -d 'Stream name (otherwise the last path segment of the URL).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" no-realtime' -l 'no-realtime' -d 'Send as fast as the server accepts instead of at the media\'s own pace.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" loop' -l 'loop' -d 'Repeat the file, with timestamps that keep increasing.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" duration' -l 'duration' -d 'Stop after this much media time.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" flash-ver' -l 'flash-ver' -d 'flashVer sent in connect.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" chunk-size' -l 'chunk-size' -d 'Outgoing RTMP chunk size in bytes (128 to 16777215), announced before connect.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtmp push" no-metadata' -l 'no-metadata' -d 'Do not send @setDataFrame onMetaData.'
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
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl rtms" -eq 1' -fa 'listen' -d 'Join RTMS streams from Zoom webhooks (or one given stream), record them losslessly and print their events.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl rtms" -eq 1' -fa 'replay' -d 'Replay a recorded RTMS session: as events, as FLV, live to an RTMP server, or as an emulated RTMS server.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" webhook' -l 'webhook' -d 'Serve Zoom webhooks here and join every stream they announce.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" payload' -l 'payload' -d 'Join the stream of this *.rtms_started webhook body (or bare payload), - for stdin.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" meeting-uuid' -l 'meeting-uuid' -d 'Join a meeting\'s or webinar\'s stream.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" session-id' -l 'session-id' -d 'Join a Video SDK session\'s stream.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" engagement-id' -l 'engagement-id' -d 'Join a Contact Center engagement\'s stream.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" stream-id' -l 'stream-id' -d 'rtms_stream_id of the stream to join.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen"' -l 'server-url' -d 'Signaling URL (server_urls); repeat or separate with commas.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" client-id-file' -l 'client-id-file' -d 'Read the client id from this file instead of ZM_RTMS_CLIENT.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" client-secret-file' -l 'client-secret-file' -d 'Read the client secret from this file instead of ZM_RTMS_SECRET.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" webhook-secret-file' -l 'webhook-secret-file' -d 'Read the webhook secret token from this file instead of ZM_RTMS_WEBHOOK_SECRET.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" media' -l 'media' -d 'Media to ask for: audio,video,deskshare,transcript,chat or all.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" connection' -l 'connection' -d 'Media connections: auto (one all connection when everything is wanted and offered), all, per-type.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" audio-codec' -l 'audio-codec' -d 'l16, g711, g722 or opus.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" audio-sample-rate' -l 'audio-sample-rate' -d '8000, 16000, 32000 or 48000.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" audio-channels' -l 'audio-channels' -d '1 (mono) or 2 (stereo, Opus only).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" audio-data' -l 'audio-data' -d 'mixed, or per-participant (one stream per speaker).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" audio-send-rate' -l 'audio-send-rate' -d 'Milliseconds of audio per message: a multiple of 20 up to 1000.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" video-codec' -l 'video-codec' -d 'jpg, png (up to 5 fps) or h264.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" video-resolution' -l 'video-resolution' -d 'sd, hd, fhd or qhd.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" video-fps' -l 'video-fps' -d 'Frames per second, 1 to 30.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" video-data' -l 'video-data' -d 'active-speaker, individual (with --video-user) or gallery.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" deskshare-codec' -l 'deskshare-codec' -d 'jpg, png (up to 1 fps) or h264.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" deskshare-resolution' -l 'deskshare-resolution' -d 'sd, hd, fhd or qhd.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" deskshare-fps' -l 'deskshare-fps' -d 'Frames per second, 1 to 30.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" transcript-language' -l 'transcript-language' -d 'Source language: a name (english, german, ...) or its number.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" language-detection' -l 'language-detection' -d 'Let the server detect the transcript language (true/false).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" events' -l 'events' -d 'Events to subscribe to: names (active_speaker_change, participant_join, ...) or numbers, or none.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" video-user' -l 'video-user' -d 'Subscribe to this participant\'s own video (needs --video-data individual).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" no-buffer-data' -l 'no-buffer-data' -d 'Drop the audio captured before the signaling connection was up (buffer_data false).'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" close-stream' -l 'close-stream' -d 'On SIGINT/SIGTERM, ask the server to end the stream itself before leaving.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" record' -l 'record' -d 'Record every message of every stream below this directory.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" emit-media' -l 'emit-media' -d 'Include media payloads (base64 "data") in the JSON events.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" keepalive-timeout' -l 'keepalive-timeout' -d 'Reconnect when no keep-alive came for this long.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" max-reconnects' -l 'max-reconnects' -d 'Reconnections in a row, without media coming back, before giving up.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" push' -l 'push' -d 'Publish every stream live to this rtmp:// or rtmps:// URL ({stream} and {meeting} are replaced).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" push-video' -l 'push-video' -d 'Which video --push publishes: camera or share.' -rfka 'camera share'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" push-user' -l 'push-user' -d '--push only this participant\'s audio (default: everyone\'s).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" flash-ver' -l 'flash-ver' -d 'flashVer sent in connect.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" chunk-size' -l 'chunk-size' -d 'Outgoing RTMP chunk size in bytes (128 to 16777215), announced before connect.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" no-metadata' -l 'no-metadata' -d 'Do not send @setDataFrame onMetaData.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" reconnect' -l 'reconnect' -d 'Reconnect up to this many times after the connection drops.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" reconnect-delay' -l 'reconnect-delay' -d 'First delay before reconnecting; doubles each attempt, at most 30 s.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" buffer' -l 'buffer' -d 'Most media time queued while the link is slower than the stream; past it, video frames are dropped (never audio or keyframes).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" bind' -l 'bind' -d 'Local address to connect from.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" timeout' -l 'timeout' -d 'Seconds to wait for connecting, for the server\'s answers and for a stalled write.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" stats-interval' -l 'stats-interval' -d 'Seconds between rtmp.stats events (0: none).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file instead of the system store.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" insecure' -l 'insecure' -d 'Do not verify the server\'s TLS certificate (rtmps://).'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms listen" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" stream' -l 'stream' -d 'Only this stream (its rtms_stream_id or directory name).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" emit-media' -l 'emit-media' -d 'Include media payloads (base64 `data`) in JSON lines.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" types' -l 'types' -d 'Only these line types: audio,video,share,transcript,chat,event,session,stream,connected,disconnect,reconnect,error,metadata,unknown,end,note.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" user' -l 'user' -d 'Only lines about this participant (media from them, events naming them).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" realtime' -l 'realtime' -d 'Pace the replay like the meeting (as --speed 1).'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" speed' -l 'speed' -d 'Pace the replay at this multiple of the recorded pace (events; --serve: default 1).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" flv' -l 'flv' -d 'Convert to FLV into this file (- for stdout).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" push' -l 'push' -d 'Convert to FLV and publish it live to this rtmp:// or rtmps:// URL.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" video' -l 'video' -d 'Which video goes into the FLV: camera or share.' -rfka 'camera share'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" x264-preset' -l 'x264-preset' -d 'libx264 preset for JPG/PNG video (ultrafast ... veryslow).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" video-bitrate' -l 'video-bitrate' -d 'Target bitrate of encoded JPG/PNG video in kbit/s (default: constant quality).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" audio-bitrate' -l 'audio-bitrate' -d 'AAC bitrate in kbit/s.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" audio-threads' -l 'audio-threads' -d 'AAC encoders at work at once for --flv, 1 to 16 (default: one per core, at most 8, at 4 or more bits per sample and channel, e.g. 16 kHz mono at 64 kbit/s or more; else 1).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" flash-ver' -l 'flash-ver' -d 'flashVer sent in connect.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" chunk-size' -l 'chunk-size' -d 'Outgoing RTMP chunk size in bytes (128 to 16777215), announced before connect.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" no-metadata' -l 'no-metadata' -d 'Do not send @setDataFrame onMetaData.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" reconnect' -l 'reconnect' -d 'Reconnect up to this many times after the connection drops.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" reconnect-delay' -l 'reconnect-delay' -d 'First delay before reconnecting; doubles each attempt, at most 30 s.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" buffer' -l 'buffer' -d 'Most media time queued while the link is slower than the stream; past it, video frames are dropped (never audio or keyframes).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" bind' -l 'bind' -d 'Local address to connect from.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" timeout' -l 'timeout' -d 'Seconds to wait for connecting, for the server\'s answers and for a stalled write.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" stats-interval' -l 'stats-interval' -d 'Seconds between rtmp.stats events (0: none).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" serve' -l 'serve' -d 'Emulate an RTMS server on [HOST:]PORT (host 127.0.0.1 unless given; 0: any free port).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" keepalive-interval' -l 'keepalive-interval' -d 'Seconds between keep-alive requests on every connection.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" reconnect-wait' -l 'reconnect-wait' -d 'Seconds an interrupted session waits for its client to come back (media: 5 s more).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" tls-cert' -l 'tls-cert' -d 'Serve wss:// with this PEM certificate (chain).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" tls-key' -l 'tls-key' -d 'The PEM private key of --tls-cert.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" webhook-url' -l 'webhook-url' -d 'Send the URL validation, rtms_started and rtms_stopped webhooks here (signed with ZM_RTMS_WEBHOOK_SECRET).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" loop' -l 'loop' -d 'Start the recording over at its end instead of ending the stream.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay"' -l 'fault' -d 'Stage a fault (repeatable): drop-media-at=S, drop-signaling-at=S, stop-keepalive-at=S, status=N, media-status=N.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" sessions' -l 'sessions' -d 'Stop once this many client sessions have ended.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" max-seconds' -l 'max-seconds' -d 'Stop serving after this many seconds.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" any-signature' -l 'any-signature' -d 'Accept handshakes without checking their signature (no ZM_RTMS_CLIENT/ZM_RTMS_SECRET needed).'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file instead of the system store.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" insecure' -l 'insecure' -d 'Do not verify the server\'s TLS certificate (rtmps://).'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl rtms replay" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl transponder" -eq 1' -fa 'ls' -d 'List the running transponders of this user.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl transponder" -eq 1' -fa 'stop' -d 'Stop a transponder: it unpublishes cleanly and its process ends.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl transponder" -eq 1' -fa 'mute' -d 'Replace a transponder\'s outgoing audio with silence (a sound being mixed in still plays).'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl transponder" -eq 1' -fa 'unmute' -d 'Bring back a muted transponder\'s audio.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl transponder" -eq 1' -fa 'sound' -d 'Mix a RIFF WAV file into a transponder\'s outgoing audio.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_positional "mediactl transponder" -eq 1' -fa 'sound-off' -d 'Stop mixing a WAV file into a transponder\'s audio.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder ls" stream' -l 'stream' -d 'Only transponders publishing this stream name.' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder ls" url' -l 'url' -d 'Only transponders publishing to this server and app (and stream, if the URL names one).' -rfka ''
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder ls" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder ls" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder ls" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder ls" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder stop" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder stop" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder stop" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder stop" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder mute" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder mute" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder mute" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder mute" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder unmute" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder unmute" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder unmute" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder unmute" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound" loop' -l 'loop' -d 'Start the file over at its end, until sound-off.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound-off" json' -l 'json' -d 'Print JSON on stdout (one object, or NDJSON events) instead of text.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound-off" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on stderr but errors.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound-off" version' -l 'version' -d 'Show the version.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl transponder sound-off" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mediactl' -n '__mediactl_should_offer_completions_for_flags_or_options "mediactl help" version' -l 'version' -d 'Show the version.'
