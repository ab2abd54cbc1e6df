// The JSON examples of ../shared/reference/zoom-rtms-event-reference.txt, copied verbatim (generated from the
// reference text: every block that starts with "{" on its own line). Two of them (participant join and leave) are
// not valid JSON as printed: their user ids are the placeholder `xxxxxxxxxx`.

enum RTMSReferenceVectors {
    static let signalingHandshakeRequest = #"""
{
    "msg_type": 1,
    "protocol_version": 1,
    "sequence": 1,
    "meeting_uuid": "xxxxxxxxxx",
    "rtms_stream_id": "xxxxxxxxxx",
    "signature": "xxxxxxxxxx",
    "buffer_data": false
}
"""#

    static let signalingHandshakeResponse = #"""
{
    "msg_type": 2,
    "protocol_version": 1,
    "sequence": 0,
    "status_code": 0,
    "reason": "",
    "media_server": {
        "server_urls": {
            "audio": "wss://127.0.0.0:443",
            "video": "wss://127.0.0.0:443",
            "transcript": "wss://127.0.0.0:443",
            "all": "wss://127.0.0.0:443"
        }
    }
}
"""#

    static let dataHandshakeRequestAll = #"""
{
    "msg_type": 3,
    "protocol_version": 1,
    "sequence": 0,
    "meeting_uuid": "4xxxxxxxxxx",
    "rtms_stream_id": "xxxxxxxxxx",
    "signature": "xxxxxxxxxx",
    "media_type": 32,
    "media_params": {
        "audio": {
            "content_type": 2,
            "sample_rate": 1,
            "channel": 1,
            "codec": 1,
            "data_opt": 1,
            "send_rate": 100
        },
        "video": {
            "codec": 5,
            "resolution": 2,
            "fps": 5
        },
        "deskshare": {
            "codec": 5,
            "resolution": 3,
            "fps": 1
        },
        "transcript": {
            "content_type": 5,
            "src_language": 9,
            "enable_lid": true
        }
    }
}
"""#

    static let dataHandshakeRequestAudio = #"""
{
    "msg_type": 3,
    "protocol_version": 1,
    "sequence": 0,
    "meeting_uuid": "4nYtdqLVTVqGJ+QB62ED7Q==",
    "rtms_stream_id": "03db704592624398931a588dd78200cb",
    "signature": "kDBZVzEWgox9tWVBc7DHsjW2OnVD/6H1zN2vdmU9VY8=",
    "media_type": 1,
    "media_params": {
        "audio": {
            "content_type": 2,
            "sample_rate": 1,
            "channel": 1,
            "codec": 1,
            "data_opt": 1,
            "send_rate": 20
        }
    }
}
"""#

    static let dataHandshakeRequestVideo = #"""
{
    "msg_type": 3,
    "protocol_version": 1,
    "sequence": 0,
    "meeting_uuid": "4nYtdqLVTVqGJ+QB62ED7Q==",
    "rtms_stream_id": "03db704592624398931a588dd78200cb",
    "signature": "kDBZVzEWgox9tWVBc7DHsjW2OnVD/6H1zN2vdmU9VY8=",
    "media_type": 2,
    "media_params": {
        "video": {
            "codec": 5,
            "resolution": 2,
            "fps": 5
        }
    }
}
"""#

    static let dataHandshakeRequestDeskshare = #"""
{
    "msg_type": 3,
    "protocol_version": 1,
    "sequence": 0,
    "meeting_uuid": "4nYtdqLVTVqGJ+QB62ED7Q==",
    "rtms_stream_id": "03db704592624398931a588dd78200cb",
    "signature": "kDBZVzEWgox9tWVBc7DHsjW2OnVD/6H1zN2vdmU9VY8=",
    "media_type": 4,
    "media_params": {
        "deskshare": {
            "codec": 5,
            "resolution": 3,
            "fps": 1
        }
    }
}
"""#

    static let dataHandshakeRequestTranscript = #"""
{
    "msg_type": 3,
    "protocol_version": 1,
    "sequence": 0,
    "meeting_uuid": "4nYtdqLVTVqGJ+QB62ED7Q==",
    "rtms_stream_id": "03db704592624398931a588dd78200cb",
    "signature": "kDBZVzEWgox9tWVBc7DHsjW2OnVD/6H1zN2vdmU9VY8=",
    "media_type": 8,
    "media_params": {
        "transcript": {
            "content_type": 5,
            "src_language": 9,
            "enable_lid": true
        }
    }
}
"""#

    static let dataHandshakeRequestChat = #"""
{
    "msg_type": 3,
    "protocol_version": 1,
    "sequence": 0,
    "meeting_uuid": "4nYtdqLVTVqGJ+QB62ED7Q==",
    "rtms_stream_id": "03db704592624398931a588dd78200cb",
    "signature": "kDBZVzEWgox9tWVBc7DHsjW2OnVD/6H1zN2vdmU9VY8=",
    "media_type": 16
}
"""#

    static let dataHandshakeResponseAll = #"""
{
    "msg_type": 4,
    "protocol_version": 1,
    "status_code": 0,
    "reason": "",
    "sequence": 0,
    "payload_encrypted": true,
    "media_params": {
        "audio": {
            "content_type": 2,
            "sample_rate": 1,
            "channel": 1,
            "codec": 1,
            "data_opt": 1,
            "send_rate": 100
        },
        "video": {
            "content_type": 3,
            "codec": 5,
            "resolution": 2,
            "data_opt": 3,
            "fps": 5
        },
        "deskshare": {
            "content_type": 3,
            "codec": 5,
            "resolution": 3,
            "fps": 1
        },
        "transcript": {
            "content_type": 5,
            "src_language": 9,
            "enable_lid": true
        },
        "chat": {
            "content_type": 5
        }
    }
}
"""#

    static let dataHandshakeResponseAudio = #"""
{
    "msg_type": 4,
    "protocol_version": 1,
    "status_code": 0,
    "reason": "",
    "sequence": 0,
    "payload_encrypted": true,
    "media_params": {
        "audio": {
            "content_type": 2,
            "sample_rate": 1,
            "channel": 1,
            "codec": 1,
            "data_opt": 1,
            "send_rate": 100
        }
    }
}
"""#

    static let dataHandshakeResponseVideo = #"""
{
    "msg_type": 4,
    "protocol_version": 1,
    "status_code": 0,
    "reason": "",
    "sequence": 0,
    "payload_encrypted": true,
    "media_params": {
        "video": {
            "content_type": 3,
            "codec": 5,
            "resolution": 2,
            "data_opt": 3,
            "fps": 5
        }
    }
}
"""#

    static let dataHandshakeResponseDeskshare = #"""
{
    "msg_type": 4,
    "protocol_version": 1,
    "status_code": 0,
    "reason": "",
    "sequence": 0,
    "payload_encrypted": true,
    "media_params": {
        "deskshare": {
            "content_type": 3,
            "codec": 5,
            "resolution": 3,
            "fps": 1
        }
    }
}
"""#

    static let dataHandshakeResponseTranscript = #"""
{
    "msg_type": 4,
    "protocol_version": 1,
    "status_code": 0,
    "reason": "",
    "sequence": 0,
    "payload_encrypted": true,
    "media_params": {
        "transcript": {
            "content_type": 5,
            "src_language": 9,
            "enable_lid": true
        }
    }
}
"""#

    static let dataHandshakeResponseChat = #"""
{
    "msg_type": 4,
    "protocol_version": 1,
    "status_code": 0,
    "reason": "",
    "sequence": 0,
    "payload_encrypted": true,
    "media_params": {
        "chat": {
            "content_type": 5
        }
    }
}
"""#

    static let clientReadyAck = #"""
{
    "msg_type": 7,
    "rtms_stream_id": "xxxxxxxxxx"
}
"""#

    static let keepAliveRequest = #"""
{
    "msg_type": 12,
    "timestamp": 1727384349123
}
"""#

    static let keepAliveResponse = #"""
{
    "msg_type": 13,
    "timestamp": 1727384349123
}
"""#

    static let eventSubscription = #"""
{
    "msg_type": 5,
    "events": [
        {
            "event_type": 2,
            "subscribe": true
        }
    ]
}
"""#

    static let audioData = #"""
{
    "msg_type": 14,
    "content": {
        "user_id": 16778240,
        "user_name": "John Smith",
        "data": "Hw1kDacNAA4sDkMOAQ5eDekMgAzXCw0L4Al4CDwHBAayBEwDmwHD/wn+rfyQ+3z6Z/k4+Ef3jvb09aj1YPUF9QL1OfVt9eH1f/YE96P3jPib+dX6Pvyr/ef+IABcAZ4CmQN3BFAF6QVxBs0G9wbjBqYGXwYFBm8FxwT/Aw4DHAIkARYA7v6o/T382/qq+YD4fPd99mz1p/Qq9KTzcfNv807zcPPQ8z70yfQ89az1SPbO9m/3Lfjf+I75M/rz+pT7KPzs/In9Fv7G/lP/q/8GAG4AtgBHAcABDQKtAkwDIgRQBYQGrgfyCEgKigvDDP4NFw/8D78QhBErEqoS/BL5EsYSfRLnEXARwhCMD1kO8ww8C5gJ5gfrBe8D3AGp/7P9IPyY+hL5t/dl9mv10fQ89NjzvvO78/HzbfTb9F71I/bw9vL3Kvlh+pX71/wr/m//owDCAbQCkwNoBPYEYQWxBZ0FZQUdBYkEBgRkA64CAgIdAT0AZf+T/tD93vz9+xf7B/o8+WX4pvcE90L2n/VM9d70pPSe9IL0nfTa9BX1cfXK9QP2S/a69hH3cPfx91P4w/hO+cr5XPr2+l/71/t9/AP9f/0R/p/+Pv/5/7IAWAH+AeMCAwQ7BaAG+wcmCZEKKQy8DT4PWhBXEVYSVBOgFM0VMxZSFhYW4BXTFUMVNBSzEtIQJg99Da0LogkXB40ESgJCAHj+ivyA+qn4KfcH9hr1JvRf89byq/Lt8kjzhvPy85P0n/X/9kn4lvni+kj84P1S/4wAuwHUAvcD9wS/BUwGaAZcBmcGTQb5BUkFQgQzAzkCVQEgALX+U/3N+4L6XfkU+Nj2o/WB9MTzOfO38g==",
        "length": 1024,
        "timestamp": 1738392033699
    }
}
"""#

    static let audioDataWithoutUserID = #"""
{
    "msg_type": 14,
    "content": {
        "user_name": "John Smith",
        "data": "Hw1kDacNAA4sDkMOAQ5eDekMgAzXCw0L4Al4CDwHBAayBEwDmwHD/wn+rfyQ+3z6Z/k4+Ef3jvb09aj1YPUF9QL1OfVt9eH1f/YE96P3jPib+dX6Pvyr/ef+IABcAZ4CmQN3BFAF6QVxBs0G9wbjBqYGXwYFBm8FxwT/Aw4DHAIkARYA7v6o/T382/qq+YD4fPd99mz1p/Qq9KTzcfNv807zcPPQ8z70yfQ89az1SPbO9m/3Lfjf+I75M/rz+pT7KPzs/In9Fv7G/lP/q/8GAG4AtgBHAcABDQKtAkwDIgRQBYQGrgfyCEgKigvDDP4NFw/8D78QhBErEqoS/BL5EsYSfRLnEXARwhCMD1kO8ww8C5gJ5gfrBe8D3AGp/7P9IPyY+hL5t/dl9mv10fQ89NjzvvO78/HzbfTb9F71I/bw9vL3Kvlh+pX71/wr/m//owDCAbQCkwNoBPYEYQWxBZ0FZQUdBYkEBgRkA64CAgIdAT0AZf+T/tD93vz9+xf7B/o8+WX4pvcE90L2n/VM9d70pPSe9IL0nfTa9BX1cfXK9QP2S/a69hH3cPfx91P4w/hO+cr5XPr2+l/71/t9/AP9f/0R/p/+Pv/5/7IAWAH+AeMCAwQ7BaAG+wcmCZEKKQy8DT4PWhBXEVYSVBOgFM0VMxZSFhYW4BXTFUMVNBSzEtIQJg99Da0LogkXB40ESgJCAHj+ivyA+qn4KfcH9hr1JvRf89byq/Lt8kjzhvPy85P0n/X/9kn4lvni+kj84P1S/4wAuwHUAvcD9wS/BUwGaAZcBmcGTQb5BUkFQgQzAzkCVQEgALX+U/3N+4L6XfkU+Nj2o/WB9MTzOfO38g=="
    }
}
"""#

    static let audioDataWithChannel = #"""
{
    "msg_type": 14,
    "content": {
        "channel_id": "c8b2d3ce-b0d6-4cd1-9195-fe17a4bd5b8e",
        "data": "Hw1kDacNAA4sDkMOAQ5eDekMgAzXCw0L4Al4CDwHBAayBEwDmwHD/wn+rfyQ+3z6Z/k4+Ef3jvb09aj1YPUF9QL1OfVt9eH1f/YE96P3jPib+dX6Pvyr/ef+IABcAZ4CmQN3BFAF6QVxBs0G9wbjBqYGXwYFBm8FxwT/Aw4DHAIkARYA7v6o/T382/qq+YD4fPd99mz1p/Qq9KTzcfNv807zcPPQ8z70yfQ89az1SPbO9m/3Lfjf+I75M/rz+pT7KPzs/In9Fv7G/lP/q/8GAG4AtgBHAcABDQKtAkwDIgRQBYQGrgfyCEgKigvDDP4NFw/8D78QhBErEqoS/BL5EsYSfRLnEXARwhCMD1kO8ww8C5gJ5gfrBe8D3AGp/7P9IPyY+hL5t/dl9mv10fQ89NjzvvO78/HzbfTb9F71I/bw9vL3Kvlh+pX71/wr/m//owDCAbQCkwNoBPYEYQWxBZ0FZQUdBYkEBgRkA64CAgIdAT0AZf+T/tD93vz9+xf7B/o8+WX4pvcE90L2n/VM9d70pPSe9IL0nfTa9BX1cfXK9QP2S/a69hH3cPfx91P4w/hO+cr5XPr2+l/71/t9/AP9f/0R/p/+Pv/5/7IAWAH+AeMCAwQ7BaAG+wcmCZEKKQy8DT4PWhBXEVYSVBOgFM0VMxZSFhYW4BXTFUMVNBSzEtIQJg99Da0LogkXB40ESgJCAHj+ivyA+qn4KfcH9hr1JvRf89byq/Lt8kjzhvPy85P0n/X/9kn4lvni+kj84P1S/4wAuwHUAvcD9wS/BUwGaAZcBmcGTQb5BUkFQgQzAzkCVQEgALX+U/3N+4L6XfkU+Nj2o/WB9MTzOfO38g==",
        "length": 1024,
        "timestamp": 1738392033699
    }
}
"""#

    static let videoData = #"""
{
    "msg_type": 15,
    "content": {
        "user_id": 16778240,
        "user_name": "John Smith",
        "data": "Hw1kDacNAA4sDkMOAQ5eDekMgAzXCw0L4Al4CDwHBAayBEwDmwHD/wn+rfyQ+3z6Z/k4+Ef3jvb09aj1YPUF9QL1OfVt9eH1f/YE96P3jPib+dX6Pvyr/ef+IABcAZ4CmQN3BFAF6QVxBs0G9wbjBqYGXwYFBm8FxwT/Aw4DHAIkARYA7v6o/T382/qq+YD4fPd99mz1p/Qq9KTzcfNv807zcPPQ8z70yfQ89az1SPbO9m/3Lfjf+I75M/rz+pT7KPzs/In9Fv7G/lP/q/8GAG4AtgBHAcABDQKtAkwDIgRQBYQGrgfyCEgKigvDDP4NFw/8D78QhBErEqoS/BL5EsYSfRLnEXARwhCMD1kO8ww8C5gJ5gfrBe8D3AGp/7P9IPyY+hL5t/dl9mv10fQ89NjzvvO78/HzbfTb9F71I/bw9vL3Kvlh+pX71/wr/m//owDCAbQCkwNoBPYEYQWxBZ0FZQUdBYkEBgRkA64CAgIdAT0AZf+T/tD93vz9+xf7B/o8+WX4pvcE90L2n/VM9d70pPSe9IL0nfTa9BX1cfXK9QP2S/a69hH3cPfx91P4w/hO+cr5XPr2+l/71/t9/AP9f/0R/p/+Pv/5/7IAWAH+AeMCAwQ7BaAG+wcmCZEKKQy8DT4PWhBXEVYSVBOgFM0VMxZSFhYW4BXTFUMVNBSzEtIQJg99Da0LogkXB40ESgJCAHj+ivyA+qn4KfcH9hr1JvRf89byq/Lt8kjzhvPy85P0n/X/9kn4lvni+kj84P1S/4wAuwHUAvcD9wS/BUwGaAZcBmcGTQb5BUkFQgQzAzkCVQEgALX+U/3N+4L6XfkU+Nj2o/WB9MTzOfO38g==",
        "length": 1024,
        "timestamp": 1738392033699
    }
}
"""#

    static let shareData = #"""
{
    "msg_type": 16,
    "content": {
        "user_id": 16778240,
        "user_name": "John Smith",
        "data": "Hw1kDacNAA4sDkMOAQ5eDekMgAzXCw0L4Al4CDwHBAayBEwDmwHD/wn+rfyQ+3z6Z/k4+Ef3jvb09aj1YPUF9QL1OfVt9eH1f/YE96P3jPib+dX6Pvyr/ef+IABcAZ4CmQN3BFAF6QVxBs0G9wbjBqYGXwYFBm8FxwT/Aw4DHAIkARYA7v6o/T382/qq+YD4fPd99mz1p/Qq9KTzcfNv807zcPPQ8z70yfQ89az1SPbO9m/3Lfjf+I75M/rz+pT7KPzs/In9Fv7G/lP/q/8GAG4AtgBHAcABDQKtAkwDIgRQBYQGrgfyCEgKigvDDP4NFw/8D78QhBErEqoS/BL5EsYSfRLnEXARwhCMD1kO8ww8C5gJ5gfrBe8D3AGp/7P9IPyY+hL5t/dl9mv10fQ89NjzvvO78/HzbfTb9F71I/bw9vL3Kvlh+pX71/wr/m//owDCAbQCkwNoBPYEYQWxBZ0FZQUdBYkEBgRkA64CAgIdAT0AZf+T/tD93vz9+xf7B/o8+WX4pvcE90L2n/VM9d70pPSe9IL0nfTa9BX1cfXK9QP2S/a69hH3cPfx91P4w/hO+cr5XPr2+l/71/t9/AP9f/0R/p/+Pv/5/7IAWAH+AeMCAwQ7BaAG+wcmCZEKKQy8DT4PWhBXEVYSVBOgFM0VMxZSFhYW4BXTFUMVNBSzEtIQJg99Da0LogkXB40ESgJCAHj+ivyA+qn4KfcH9hr1JvRf89byq/Lt8kjzhvPy85P0n/X/9kn4lvni+kj84P1S/4wAuwHUAvcD9wS/BUwGaAZcBmcGTQb5BUkFQgQzAzkCVQEgALX+U/3N+4L6XfkU+Nj2o/WB9MTzOfO38g==",
        "length": 1024,
        "timestamp": 1738392033699
    }
}
"""#

    static let transcriptData = #"""
{
    "msg_type": 17,
    "content": {
        "user_id": 19778240,
        "user_name": "John Smith",
        "start_time": 1727384100000,
        "end_time": 1727384310000,
        "timestamp": 1727384349000,
        "language": 9,
        "data": "Hi, hello world!"
    }
}
"""#

    static let transcriptDataWithChannel = #"""
{
    "msg_type": 17,
    "content": {
        "channel_id": "c8b2d3ce-b0d6-4cd1-9195-fe17a4bd5b8e",
        "start_time": 1738392033699,
        "end_time": 1738392036866,
        "timestamp": 1727384349000000,
        "language": 9,
        "data": "Hi, hello world!"
    }
}
"""#

    static let chatData = #"""
{
    "msg_type": 18,
    "content": {
        "timestamp": 1727384349000,
        "data": "Chat message"
    }
}
"""#

    static let sessionStateUpdate = #"""
{
    "msg_type": 9,
    "state": 1,
    "stop_reason": 1,
    "timestamp": 1727384349123,
    "rtms_session_id": "xxxxxxxxxx"
}
"""#

    static let sessionStateRequest = #"""
{
    "msg_type": 10,
    "rtms_session_id": "xxxxxxxxxx"
}
"""#

    static let sessionStateResponse = #"""
{
    "msg_type": 11,
    "rtms_session_id": "xxxxxxxxxx",
    "state": 1,
    "timestamp": 1727384349123
}
"""#

    static let streamStateRequest = #"""
{
    "msg_type": 19,
    "rtms_stream_id": "756FF58A-6332-6ECA-E4AE-21F2ABDCB485"
}
"""#

    static let streamStateResponse = #"""
{
    "msg_type": 20,
    "state": 1,
    "rtms_stream_id": "756FF58A-6332-6ECA-E4AE-21F2ABDCB485",
    "timestamp": 1694204592
}
"""#

    static let streamStateUpdate = #"""
{
    "msg_type": 8,
    "state": 1,
    "reason": 1,
    "timestamp": 1727384349123
}
"""#

    static let streamCloseRequest = #"""
{
    "msg_type": 21,
    "rtms_stream_id": "xxxxxxxxxx"
}
"""#

    static let streamCloseResponse = #"""
{
    "msg_type": 22,
    "rtms_stream_id": "xxxxxxxxxx",
    "status_code": 0,
    "reason": "OK",
    "timestamp": 1727384349123
}
"""#

    static let videoSubscriptionRequest = #"""
{
    "msg_type": 28,
    "user_id": 16778240,
    "subscribe": true,
    "timestamp": 1738392033699
}
"""#

    static let videoSubscriptionResponse = #"""
{
    "msg_type": 29,
    "user_id": 16778240,
    "status_code": 0,
    "reason": "OK",
    "timestamp": 1738392033699
}
"""#

    static let eventFirstPacketTimestamp = #"""
{
    "msg_type": 6,
    "event": {
        "event_type": 1,
        "timestamp": 1727384349123
    }
}
"""#

    static let eventActiveSpeakerChange = #"""
{
    "msg_type": 6,
    "event": {
        "event_type": 2,
        "timestamp": 1727384349123,
        "user_id": 22334455,
        "user_name": "John Smith"
    }
}
"""#

    static let eventParticipantJoin = #"""
{
  "msg_type": 6,
  "event": {
    "event_type": 3,
    "timestamp": 1727384349123,
    "participants": [
      {
        "user_id": xxxxxxxxxx,
        "user_name": "John Smith"
      },
      {
        "user_id": xxxxxxxxxx,
        "user_name": "Alice"
      }
    ]
  }
}
"""#

    static let eventParticipantLeave = #"""
{
  "msg_type": 6,
  "event": {
    "event_type": 4,
    "timestamp": 1727384349123,
    "participants": [
      {
        "user_id": xxxxxxxxxx
      },
      {
        "user_id": xxxxxxxxxx
      }
    ]
  }
}
"""#

    static let eventSharingStart = #"""
{
    "msg_type": 6,
    "event": {
        "event_type": 5,
        "timestamp": 1727384349123,
        "user_id": 1234234567890,
        "user_name": "John Smith"
    }
}
"""#

    static let eventSharingStop = #"""
{
    "msg_type": 6,
    "event": {
        "event_type": 6,
        "timestamp": 1727384349123
    }
}
"""#

    static let eventParticipantVideoOn = #"""
{
    "msg_type": 6,
    "event": {
        "event_type": 8,
        "timestamp": 1727384349123,
        "participants": [
            {
                "user_id": 16778240
            },
            {
                "user_id": 33556610
            }
        ]
    }
}
"""#

    static let eventParticipantVideoOff = #"""
{
    "msg_type": 6,
    "event": {
        "event_type": 9,
        "timestamp": 1727384349123,
        "participants": [
            {
                "user_id": 16778240
            }
        ]
    }
}
"""#

    /// Every example, in the order of the reference.
    static let all: [(name: String, text: String)] = [
        ("signalingHandshakeRequest", signalingHandshakeRequest),
        ("signalingHandshakeResponse", signalingHandshakeResponse),
        ("dataHandshakeRequestAll", dataHandshakeRequestAll),
        ("dataHandshakeRequestAudio", dataHandshakeRequestAudio),
        ("dataHandshakeRequestVideo", dataHandshakeRequestVideo),
        ("dataHandshakeRequestDeskshare", dataHandshakeRequestDeskshare),
        ("dataHandshakeRequestTranscript", dataHandshakeRequestTranscript),
        ("dataHandshakeRequestChat", dataHandshakeRequestChat),
        ("dataHandshakeResponseAll", dataHandshakeResponseAll),
        ("dataHandshakeResponseAudio", dataHandshakeResponseAudio),
        ("dataHandshakeResponseVideo", dataHandshakeResponseVideo),
        ("dataHandshakeResponseDeskshare", dataHandshakeResponseDeskshare),
        ("dataHandshakeResponseTranscript", dataHandshakeResponseTranscript),
        ("dataHandshakeResponseChat", dataHandshakeResponseChat),
        ("clientReadyAck", clientReadyAck),
        ("keepAliveRequest", keepAliveRequest),
        ("keepAliveResponse", keepAliveResponse),
        ("eventSubscription", eventSubscription),
        ("audioData", audioData),
        ("audioDataWithoutUserID", audioDataWithoutUserID),
        ("audioDataWithChannel", audioDataWithChannel),
        ("videoData", videoData),
        ("shareData", shareData),
        ("transcriptData", transcriptData),
        ("transcriptDataWithChannel", transcriptDataWithChannel),
        ("chatData", chatData),
        ("sessionStateUpdate", sessionStateUpdate),
        ("sessionStateRequest", sessionStateRequest),
        ("sessionStateResponse", sessionStateResponse),
        ("streamStateRequest", streamStateRequest),
        ("streamStateResponse", streamStateResponse),
        ("streamStateUpdate", streamStateUpdate),
        ("streamCloseRequest", streamCloseRequest),
        ("streamCloseResponse", streamCloseResponse),
        ("videoSubscriptionRequest", videoSubscriptionRequest),
        ("videoSubscriptionResponse", videoSubscriptionResponse),
        ("eventFirstPacketTimestamp", eventFirstPacketTimestamp),
        ("eventActiveSpeakerChange", eventActiveSpeakerChange),
        ("eventParticipantJoin", eventParticipantJoin),
        ("eventParticipantLeave", eventParticipantLeave),
        ("eventSharingStart", eventSharingStart),
        ("eventSharingStop", eventSharingStop),
        ("eventParticipantVideoOn", eventParticipantVideoOn),
        ("eventParticipantVideoOff", eventParticipantVideoOff),
    ]

    /// The base64 `data` of the audio, video and share examples (1024 bytes of L16 audio).
    static let mediaPayloadBase64 = "Hw1kDacNAA4sDkMOAQ5eDekMgAzXCw0L4Al4CDwHBAayBEwDmwHD/wn+rfyQ+3z6Z/k4+Ef3jvb09aj1YPUF9QL1OfVt9eH1f/YE96P3jPib+dX6Pvyr/ef+IABcAZ4CmQN3BFAF6QVxBs0G9wbjBqYGXwYFBm8FxwT/Aw4DHAIkARYA7v6o/T382/qq+YD4fPd99mz1p/Qq9KTzcfNv807zcPPQ8z70yfQ89az1SPbO9m/3Lfjf+I75M/rz+pT7KPzs/In9Fv7G/lP/q/8GAG4AtgBHAcABDQKtAkwDIgRQBYQGrgfyCEgKigvDDP4NFw/8D78QhBErEqoS/BL5EsYSfRLnEXARwhCMD1kO8ww8C5gJ5gfrBe8D3AGp/7P9IPyY+hL5t/dl9mv10fQ89NjzvvO78/HzbfTb9F71I/bw9vL3Kvlh+pX71/wr/m//owDCAbQCkwNoBPYEYQWxBZ0FZQUdBYkEBgRkA64CAgIdAT0AZf+T/tD93vz9+xf7B/o8+WX4pvcE90L2n/VM9d70pPSe9IL0nfTa9BX1cfXK9QP2S/a69hH3cPfx91P4w/hO+cr5XPr2+l/71/t9/AP9f/0R/p/+Pv/5/7IAWAH+AeMCAwQ7BaAG+wcmCZEKKQy8DT4PWhBXEVYSVBOgFM0VMxZSFhYW4BXTFUMVNBSzEtIQJg99Da0LogkXB40ESgJCAHj+ivyA+qn4KfcH9hr1JvRf89byq/Lt8kjzhvPy85P0n/X/9kn4lvni+kj84P1S/4wAuwHUAvcD9wS/BUwGaAZcBmcGTQb5BUkFQgQzAzkCVQEgALX+U/3N+4L6XfkU+Nj2o/WB9MTzOfO38g=="
}
