// SPDX-License-Identifier: GPL-2.0-or-later
/* Error codes, per-handle messages and warning lists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

unsigned int cramfs_version_number(void)
{
	return CRAMFS_VERSION_NUMBER;
}

const char *cramfs_version_string(void)
{
	return CRAMFS_VERSION_STRING;
}

const char *cramfs_strerror(int err)
{
	if (err == -CRAMFS_ECORRUPT)
		return "corrupt cramfs image";
	return strerror(err < 0 ? -err : err);
}

int cramfs_msg_vset(struct cramfs_msg *msg, int err, const char *fmt,
		    va_list ap)
{
	vsnprintf(msg->text, sizeof(msg->text), fmt, ap);
	return err;
}

int cramfs_msg_set(struct cramfs_msg *msg, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cramfs_msg_vset(msg, err, fmt, ap);
	va_end(ap);
	return err;
}

void cramfs_msg_clear(struct cramfs_msg *msg)
{
	msg->text[0] = '\0';
}

int cramfs_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t ncap;
	void *n;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return -ENOMEM;
		ncap *= 2;
	}
	n = realloc(*p, ncap * size);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = ncap;
	return 0;
}

int cramfs_strlist_addf(struct cramfs_strlist *list, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (cramfs_grow(&list->items, &list->cap, list->count + 1,
			sizeof(*list->items)))
		return -ENOMEM;
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	list->items[list->count++] = s;
	return 0;
}

void cramfs_strlist_free(struct cramfs_strlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = list->cap = 0;
}

size_t cramfs_utf8_char_len(const void *s, size_t len)
{
	const unsigned char *p = s;
	size_t n;
	unsigned int cp, min;

	if (!len)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2; cp = p[0] & 0x1fu; min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3; cp = p[0] & 0x0fu; min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4; cp = p[0] & 0x07u; min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0u) != 0x80u)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}
