// SPDX-License-Identifier: GPL-2.0
/*
 * bar-pattern: write or verify a pattern through a PCI BAR mapping.
 *
 *   bar-pattern write|verify /sys/bus/pci/devices/BDF/resourceN SEED
 *   bar-pattern hold /sys/bus/pci/devices/BDF/resourceN SEED SECONDS
 *
 * hold writes the pattern, keeps the mapping for SECONDS, then verifies
 * through the same mapping: a BAR moved under it would show.
 *
 * One 64-bit word per 64 KiB, derived from SEED and the offset, so that a
 * BAR of a gigabyte takes well under a second even under TCG.
 * verify exits 1 and names the first bad offset on any mismatch.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define STEP 65536

static uint64_t word(uint64_t seed, uint64_t off)
{
	uint64_t x = seed ^ (off * 0x9e3779b97f4a7c15ull);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	return x ^ (x >> 29);
}

static int pass(volatile uint64_t *map, uint64_t size, uint64_t seed, int write_mode)
{
	uint64_t off;

	for (off = 0; off < size; off += STEP) {
		uint64_t want = word(seed, off);

		if (write_mode) {
			map[off / 8] = want;
		} else if (map[off / 8] != want) {
			printf("mismatch at %#llx: %#llx, want %#llx\n",
			       (unsigned long long)off,
			       (unsigned long long)map[off / 8],
			       (unsigned long long)want);
			return 1;
		}
	}
	printf("%s %lld KiB ok\n", write_mode ? "wrote" : "verified",
	       (long long)size >> 10);
	return 0;
}

int main(int argc, char **argv)
{
	volatile uint64_t *map;
	struct stat st;
	uint64_t seed;
	int fd, hold, ret;

	hold = argc == 5 && !strcmp(argv[1], "hold");
	if (!hold && (argc != 4 || (strcmp(argv[1], "write") && strcmp(argv[1], "verify")))) {
		fprintf(stderr, "usage: %s write|verify RESOURCE_FILE SEED\n"
			"       %s hold RESOURCE_FILE SEED SECONDS\n", argv[0], argv[0]);
		return 2;
	}
	seed = strtoull(argv[3], NULL, 0);
	fd = open(argv[2], O_RDWR | O_SYNC);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[2]);
		return 2;
	}
	map = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	if (hold) {
		ret = pass(map, st.st_size, seed, 1);
		fflush(stdout);
		sleep(atoi(argv[4]));
		ret |= pass(map, st.st_size, seed, 0);
	} else {
		ret = pass(map, st.st_size, seed, !strcmp(argv[1], "write"));
	}
	munmap((void *)map, st.st_size);
	close(fd);
	return ret;
}
