/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Symbol visibility: the library is built with -fvisibility=hidden. */
#ifndef CRAMFS_EXPORT_H
#define CRAMFS_EXPORT_H

#if defined(__GNUC__) && !defined(CRAMFS_STATIC_ONLY)
#define CRAMFS_API __attribute__((visibility("default")))
#else
#define CRAMFS_API
#endif

#if defined(__GNUC__)
#define CRAMFS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CRAMFS_PRINTF(fmt, args)
#endif

#endif /* CRAMFS_EXPORT_H */
