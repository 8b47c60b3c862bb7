/*
 * t_parse.c: unit tests of the request head parser (src/parse.c).
 * Every valid request is also fed as each of its prefixes, each in a
 * buffer of exactly that size, so that an over-read or a premature
 * verdict shows.
 */
#include <stdlib.h>

#include "http.h"
#include "tap.h"

static struct conf c;
static struct req r;

static enum status
parse(const char *s)
{
	size_t n = strlen(s);
	char *b = malloc(n ? n : 1);
	enum status st;

	memcpy(b, s, n);
	st = http_parse(b, n, &c, &r);
	free(b);
	return st;
}

/* parse keeping the buffer alive, so that spans can be checked */
static char *held;

static enum status
hold(const char *s)
{
	size_t n = strlen(s);

	free(held);
	held = malloc(n ? n : 1);
	memcpy(held, s, n);
	return http_parse(held, n, &c, &r);
}

/* every proper prefix is incomplete, the whole is complete */
static int
prefixes(const char *s)
{
	size_t n = strlen(s), k;
	char *b;
	enum status st;

	for (k = 0; k < n; k++) {
		b = malloc(k ? k : 1);
		memcpy(b, s, k);
		st = http_parse(b, k, &c, &r);
		free(b);
		if (st != S_NONE)
			return 0;
	}
	return parse(s) == S_OK && r.headlen == n;
}

