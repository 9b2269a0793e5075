// SPDX-License-Identifier: GPL-2.0-or-later
/* Whole reads at an offset, through EINTR and short reads; CRC-32. */
#include <errno.h>
#include <libdeflate.h>
#include <unistd.h>

#include "private.h"

int cramfs_pread_all(int fd, void *buf, size_t len, uint64_t offset)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

uint32_t cramfs_crc32(uint32_t crc, const void *buf, size_t len)
{
	return len ? libdeflate_crc32(crc, buf, len) : crc;
}
