// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/pool.c: every job index runs exactly once, on a valid worker id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pool.h"

#define MAX_JOBS 1000u

struct run {
	unsigned runs[MAX_JOBS];     /* times each index ran */
	unsigned worker[MAX_JOBS];   /* who ran it */
	unsigned calls;              /* all calls, any index */
	unsigned bad_index;          /* calls with index >= count */
	size_t count;
};

static void job(void *arg, size_t index, unsigned worker)
{
	struct run *r = arg;
	volatile unsigned spin = 0;

	__atomic_fetch_add(&r->calls, 1, __ATOMIC_RELAXED);
	if (index >= r->count || index >= MAX_JOBS) {
		__atomic_fetch_add(&r->bad_index, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_fetch_add(&r->runs[index], 1, __ATOMIC_RELAXED);
	__atomic_store_n(&r->worker[index], worker, __ATOMIC_RELAXED);
	/* A little work so that helpers get a share of the jobs. */
	for (unsigned k = 0; k < 200; k++)
		spin += k;
}

static void run_and_check(struct cramfs_pool *pool, struct run *r,
			  size_t count, unsigned threads)
{
	memset(r, 0, sizeof(*r));
	r->count = count;
	cramfs_pool_run(pool, job, r, count);
	/* Every job is done when run returns: nothing may arrive late. */
	assert_int_equal(r->calls, count);
	assert_int_equal(r->bad_index, 0);
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(r->runs[i], 1);
		assert_true(r->worker[i] < threads);
	}
}

static void every_index_runs_once_for_1_2_and_8_threads(void **state)
{
	static const unsigned threads[] = { 1, 2, 8 };
	static const size_t counts[] = { 0, 1, 1000 };
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	for (size_t t = 0; t < 3; t++) {
		for (size_t c = 0; c < 3; c++) {
			struct cramfs_pool *pool = NULL;

			assert_int_equal(cramfs_pool_new(threads[t], &pool), 0);
			assert_non_null(pool);
			assert_int_equal(cramfs_pool_threads(pool), threads[t]);
			run_and_check(pool, r, counts[c], threads[t]);
			cramfs_pool_free(pool);
		}
	}
	free(r);
}

/* One pool serves many runs, big and small, in any order. */
static void one_pool_runs_many_times_in_a_row(void **state)
{
	static const unsigned threads[] = { 1, 2, 8 };
	static const size_t counts[] = { 1000, 0, 1, 2, 1000, 7, 0, 1000, 1, 3 };
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	for (size_t t = 0; t < 3; t++) {
		struct cramfs_pool *pool = NULL;

		assert_int_equal(cramfs_pool_new(threads[t], &pool), 0);
		for (unsigned round = 0; round < 20; round++)
			for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
				run_and_check(pool, r, counts[c], threads[t]);
		cramfs_pool_free(pool);
	}
	free(r);
}

static void a_one_thread_pool_runs_jobs_on_the_caller(void **state)
{
	struct cramfs_pool *pool = NULL;
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	assert_int_equal(cramfs_pool_new(1, &pool), 0);
	run_and_check(pool, r, 1000, 1);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(r->worker[i], 0);
	cramfs_pool_free(pool);
	free(r);
}

static void zero_threads_means_one(void **state)
{
	struct cramfs_pool *pool = NULL;
	struct run *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	assert_int_equal(cramfs_pool_new(0, &pool), 0);
	assert_int_equal(cramfs_pool_threads(pool), 1);
	run_and_check(pool, r, 1000, 1);
	cramfs_pool_free(pool);
	free(r);
}

static void freeing_an_idle_or_null_pool_is_fine(void **state)
{
	struct cramfs_pool *pool = NULL;

	(void)state;
	cramfs_pool_free(NULL);
	/* Never run: the helpers must still be woken and joined. */
	assert_int_equal(cramfs_pool_new(8, &pool), 0);
	cramfs_pool_free(pool);
}

static void online_cpus_is_at_least_one(void **state)
{
	unsigned n = cramfs_online_cpus();

	(void)state;
	assert_true(n >= 1);
	assert_true(n <= 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_index_runs_once_for_1_2_and_8_threads),
		cmocka_unit_test(one_pool_runs_many_times_in_a_row),
		cmocka_unit_test(a_one_thread_pool_runs_jobs_on_the_caller),
		cmocka_unit_test(zero_threads_means_one),
		cmocka_unit_test(freeing_an_idle_or_null_pool_is_fine),
		cmocka_unit_test(online_cpus_is_at_least_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
