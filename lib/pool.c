// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Worker pool. Each run bumps a generation number; workers claim job
 * indices from a shared counter until it passes the job count, and the
 * last one to finish wakes the caller.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "pool.h"

struct cramfs_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;     /* a new generation was posted, or stop */
	pthread_cond_t done;     /* every worker finished the generation */
	pthread_t *tids;
	unsigned nthreads;       /* workers in all, the caller included */
	unsigned started;        /* helper threads actually running */
	unsigned long generation;
	unsigned busy;           /* helpers still in the current generation */
	size_t next;             /* next unclaimed index */
	size_t count;
	cramfs_pool_fn fn;
	void *arg;
	int stop;
};

struct worker_start {
	struct cramfs_pool *pool;
	unsigned id;
};

/* Claim and run indices until none are left; called with the lock held. */
static void drain(struct cramfs_pool *p, unsigned worker)
{
	while (p->next < p->count) {
		size_t i = p->next++;

		pthread_mutex_unlock(&p->lock);
		p->fn(p->arg, i, worker);
		pthread_mutex_lock(&p->lock);
	}
}

static void *worker_main(void *arg)
{
	struct worker_start *ws = arg;
	struct cramfs_pool *p = ws->pool;
	unsigned id = ws->id;
	unsigned long seen = 0;

	free(ws);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->generation == seen)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stop)
			break;
		seen = p->generation;
		drain(p, id);
		if (--p->busy == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

unsigned cramfs_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1u : n > 256 ? 256u : (unsigned)n;
}

int cramfs_pool_new(unsigned threads, struct cramfs_pool **out)
{
	struct cramfs_pool *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return -ENOMEM;
	p->nthreads = threads ? threads : 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (p->nthreads > 1) {
		p->tids = calloc(p->nthreads - 1, sizeof(*p->tids));
		if (!p->tids) {
			cramfs_pool_free(p);
			return -ENOMEM;
		}
	}
	for (unsigned i = 1; i < p->nthreads; i++) {
		struct worker_start *ws = malloc(sizeof(*ws));
		int err;

		if (!ws) {
			cramfs_pool_free(p);
			return -ENOMEM;
		}
		*ws = (struct worker_start){ .pool = p, .id = i };
		err = pthread_create(&p->tids[i - 1], NULL, worker_main, ws);
		if (err) {
			free(ws);
			cramfs_pool_free(p);
			return -err;
		}
		p->started++;
	}
	*out = p;
	return 0;
}

unsigned cramfs_pool_threads(const struct cramfs_pool *pool)
{
	return pool->nthreads;
}

void cramfs_pool_start(struct cramfs_pool *p, cramfs_pool_fn fn, void *arg,
		       size_t count)
{
	pthread_mutex_lock(&p->lock);
	p->fn = fn;
	p->arg = arg;
	p->next = 0;
	p->count = count;
	if (p->started && count) {
		p->busy = p->started;
		p->generation++;
		pthread_cond_broadcast(&p->work);
	}
	pthread_mutex_unlock(&p->lock);
}

void cramfs_pool_wait(struct cramfs_pool *p)
{
	pthread_mutex_lock(&p->lock);
	drain(p, 0);
	while (p->busy)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

void cramfs_pool_run(struct cramfs_pool *p, cramfs_pool_fn fn, void *arg,
		     size_t count)
{
	cramfs_pool_start(p, fn, arg, count);
	cramfs_pool_wait(p);
}

void cramfs_pool_free(struct cramfs_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->tids[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->lock);
	free(p->tids);
	free(p);
}
