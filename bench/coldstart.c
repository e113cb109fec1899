/*
 * coldstart RUNS PROGRAM [ARGS...]
 *
 * Runs PROGRAM RUNS times; each time measures from just before fork+exec
 * to the moment a line containing "serving" arrives on its standard
 * output, records its VmRSS then, and stops it with SIGTERM (waiting for it
 * to exit before the next run).  Prints "name value unit" lines: the
 * median, min and max start time in ms and the median VmRSS in kB.
 * Gives up on a run after 10 s.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static long
vmrss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

int
main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[1]) : 0;
	double *ms, *rss;

	if (runs < 1 || runs > 1000) {
		fputs("usage: coldstart RUNS PROGRAM [ARGS...]\n", stderr);
		return 2;
	}
	ms = calloc((size_t)runs, sizeof(*ms));
	rss = calloc((size_t)runs, sizeof(*rss));
	for (int k = 0; k < runs; k++) {
		int fd[2], status;
		char buf[4096];
		size_t have = 0;
		pid_t pid;
		double t0, t1 = -1;

		if (pipe(fd) != 0)
			return 1;
		t0 = now_ms();
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			dup2(fd[1], 1);
			close(fd[0]);
			close(fd[1]);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		close(fd[1]);
		while (t1 < 0) {
			struct pollfd p = {fd[0], POLLIN, 0};
			ssize_t n;

			if (poll(&p, 1, 10000) <= 0)
				break;
			n = read(fd[0], buf + have, sizeof(buf) - 1 - have);
			if (n <= 0)
				break;
			have += (size_t)n;
			buf[have] = '\0';
			if (strstr(buf, "serving") != NULL &&
			    strchr(strstr(buf, "serving"), '\n') != NULL)
				t1 = now_ms();
			if (have == sizeof(buf) - 1)
				have = 0;
		}
		if (t1 < 0) {
			fprintf(stderr, "coldstart: run %d did not serve\n", k);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
		ms[k] = t1 - t0;
		rss[k] = (double)vmrss_kb(pid);
		kill(pid, SIGTERM);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		close(fd[0]);
	}
	qsort(ms, (size_t)runs, sizeof(*ms), cmp_double);
	qsort(rss, (size_t)runs, sizeof(*rss), cmp_double);
	printf("coldstart_median %.1f ms\n",
	       runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2);
	printf("coldstart_min %.1f ms\n", ms[0]);
	printf("coldstart_max %.1f ms\n", ms[runs - 1]);
	printf("coldstart_rss_median %.0f kB\n", rss[runs / 2]);
	return 0;
}
