// SPDX-License-Identifier: GPL-2.0-or-later
/* The stop signals, caught the same way by both front ends. */
#include <signal.h>
#include <string.h>

#include "signals.h"

void cli_catch_stop_signals(void (*handler)(int))
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}
