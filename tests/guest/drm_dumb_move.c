// SPDX-License-Identifier: GPL-2.0
/*
 * drm-dumb-move: keep a dumb buffer on screen and mapped while its BAR moves.
 *
 *   drm-dumb-move CARD
 *	Shows a dumb buffer on the first connected connector, maps it,
 *	writes pattern 0, tells the driver the whole buffer changed
 *	(DIRTYFB: drivers that scan out of a shadow buffer in system memory,
 *	as bochs does since 6.x, copy it to VRAM then) and prints
 *	"ready WIDTHxHEIGHT pitch PITCH". A second thread reads one word per
 *	page of the mapping, over and over, and keeps the longest single read:
 *	a read that faults while the BAR moves waits for the move to end.
 *	On each SIGUSR1: verify pattern N through the same mapping, write
 *	pattern N + 1, send DIRTYFB and print
 *	"phase N errors E stall_us S reads R" (S and R since the last report).
 *	SIGTERM ends it.
 *
 *   drm-dumb-move --fbdev FB PHASE
 *	Writes pattern PHASE to the fbdev device FB with write(2) and prints
 *	"fbdev WIDTHxHEIGHT pitch PITCH".
 *
 * Pixel i (counted in 32-bit words from the start) of pattern N is
 * pattern_pixel(i, N); the host checks screen dumps against the same formula.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The work tree's headers ('make headers'), not the host's libdrm. */
#include <drm/drm.h>
#include <drm/drm_mode.h>

static uint32_t pattern_pixel(uint64_t i, unsigned int phase)
{
	return (uint32_t)(i * 2654435761u + phase * 0x9e3779b9u) & 0xffffff;
}

static void die(const char *what)
{
	fprintf(stderr, "drm-dumb-move: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg))
		die(what);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ull + ts.tv_nsec / 1000;
}

struct screen {
	uint32_t conn, crtc, width, height, pitch, handle, fb;
	uint64_t size;
	struct drm_mode_modeinfo mode;
};

/* The first connected connector, its preferred mode and a CRTC for it. */
static void find_output(int fd, struct screen *s)
{
	struct drm_mode_card_res res = { 0 };
	uint32_t conns[16], crtcs[16], encs[16];
	unsigned int c, m;

	xioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES");
	if (res.count_connectors > 16 || res.count_crtcs > 16 || res.count_encoders > 16)
		die("too many connectors");
	res.connector_id_ptr = (uintptr_t)conns;
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.encoder_id_ptr = (uintptr_t)encs;
	res.count_fbs = 0;
	xioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES");

	for (c = 0; c < res.count_connectors; c++) {
		struct drm_mode_modeinfo modes[256];
		struct drm_mode_get_connector conn = { .connector_id = conns[c] };

		xioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn, "GETCONNECTOR");
		if (conn.connection != 1 || !conn.count_modes || conn.count_modes > 256)
			continue;
		conn.modes_ptr = (uintptr_t)modes;
		conn.count_props = 0;
		conn.count_encoders = 0;
		xioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn, "GETCONNECTOR");
		s->mode = modes[0];
		for (m = 0; m < conn.count_modes; m++)
			if (modes[m].type & DRM_MODE_TYPE_PREFERRED) {
				s->mode = modes[m];
				break;
			}
		s->conn = conns[c];
		s->crtc = crtcs[0];
		return;
	}
	errno = ENODEV;
	die("no connected connector");
}

/* Put a dumb buffer on the screen and map it. */
static uint32_t *show_dumb(int fd, struct screen *s)
{
	struct drm_mode_create_dumb create = { 0 };
	struct drm_mode_fb_cmd fb = { 0 };
	struct drm_mode_crtc crtc = { 0 };
	struct drm_mode_map_dumb map = { 0 };
	void *p;

	find_output(fd, s);
	create.width = s->mode.hdisplay;
	create.height = s->mode.vdisplay;
	create.bpp = 32;
	xioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create, "CREATE_DUMB");
	s->width = create.width;
	s->height = create.height;
	s->pitch = create.pitch;
	s->size = create.size;
	s->handle = create.handle;

	fb.width = s->width;
	fb.height = s->height;
	fb.pitch = s->pitch;
	fb.bpp = 32;
	fb.depth = 24;
	fb.handle = s->handle;
	xioctl(fd, DRM_IOCTL_MODE_ADDFB, &fb, "ADDFB");
	s->fb = fb.fb_id;

	crtc.crtc_id = s->crtc;
	crtc.fb_id = s->fb;
	crtc.set_connectors_ptr = (uintptr_t)&s->conn;
	crtc.count_connectors = 1;
	crtc.mode = s->mode;
	crtc.mode_valid = 1;
	xioctl(fd, DRM_IOCTL_MODE_SETCRTC, &crtc, "SETCRTC");

	map.handle = s->handle;
	xioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map, "MAP_DUMB");
	p = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, map.offset);
	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void write_pattern(volatile uint32_t *map, uint64_t words, unsigned int phase)
{
	uint64_t i;

	for (i = 0; i < words; i++)
		map[i] = pattern_pixel(i, phase);
}

