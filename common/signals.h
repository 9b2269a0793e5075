/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Front-end helpers shared by mkcramfs and cramfsck. */
#ifndef CRAMFS_COMMON_SIGNALS_H
#define CRAMFS_COMMON_SIGNALS_H

/*
 * Call `handler` on SIGINT, SIGTERM and SIGHUP, the signals that ask a
 * tool to stop. No SA_RESTART: a blocking read returns EINTR.
 */
void cli_catch_stop_signals(void (*handler)(int));

#endif /* CRAMFS_COMMON_SIGNALS_H */