static void
request_line(void)
{
	ok(hold("GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK, "simple GET");
	ok(r.m == M_GET && r.minor == 1, "method and version");
	ok(is_span(r.path, "/a/b") && is_span(r.query, "x=1"), "path and query");
	ok(is_span(r.host, "h"), "host");
	ok(r.keepalive, "HTTP/1.1 persists by default");
	ok(parse("HEAD / HTTP/1.0\r\n\r\n") == S_OK && r.m == M_HEAD && r.minor == 0,
	    "HTTP/1.0 needs no Host");
	ok(!r.keepalive, "HTTP/1.0 closes by default");
	ok(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") == S_OK &&
	    r.keepalive, "HTTP/1.0 keep-alive");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n") == S_OK &&
	    !r.keepalive, "Connection: close in a list");
	ok(parse("GET / HTTP/1.5\r\nHost: h\r\n\r\n") == S_OK && r.minor == 1,
	    "HTTP/1.5 is served as 1.1");
	ok(parse("GET / HTTP/2.0\r\n\r\n") == S_VERSION, "HTTP/2.0 is 505");
	ok(parse("GET / HTTP/0.9\r\n\r\n") == S_VERSION, "HTTP/0.9 is 505");
	ok(parse("HEAD / HTTP/2.0\r\n\r\n") == S_VERSION && r.m == M_HEAD,
	    "a HEAD answered 505 is known as HEAD");
	ok(parse("HEAD /\x01 HTTP/1.1\r\n\r\n") == S_BAD_REQUEST && r.m == M_HEAD,
	    "a HEAD answered 400 for its target is known as HEAD");
	ok(parse("HEADX / HTTP/1.0\r\n\r\n") == S_OK && r.m == M_UNKNOWN,
	    "a method that begins with HEAD is not HEAD");
	ok(parse("GET / HTTP/1\r\n\r\n") == S_BAD_REQUEST, "HTTP/1 is 400");
	ok(parse("GET / http/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "lowercase version is 400");
	ok(parse("GET / HTTP/1.10\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "two-digit minor is 400");
	ok(parse("GET /\r\n\r\n") == S_BAD_REQUEST, "no version is 400");
	ok(parse("GET  / HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "double space is 400");
	ok(parse("GET / HTTP/1.1 \r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "trailing space is 400");
	ok(parse("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST, "tab is 400");
	ok(parse(" GET / HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "leading space is 400");
	ok(parse("G(T / HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "non-token method is 400");
	ok(parse("get / HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK && r.m == M_UNKNOWN,
	    "methods are case-sensitive");
	ok(parse("BREW / HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK && r.m == M_UNKNOWN,
	    "unknown token method parses");
	ok(parse("GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "DEL in target is 400");
	ok(parse("GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "raw UTF-8 in target is 400");
	ok(parse("GET x HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "relative target is 400");
	ok(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK, "OPTIONS *");
	ok(parse("GET * HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST, "GET * is 400");
	ok(parse("GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "a fragment in the target is 400");
	ok(hold("GET http://example.org:8080/p?q HTTP/1.1\r\nHost: other\r\n\r\n") == S_OK &&
	    is_span(r.host, "example.org:8080") && is_span(r.path, "/p") &&
	    is_span(r.query, "q"), "absolute-form overrides Host");
	ok(hold("GET http://example.org HTTP/1.1\r\nHost: x\r\n\r\n") == S_OK &&
	    is_span(r.path, "/"), "absolute-form with an empty path");
	ok(parse("GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "userinfo in absolute-form is 400");
	ok(parse("GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST &&
	    parse("GET http://:80/x HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "absolute-form with an empty host, with or without a port, is 400");
	ok(hold("\r\n\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK && r.m == M_GET,
	    "leading empty lines skipped");
	ok(parse("GET / HTTP/1.1\nHost: h\n\n") == S_OK, "bare LF line ends");
	ok(parse("GET / HTTP/1.1\rHost: h\r\n\r\n") == S_BAD_REQUEST, "bare CR is 400");
}

static void
fields(void)
{
	ok(parse("GET / HTTP/1.1\r\n\r\n") == S_BAD_REQUEST, "HTTP/1.1 without Host");
	ok(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == S_BAD_REQUEST,
	    "two Host fields");
	ok(parse("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n") == S_BAD_REQUEST,
	    "two Host fields in HTTP/1.0");
	ok(parse("GET / HTTP/1.1\r\nHost: a b\r\n\r\n") == S_BAD_REQUEST,
	    "space in Host");
	ok(parse("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n") == S_BAD_REQUEST,
	    "slash in Host");
	ok(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n") == S_OK, "empty Host is allowed");
	ok(parse("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n") == S_OK, "IPv6 Host");
	ok(parse("GET / HTTP/1.1\r\nHost: a.b:\r\n\r\n") == S_OK, "an empty port");
	ok(parse("GET / HTTP/1.1\r\nHost: x%41.org\r\n\r\n") == S_OK, "pct-encoded reg-name");
	ok(parse("GET / HTTP/1.1\r\nHost: x:abc\r\n\r\n") == S_BAD_REQUEST,
	    "a port that is no number");
	ok(parse("GET / HTTP/1.1\r\nHost: a:1:2\r\n\r\n") == S_BAD_REQUEST, "two ports");
	ok(parse("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n") == S_BAD_REQUEST,
	    "an unclosed IP-literal");
	ok(parse("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n") == S_BAD_REQUEST,
	    "a byte after the IP-literal");
	ok(parse("GET / HTTP/1.1\r\nHost: []\r\n\r\n") == S_BAD_REQUEST, "an empty IP-literal");
	ok(parse("GET / HTTP/1.1\r\nHost: a]b\r\n\r\n") == S_BAD_REQUEST, "a stray bracket");
	ok(parse("GET / HTTP/1.1\r\nHost: x%zz\r\n\r\n") == S_BAD_REQUEST, "a bad escape");
	ok(parse("GET http://h:x/ HTTP/1.1\r\nHost: h\r\n\r\n") == S_BAD_REQUEST,
	    "absolute form: the same rule");
	ok(parse("GET / HTTP/1.1\r\nHost : h\r\n\r\n") == S_BAD_REQUEST,
	    "space before colon");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n") == S_BAD_REQUEST,
	    "obs-fold");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\nNo colon\r\n\r\n") == S_BAD_REQUEST,
	    "field without colon");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n") == S_BAD_REQUEST,
	    "empty field name");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n") == S_BAD_REQUEST,
	    "CTL in value");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n") == S_BAD_REQUEST,
	    "CR in value");
	{
		const char s[] = "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n";

		ok(http_parse(s, sizeof(s) - 1, &c, &r) == S_BAD_REQUEST, "NUL in value");
	}
	ok(hold("GET / HTTP/1.1\r\nHost: h\r\nX-A: \t v \t\r\n\r\n") == S_OK &&
	    http_field(&r, "x-a") && is_span(*http_field(&r, "X-a"), "v"),
	    "OWS trimmed, names case-insensitive");
	ok(hold("GET / HTTP/1.1\r\nHost: h\r\nX: caf\xc3\xa9\r\n\r\n") == S_OK,
	    "obs-text in a value is allowed");
	ok(hold("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=1-2\r\nIf-None-Match: \"x\"\r\n"
	    "Accept-Encoding: gzip\r\n\r\n") == S_OK && is_span(r.range, "bytes=1-2") &&
	    is_span(r.if_none_match, "\"x\"") && is_span(r.accept_enc, "gzip"),
	    "fields the decision reads");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n") == S_OK &&
	    r.expect100, "Expect: 100-continue");
	ok(parse("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n") == S_OK &&
	    !r.expect100, "Expect: 100-continue on HTTP/1.0 is ignored");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\nExpect: tea\r\n\r\n") ==
	    S_EXPECTATION_FAILED, "other expectations are 417");
}

static void
framing(void)
{
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n") == S_OK &&
	    r.clen == 12 && !r.chunked, "Content-Length");
	ok(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n") == S_OK && r.clen == -1,
	    "no Content-Length");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n") == S_OK &&
	    r.clen == 5, "a list of equal lengths");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")
	    == S_OK && r.clen == 5, "repeated equal lengths");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")
	    == S_BAD_REQUEST, "differing lengths");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n") == S_BAD_REQUEST,
	    "signed length");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x5\r\n\r\n") == S_BAD_REQUEST,
	    "hex length");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n") == S_BAD_REQUEST,
	    "empty length");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n")
	    == S_BAD_REQUEST, "length overflow");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 16777217\r\n\r\n") ==
	    S_CONTENT_TOO_LARGE, "length over the body limit is 413");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n") == S_OK &&
	    r.chunked && r.keepalive, "chunked");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n") == S_OK &&
	    r.chunked, "codings are case-insensitive");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Length: 5\r\n\r\n") == S_BAD_REQUEST, "TE with CL");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n")
	    == S_BAD_REQUEST, "chunked not final");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n") == S_BAD_REQUEST, "chunked twice");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
	    == S_NOT_IMPLEMENTED, "unknown coding is 501");
	ok(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n")
	    == S_BAD_REQUEST, "only an unknown coding");
	ok(parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == S_BAD_REQUEST,
	    "TE in HTTP/1.0");
}

static void
limits(void)
{
	char big[20000];
	size_t i, k;

	c.max_line = 100;
	memset(big, 0, sizeof(big));
	memcpy(big, "GET /", 5);
	memset(big + 5, 'a', 200);
	ok(parse(big) == S_URI_TOO_LONG, "long incomplete request line is 414");
	memcpy(big, "HEAD ", 5);
	ok(parse(big) == S_URI_TOO_LONG && r.m == M_HEAD,
	    "a HEAD whose line is too long is known as HEAD");
	memcpy(big, "GET /", 5);
	strcat(big, " HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(parse(big) == S_URI_TOO_LONG, "long complete request line is 414");
	/* a line of just max_line bytes whose LF has not come yet */
	memset(big, 0, sizeof(big));
	memcpy(big, "GET /", 5);
	memset(big + 5, 'a', 100 - 5 - 9);
	strcat(big, " HTTP/1.1\r");
	ok(parse(big) == S_NONE, "a request line of max_line bytes and its CR waits for the LF");
	strcat(big, "\nHost: h\r\n\r\n");
	ok(parse(big) == S_OK, "a request line of max_line bytes is taken");
	big[100] = 'x';
	big[101] = '\0';
	ok(parse(big) == S_URI_TOO_LONG, "max_line bytes and one more, incomplete, is 414");
	c.max_line = HTTP_MAX_LINE;

	c.max_head = 300;
	k = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: h\r\n");
	for (i = 0; i < 20; i++)
		k += (size_t)snprintf(big + k, sizeof(big) - k, "X-%zu: 0123456789\r\n", i);
	ok(parse(big) == S_FIELDS_TOO_LARGE, "incomplete head over the limit is 431");
	strcat(big, "\r\n");
	ok(parse(big) == S_FIELDS_TOO_LARGE, "complete head over the limit is 431");
	c.max_head = HTTP_MAX_HEAD;
	ok(parse(big) == S_OK, "the same head under the default limit");
	c.max_fields = 10;
	ok(parse(big) == S_FIELDS_TOO_LARGE, "too many fields is 431");
	conf_default(&c);
	c.max_head = 300;
	memset(big, '\n', 400);
	big[400] = '\0';
	ok(parse(big) == S_FIELDS_TOO_LARGE, "endless empty lines are bounded");
	conf_default(&c);
}

static void
splits(void)
{
	ok(prefixes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), "minimal request, every prefix");
	ok(prefixes("\r\nGET /x?y HTTP/1.0\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n"),
	    "leading CRLF, every prefix");
	ok(prefixes("GET / HTTP/1.1\nHost: h\nX: y\n\n"), "bare LF, every prefix");
	ok(prefixes("POST /f HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Type: text/plain\r\n\r\n"), "chunked head, every prefix");
	ok(hold("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n") ==
	    S_OK && r.headlen == 28 && is_span(r.path, "/a"),
	    "pipelined: the first head ends where the second starts");
}

int
main(void)
{
	conf_default(&c);
	request_line();
	fields();
	framing();
	limits();
	splits();
	free(held);
	return tap_done();
}
