// SPDX-License-Identifier: GPL-2.0
/*
 * netsensor-bpf-loader: loads netsensor's attribution programs (netsensor.bpf.c) into the kernel and
 * streams their records to the agent on stdout, each as [u32 length][record] (records.h).
 *
 * A helper process rather than code inside the JVM: a fault here cannot take capture down, its CPU is
 * measured on its own, and it is the only part that uses CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (which it
 * inherits as ambient capabilities: installer/CAPABILITIES.md). It stops when the agent
 * goes away (stdout closed, or the parent-death signal).
 *
 * stderr carries one human line when it cannot load ("netsensor-bpf: cannot load: ..."), which the agent
 * prints as the reason for falling back; libbpf's own messages go there only with NETSENSOR_BPF_DEBUG.
 * Exit codes: 0 stopped, 2 cannot load, 3 the agent went away.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "records.h"
#include "netsensor.skel.h"

static volatile sig_atomic_t stopping;
static int debug;
static char last_libbpf_error[512];
static char first_prog_error[512]; /* the first program the kernel refused: names the cause better than the last line */

static unsigned char out[1 << 16];
static size_t out_len;
static unsigned long long forwarded;

static void on_signal(int sig) { (void)sig; stopping = 1; }

/* libbpf's messages: kept as the reason when loading fails (the last warning names the cause). */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	if (level <= LIBBPF_WARN) {
		vsnprintf(last_libbpf_error, sizeof(last_libbpf_error), fmt, copy);
		size_t n = strlen(last_libbpf_error);
		while (n > 0 && (last_libbpf_error[n - 1] == '\n' || last_libbpf_error[n - 1] == ' '))
			last_libbpf_error[--n] = 0;
		if (!first_prog_error[0] && strstr(last_libbpf_error, "BPF program load failed"))
			snprintf(first_prog_error, sizeof(first_prog_error), "%s", last_libbpf_error);
	}
	va_end(copy);
	if (debug || level == LIBBPF_WARN && getenv("NETSENSOR_BPF_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static void flush_out(void)
{
	size_t off = 0;
	while (off < out_len) {
		ssize_t n = write(STDOUT_FILENO, out + off, out_len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			exit(3); /* the agent closed the pipe: nobody to report to */
		off += (size_t)n;
	}
	out_len = 0;
}

static void emit(const void *data, __u32 len)
{
	if (out_len + 4 + len > sizeof(out))
		flush_out();
	memcpy(out + out_len, &len, 4);
	memcpy(out + out_len + 4, data, len);
	out_len += 4 + len;
	forwarded++;
}

static int on_record(void *ctx, void *data, size_t len)
{
	(void)ctx;
	emit(data, (__u32)len);
	return 0;
}

static long long ns_of(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* realtime - boottime, taken as the tightest of a few readings (the pair must not straddle a preemption). */
static void emit_clock(void)
{
	struct ns_clock c = { .kind = NS_REC_CLOCK };
	long long best = -1;
	for (int i = 0; i < 5; i++) {
		long long b0 = ns_of(CLOCK_BOOTTIME), r = ns_of(CLOCK_REALTIME), b1 = ns_of(CLOCK_BOOTTIME);
		if (best < 0 || b1 - b0 < best) {
			best = b1 - b0;
			c.realtime_minus_boottime = r - (b0 + (b1 - b0) / 2);
		}
	}
	emit(&c, sizeof(c));
}

static void emit_stats(struct netsensor *skel, unsigned long long deduped_base)
{
	struct ns_stats s = { .kind = NS_REC_STATS };
	int ncpu = libbpf_num_possible_cpus();
	if (ncpu > 0 && ncpu <= 4096) {
		__u64 values[ncpu];
		for (__u32 k = 0; k < 2; k++) {
			if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.counters), &k, values))
				continue;
			__u64 sum = 0;
			for (int i = 0; i < ncpu; i++)
				sum += values[i];
			if (k == 0)
				s.ringbuf_drops = sum;
			else
				s.udp_deduped = sum - deduped_base;
		}
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	s.loader_cpu_ns = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL
		+ (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
	s.records = forwarded;
	emit(&s, sizeof(s));
}

/* Sends every socket some process already holds (the task_file iterator), before READY. */
static int send_existing(struct netsensor *skel)
{
	struct bpf_link *link = bpf_program__attach_iter(skel->progs.existing_sockets, NULL);
	if (!link)
		return -errno;
	int fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		bpf_link__destroy(link);
		return fd;
	}
	struct ns_socket r;
	size_t have = 0;
	for (;;) {
		ssize_t n = read(fd, (char *)&r + have, sizeof(r) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			continue; /* the iterator restarts a batch: read again */
		if (n <= 0)
			break;
		have += (size_t)n;
		if (have == sizeof(r)) {
			emit(&r, sizeof(r));
			have = 0;
		}
	}
	close(fd);
	bpf_link__destroy(link);
	return 0;
}

static struct netsensor *open_skel(bool with_accept)
{
	struct netsensor *skel = netsensor__open();
	if (!skel)
		return NULL;
	skel->rodata->ignore_tgid = (__u32)getpid();
	/* attached by hand: the iterator once after everything else, socket ops to the root cgroup */
	bpf_program__set_autoattach(skel->progs.existing_sockets, false);
	bpf_program__set_autoattach(skel->progs.tcp_connect_ops, false);
	if (!with_accept)
		bpf_program__set_autoload(skel->progs.accept_exit, false);
	return skel;
}

/*
 * The root of the cgroup v2 hierarchy, where the socket-ops program sees every socket. Where no cgroup2
 * is mounted (a v1-only host), one is mounted privately for as long as it takes to open it.
 */
static int open_cgroup2_root(void)
{
	FILE *m = fopen("/proc/self/mounts", "r");
	char line[4096], dir[4096];
	int fd = -1;
	if (m) {
		while (fgets(line, sizeof(line), m)) {
			char type[64];
			if (sscanf(line, "%*s %4095s %63s", dir, type) == 2 && strcmp(type, "cgroup2") == 0) {
				fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				if (fd >= 0)
					break;
			}
		}
		fclose(m);
	}
	if (fd >= 0)
		return fd;
	char tmp[] = "/tmp/netsensor-cgroup2.XXXXXX";
	if (!mkdtemp(tmp))
		return -errno;
	if (mount("none", tmp, "cgroup2", 0, NULL) != 0) {
		int e = errno;
		rmdir(tmp);
		return -e;
	}
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e = errno;
	umount2(tmp, MNT_DETACH);
	rmdir(tmp);
	return fd >= 0 ? fd : -e;
}

/*
 * The capabilities the programs need that this process lacks, as "CAP_X, CAP_Y" (empty when none is
 * missing). Loading needs CAP_BPF and CAP_PERFMON (tracing programs, reading kernel memory) and
 * CAP_NET_ADMIN (the socket-ops program type is a networking one, and it is attached to a cgroup);
 * CAP_SYS_ADMIN stands for all three (and is what kernels before 5.8, without CAP_BPF, need).
 */
static void missing_caps(char *out, size_t len)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	out[0] = 0;
	if (syscall(SYS_capget, &h, d) != 0)
		return;
	unsigned long long eff = (unsigned long long)d[0].effective | (unsigned long long)d[1].effective << 32;
	if (eff & (1ULL << 21 /* CAP_SYS_ADMIN */))
		return;
	static const struct { int bit; const char *name; } need[] = {
		{ 39, "CAP_BPF" }, { 38, "CAP_PERFMON" }, { 12, "CAP_NET_ADMIN" },
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (eff & (1ULL << need[i].bit))
			continue;
		size_t n = strlen(out);
		snprintf(out + n, len - n, "%s%s", n ? ", " : "", need[i].name);
	}
}

static int fail(const char *what, int err)
{
	const char *detail = first_prog_error[0] ? first_prog_error
		: last_libbpf_error[0] ? last_libbpf_error : strerror(err < 0 ? -err : err);
	char missing[128];
	missing_caps(missing, sizeof(missing));
	if (missing[0])
		fprintf(stderr, "netsensor-bpf: cannot load: %s: %s (missing %s; kernel attribution needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)\n",
			what, detail, missing);
	else
		fprintf(stderr, "netsensor-bpf: cannot load: %s: %s\n", what, detail);
	return 2;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	debug = getenv("NETSENSOR_BPF_DEBUG") != NULL && strcmp(getenv("NETSENSOR_BPF_DEBUG"), "2") == 0;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return 3;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	libbpf_set_print(libbpf_print);

	int cgroup_fd = open_cgroup2_root();
	if (cgroup_fd < 0)
		return fail("cgroup v2", -cgroup_fd);
	struct netsensor *skel = open_skel(true);
	if (!skel)
		return fail("open", errno);
	int err = netsensor__load(skel);
	if (err) {
		/* BPF trampolines (fexit) are refused by some kernels: without the accept hook an inbound
		 * connection is attributed to the listener's owner, which is all the rest needs. */
		char first[sizeof(last_libbpf_error)];
		snprintf(first, sizeof(first), "%s", last_libbpf_error);
		first_prog_error[0] = 0; /* the accept hook's refusal is expected here: what the retry refuses is the cause */
		netsensor__destroy(skel);
		skel = open_skel(false);
		if (!skel)
			return fail("open", errno);
		if (netsensor__load(skel)) {
			snprintf(last_libbpf_error, sizeof(last_libbpf_error), "%s", first);
			return fail("load", err);
		}
		fprintf(stderr, "netsensor-bpf: accept hook unavailable (BPF trampolines refused): inbound connections are attributed to the listening process\n");
	}
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!rb)
		return fail("ring buffer", errno);
	err = netsensor__attach(skel);
	if (err)
		return fail("attach", err);
	struct bpf_link *connect_link = bpf_program__attach_cgroup(skel->progs.tcp_connect_ops, cgroup_fd);
	if (!connect_link)
		return fail("attach to the root cgroup", errno);
	emit_clock();
	err = send_existing(skel);
	if (err)
		fprintf(stderr, "netsensor-bpf: sockets opened before start are not attributed (iterator: %s)\n", strerror(-err));
	__u32 ready = NS_REC_READY;
	__u32 ready_rec[2] = { ready, 0 };
	emit(ready_rec, sizeof(ready_rec));
	flush_out();

	long long next_tick = ns_of(CLOCK_MONOTONIC);
	while (!stopping) {
		/* wakes when the programs wake it (at once on a quiet host, at most every 2 ms on a busy one) or
		 * after 10 ms, which also paces the clock/stats ticks */
		err = ring_buffer__poll(rb, 10);
		if (err < 0 && err != -EINTR)
			break;
		/* records the programs submitted without waking us (see submit() in netsensor.bpf.c) */
		err = ring_buffer__consume(rb);
		if (err < 0 && err != -EINTR)
			break;
		long long now = ns_of(CLOCK_MONOTONIC);
		if (now >= next_tick) {
			emit_clock();
			emit_stats(skel, 0);
			next_tick = now + 1000000000LL;
		}
		if (out_len > 0)
			flush_out();
		if (getppid() == 1)
			break; /* the agent died before the parent-death signal was armed */
	}
	ring_buffer__free(rb);
	bpf_link__destroy(connect_link);
	netsensor__destroy(skel);
	return 0;
}
