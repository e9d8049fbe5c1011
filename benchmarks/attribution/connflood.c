// A TCP connect flood and its server, for benchmarks/attribution-overhead.sh.
//
//   connflood serve ADDR PORT
//       accepts and closes connections, forever (run it in the benchmark's network namespace)
//   connflood connect ADDR PORT RATE SECONDS THREADS
//       opens RATE new connections per second for SECONDS, spread over THREADS threads, each connected
//       and then reset at once (SO_LINGER 0: no TIME_WAIT, so ephemeral ports never run out); prints one
//       line: "connections N failed F seconds S rate R"
//
// Paced, not flat out: each thread keeps a schedule of RATE/THREADS connections a second; one that falls
// behind (a busy machine) connects back to back until it has caught up, and the line says what was reached.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in dest;
static double rate_per_thread, seconds;
static long done_total, failed_total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void *flood(void *arg)
{
	(void)arg;
	long done = 0, failed = 0;
	double start = now(), end = start + seconds;
	for (long k = 0;; k++) {
		double due = start + k / rate_per_thread, t = now();
		if (due >= end || t >= end)
			break;
		if (due > t) {
			struct timespec ts = { (time_t)(due - t), (long)((due - t - (time_t)(due - t)) * 1e9) };
			nanosleep(&ts, NULL);
		}
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			failed++;
			continue;
		}
		struct linger lg = { 1, 0 };
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		if (connect(fd, (struct sockaddr *)&dest, sizeof(dest)) == 0)
			done++;
		else
			failed++;
		close(fd);
	}
	pthread_mutex_lock(&lock);
	done_total += done;
	failed_total += failed;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int serve(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s < 0 || bind(s, (struct sockaddr *)&dest, sizeof(dest)) || listen(s, 4096)) {
		perror("connflood serve");
		return 1;
	}
	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
		if (c >= 0)
			close(c);
		else if (errno != EINTR && errno != ECONNABORTED && errno != EMFILE && errno != ENFILE)
			return 1;
	}
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: connflood serve ADDR PORT | connflood connect ADDR PORT RATE SECONDS THREADS\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&dest, 0, sizeof(dest));
	dest.sin_family = AF_INET;
	dest.sin_port = htons((unsigned short)atoi(argv[3]));
	if (inet_pton(AF_INET, argv[2], &dest.sin_addr) != 1) {
		fprintf(stderr, "connflood: not an IPv4 address: %s\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[1], "serve") == 0)
		return serve();
	if (strcmp(argv[1], "connect") != 0 || argc < 7) {
		fprintf(stderr, "usage: connflood connect ADDR PORT RATE SECONDS THREADS\n");
		return 2;
	}
	double rate = atof(argv[4]);
	seconds = atof(argv[5]);
	int threads = atoi(argv[6]);
	if (rate <= 0 || seconds <= 0 || threads < 1 || threads > 64) {
		fprintf(stderr, "connflood: bad rate, seconds or threads\n");
		return 2;
	}
	rate_per_thread = rate / threads;
	pthread_t t[64];
	double start = now();
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, flood, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	double took = now() - start;
	printf("connections %ld failed %ld seconds %.2f rate %.0f\n", done_total, failed_total, took, done_total / took);
	return 0;
}
