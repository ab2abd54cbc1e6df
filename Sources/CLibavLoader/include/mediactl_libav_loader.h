// Loads libav (libavutil, libswresample, libswscale, libavcodec, libavformat) with dlopen when Remux first needs
// it, so that commands which never remux (rtmp push/probe, rtms listen without --push) do not map the libraries
// and everything they pull in.
#ifndef MEDIACTL_LIBAV_LOADER_H
#define MEDIACTL_LIBAV_LOADER_H

#include <stddef.h>

/// Opens the five libav libraries by the sonames of the headers mediactl was built against (libavcodec.so.59 on
/// Debian 12) and resolves every libav function Remux calls. Returns 0 on success; otherwise -1 with a message in
/// `error` (NUL-terminated, cut to `size`) naming the library or symbol and the Debian package to install.
/// Safe to call from any thread and any number of times: the work happens once and its outcome is remembered.
int mediactl_libav_load(char *error, size_t size);

#endif