/*
 * Tell the driver the whole framebuffer changed. A driver that scans out
 * of the dumb buffer itself has no dirty callback and answers ENOSYS.
 */
static void flush_fb(int fd, const struct screen *s)
{
	struct drm_mode_fb_dirty_cmd dirty = { .fb_id = s->fb };

	if (ioctl(fd, DRM_IOCTL_MODE_DIRTYFB, &dirty) && errno != ENOSYS)
		die("DIRTYFB");
}

static uint64_t verify_pattern(volatile uint32_t *map, uint64_t words, unsigned int phase)
{
	uint64_t i, errors = 0;

	for (i = 0; i < words; i++)
		if ((map[i] & 0xffffff) != pattern_pixel(i, phase))
			errors++;
	return errors;
}

/* The reader thread's view of the mapping and what it measured. */
static volatile uint32_t *reader_map;
static uint64_t reader_words;
static pthread_mutex_t reader_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t reader_max_us, reader_reads;

static void *reader(void *arg)
{
	uint64_t i = 0, t0, dt;
	uint32_t sink = 0;

	for (;;) {
		t0 = now_us();
		sink += reader_map[i];
		dt = now_us() - t0;
		pthread_mutex_lock(&reader_lock);
		if (dt > reader_max_us)
			reader_max_us = dt;
		reader_reads++;
		pthread_mutex_unlock(&reader_lock);
		i = (i + 1024) % reader_words;
	}
	return (void *)(uintptr_t)sink;
}

static int run_card(const char *card)
{
	struct screen s = { 0 };
	unsigned int phase = 0;
	pthread_t thread;
	uint32_t *map;
	sigset_t set;
	int fd, sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	fd = open(card, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(card);
	map = show_dumb(fd, &s);
	write_pattern(map, s.size / 4, phase);
	flush_fb(fd, &s);
	reader_map = map;
	reader_words = s.size / 4;
	if (pthread_create(&thread, NULL, reader, NULL))
		die("pthread_create");
	printf("ready %ux%u pitch %u\n", s.width, s.height, s.pitch);
	fflush(stdout);

	for (;;) {
		uint64_t errors, max_us, reads;

		if (sigwait(&set, &sig))
			die("sigwait");
		if (sig == SIGTERM)
			return 0;
		errors = verify_pattern(map, s.size / 4, phase);
		write_pattern(map, s.size / 4, phase + 1);
		flush_fb(fd, &s);
		pthread_mutex_lock(&reader_lock);
		max_us = reader_max_us;
		reads = reader_reads;
		reader_max_us = 0;
		reader_reads = 0;
		pthread_mutex_unlock(&reader_lock);
		printf("phase %u errors %llu stall_us %llu reads %llu\n", phase,
		       (unsigned long long)errors, (unsigned long long)max_us,
		       (unsigned long long)reads);
		fflush(stdout);
		phase++;
	}
}

static int run_fbdev(const char *path, unsigned int phase)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	uint32_t *buf;
	uint64_t words, i;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(path);
	xioctl(fd, FBIOGET_VSCREENINFO, &var, "FBIOGET_VSCREENINFO");
	xioctl(fd, FBIOGET_FSCREENINFO, &fix, "FBIOGET_FSCREENINFO");
	if (var.bits_per_pixel != 32) {
		errno = EINVAL;
		die("not 32 bits per pixel");
	}
	words = (uint64_t)fix.line_length * var.yres / 4;
	buf = malloc(words * 4);
	if (!buf)
		die("malloc");
	for (i = 0; i < words; i++)
		buf[i] = pattern_pixel(i, phase);
	if (pwrite(fd, buf, words * 4, 0) != (ssize_t)(words * 4))
		die("write");
	printf("fbdev %ux%u pitch %u\n", var.xres, var.yres, fix.line_length);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--fbdev"))
		return run_fbdev(argv[2], atoi(argv[3]));
	if (argc == 2)
		return run_card(argv[1]);
	fprintf(stderr, "usage: drm-dumb-move CARD | drm-dumb-move --fbdev FB PHASE\n");
	return 2;
}
