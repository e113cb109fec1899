#include "base/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t
time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
time_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
time_format_ms(int64_t ms, char out[TIME_RFC3339_LEN])
{
	time_t secs = (time_t)(ms / 1000);
	int milli = (int)(ms % 1000);
	struct tm tm;

	if (milli < 0) {
		milli += 1000;
		secs -= 1;
	}
	gmtime_r(&secs, &tm);
	/* "YYYY-MM-DDTHH:MM:SS" is 19 bytes for years 0..9999. */
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999 ||
	    strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm) != 19) {
		memcpy(out, "0000-00-00T00:00:00.000Z", TIME_RFC3339_LEN);
		return;
	}
	out[19] = '.';
	out[20] = (char)('0' + milli / 100);
	out[21] = (char)('0' + milli / 10 % 10);
	out[22] = (char)('0' + milli % 10);
	out[23] = 'Z';
	out[24] = '\0';
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int
time_check_date(const char *s)
{
	size_t len = strlen(s);
	int y, m, d;

	if (len != 4 && len != 7 && len != 10)
		return -1;
	if (digits(s, 4, &y) != 0 || y < 1900 || y > 2200)
		return -1;
	if (len == 4)
		return 0;
	if (s[4] != '-' || digits(s + 5, 2, &m) != 0 || m < 1 || m > 12)
		return -1;
	if (len == 7)
		return 0;
	if (s[7] != '-' || digits(s + 8, 2, &d) != 0 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	return 0;
}

int
time_parse_ms(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec, milli = 0, off = 0;
	struct tm tm;
	const char *p;
	time_t t;

	if (strlen(s) < 20)
		return -1;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		int n = 0;

		p++;
		while (isdigit((unsigned char)*p)) {
			if (n < 3)
				milli = milli * 10 + (*p - '0');
			n++;
			p++;
		}
		if (n == 0)
			return -1;
		for (; n < 3; n++)
			milli *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;

		if (digits(p + 1, 2, &oh) || p[3] != ':' ||
		    digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = (oh * 60 + om) * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	*ms = ((int64_t)t - (int64_t)off * 60) * 1000 + milli;
	return 0;
}
