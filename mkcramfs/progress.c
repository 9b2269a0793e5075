// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The progress line: files, bytes, rate and time left, redrawn in place on
 * stderr at most five times a second, and only when stderr is a terminal.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "mkcramfs.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void mkcramfs_progress_init(struct mkcramfs_progress *p,
			    const struct mkcramfs_opts *o)
{
	p->enabled = !o->quiet && !o->verbose && isatty(STDERR_FILENO);
	p->start = p->last = now();
	p->drawn = false;
}

void mkcramfs_progress_update(void *arg, uint64_t files_done,
			      uint64_t files_total, uint64_t bytes_done,
			      uint64_t bytes_total)
{
	struct mkcramfs_progress *p = arg;
	double t = now(), elapsed = t - p->start, rate;

	if (!p->enabled || (t - p->last < 0.2 && files_done < files_total))
		return;
	p->last = t;
	rate = elapsed > 0 ? (double)bytes_done / elapsed : 0;
	fprintf(stderr, "\r\033[K%llu/%llu files, %.1f/%.1f MB, %.1f MB/s",
		(unsigned long long)files_done, (unsigned long long)files_total,
		(double)bytes_done / 1e6, (double)bytes_total / 1e6, rate / 1e6);
	if (rate > 0 && bytes_done < bytes_total) {
		unsigned long left = (unsigned long)((double)(bytes_total -
						     bytes_done) / rate + 0.5);

		fprintf(stderr, ", ETA %lu:%02lu", left / 60, left % 60);
	}
	p->drawn = true;
}

void mkcramfs_progress_end(struct mkcramfs_progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = false;
}
