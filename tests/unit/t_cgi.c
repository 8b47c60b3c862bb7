/*
 * t_cgi.c: unit tests of the pure CGI parts: the environment (cgienv.c),
 * the header block parser (cgihead.c) and the routing of respond() to
 * programs, against the in-memory tree of fakefs.h.
 */
#include <stdlib.h>

#include "http.h"
#include "fakefs.h"
#include "tap.h"

static struct conf c;
static struct req r;
static struct resp rs;
static struct buf env;
static char *raw;

static void
request(const char *s)
{
	size_t n = strlen(s);

	free(raw);
	raw = malloc(n);
	memcpy(raw, s, n);
	if (http_parse(raw, n, &c, &r) != S_OK)
		ok(0, "request parses: %s", s);
	resp_free(&rs, &fakefs);
	respond(&r, &c, &fakefs, 1800000000, &rs);
}

/* the value of NAME in the built environment, or NULL */
static const char *
get(const char *name, int n)
{
	const char *p = env.p;
	size_t k = strlen(name);
	int i;

	for (i = 0; i < n; i++, p += strlen(p) + 1)
		if (strncmp(p, name, k) == 0 && p[k] == '=')
			return p + k + 1;
	return NULL;
}

static int proxied;	/* -s: behind a TLS proxy */
static int gathered;	/* a chunked body decoded whole, of body_len bytes */
static uint64_t body_len;

static int
build(void)
{
	struct cgivars v = { "10.0.0.1", "4242", "127.0.0.1", "8080", "/srv/www",
	    "/srv/cgi-bin/echo", proxied, proxied, gathered, body_len };

	buf_free(&env);
	return cgi_env(&r, &rs, &v, &env);
}

static int
eq(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static void
routing(void)
{
	request("GET /cgi-bin/echo HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.b == B_CGI && strcmp(rs.path, "echo") == 0 && !rs.cgi_docroot,
	    "/cgi-bin/NAME is a program of the CGI directory");
	ok(strcmp(rs.script_name, "/cgi-bin/echo") == 0 && rs.path_info[0] == '\0',
	    "SCRIPT_NAME, no PATH_INFO");
	request("POST /cgi-bin/echo/a/b%20c?x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
	ok(rs.b == B_CGI && strcmp(rs.path_info, "/a/b c") == 0,
	    "any method; PATH_INFO is decoded");
	request("GET /cgi-bin/echo/ HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.b == B_CGI && strcmp(rs.path_info, "/") == 0, "a trailing '/' is PATH_INFO");
	request("GET /cgi-bin/echo/../../hello.txt HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.b != B_CGI && rs.s == S_OK, "dot segments resolve before routing");
	request("GET /cgi-bin/echo/.git HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_NOT_FOUND, "no dotfile in PATH_INFO");
	request("GET /cgi-bin/missing HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_NOT_FOUND && rs.b != B_CGI, "a missing program is 404");
	request("GET /cgi-bin/readme.txt HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_FORBIDDEN, "a file that is not executable is 403");
	request("GET /cgi-bin/sub HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_FORBIDDEN, "a directory is 403");
	request("GET /cgi-bin/ HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_NOT_FOUND, "/cgi-bin/ alone is 404");
	request("GET /cgi-bin/nph-raw HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.b == B_CGI && rs.nph, "nph- programs");
	request("GET /product?a=12&b=60 HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.b == B_CGI && rs.cgi_docroot && strcmp(rs.path, "product.cgi") == 0 &&
	    strcmp(rs.script_name, "/product") == 0, "/product runs product.cgi");
	request("DELETE /product.cgi HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.b == B_CGI && strcmp(rs.script_name, "/product.cgi") == 0,
	    "so does /product.cgi, with any method");
	request("GET /plain.cgi HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_FORBIDDEN && rs.b == B_BYTES,
	    "a .cgi file that is not executable is 403, its source never sent");
	request("HEAD /plain.cgi HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_FORBIDDEN, "for HEAD too");
	request("GET /plain HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_NOT_FOUND, "nor is it found without its suffix");
	request("GET /product.cgi/ HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_NOT_FOUND && rs.b != B_CGI, "a trailing '/' runs no program: 404");
	request("GET /product/ HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_NOT_FOUND && rs.b != B_CGI, "without the suffix neither");
	c.cgisuffix = "";
	request("GET /plain.cgi HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.b == B_FILE, "-x '': a .cgi file is a plain file");
	request("GET /product HTTP/1.1\r\nHost: h\r\n\r\n");
	ok(rs.s == S_NOT_FOUND, "-x '' turns docroot programs off");
	c.cgisuffix = ".cgi";
	request("POST /hello.txt HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
	ok(rs.s == S_METHOD_NOT_ALLOWED, "static files still refuse POST");
	resp_free(&rs, &fakefs);
	ok(fake_open_handles == 0, "no handle left open");
}

static void
environment(void)
{
	int n;

	request("POST /cgi-bin/echo/x?a=1&b HTTP/1.1\r\nHost: Example.org:8080\r\n"
	    "Content-Length: 5\r\nContent-Type: text/plain\r\nX-Twice: 1\r\n"
	    "Proxy: http://evil/\r\nX_Under: no\r\nCookie: a=1\r\nx-twice: 2\r\n"
	    "Cookie: b=2\r\nAuthorization: Basic Zm9vOmJhcg==\r\n\r\n");
	n = build();
	ok(n > 20 && !env.oom, "an environment is built");
	ok(eq(get("GATEWAY_INTERFACE", n), "CGI/1.1"), "GATEWAY_INTERFACE");
	ok(eq(get("SERVER_NAME", n), "Example.org"), "SERVER_NAME has no port");
	ok(eq(get("SERVER_PORT", n), "8080"), "SERVER_PORT");
	ok(eq(get("SERVER_PROTOCOL", n), "HTTP/1.1"), "SERVER_PROTOCOL");
	ok(eq(get("REQUEST_METHOD", n), "POST"), "REQUEST_METHOD");
	ok(eq(get("REQUEST_URI", n), "/cgi-bin/echo/x?a=1&b"), "REQUEST_URI");
	ok(eq(get("SCRIPT_NAME", n), "/cgi-bin/echo"), "SCRIPT_NAME");
	ok(eq(get("SCRIPT_FILENAME", n), "/srv/cgi-bin/echo"), "SCRIPT_FILENAME");
	ok(eq(get("PATH_INFO", n), "/x") && eq(get("PATH_TRANSLATED", n), "/srv/www/x"),
	    "PATH_INFO and PATH_TRANSLATED");
	ok(eq(get("QUERY_STRING", n), "a=1&b"), "QUERY_STRING");
	ok(eq(get("REMOTE_ADDR", n), "10.0.0.1") && eq(get("REMOTE_PORT", n), "4242"),
	    "REMOTE_ADDR and REMOTE_PORT");
	ok(eq(get("CONTENT_LENGTH", n), "5") && eq(get("CONTENT_TYPE", n), "text/plain"),
	    "CONTENT_LENGTH and CONTENT_TYPE");
	ok(!get("HTTP_CONTENT_LENGTH", n) && !get("HTTP_CONTENT_TYPE", n),
	    "no HTTP_CONTENT_*");
	ok(eq(get("HTTP_X_TWICE", n), "1, 2"), "repeated fields joined");
	ok(eq(get("HTTP_COOKIE", n), "a=1; b=2"), "cookies joined with ';'");
	ok(eq(get("HTTP_HOST", n), "Example.org:8080"), "HTTP_HOST");
	ok(!get("HTTP_PROXY", n), "no HTTP_PROXY (httpoxy)");
	ok(!get("HTTP_X_UNDER", n), "names with '_' are dropped");
	ok(eq(get("AUTH_TYPE", n), "Basic"), "AUTH_TYPE");
	ok(eq(get("REDIRECT_STATUS", n), "200"), "REDIRECT_STATUS");
	ok(eq(get("PATH", n), "/usr/local/bin:/usr/bin:/bin"), "a fixed PATH");
	ok(!get("HTTPS", n), "no HTTPS without TLS");

	request("GET /cgi-bin/echo HTTP/1.0\r\n\r\n");
	n = build();
	ok(eq(get("QUERY_STRING", n), ""), "QUERY_STRING is always set");
	ok(!get("CONTENT_LENGTH", n) && !get("PATH_INFO", n), "no length, no PATH_INFO");
	ok(eq(get("SERVER_NAME", n), "127.0.0.1"), "SERVER_NAME without Host");
	request("POST /cgi-bin/echo HTTP/1.1\r\nHost: [::1]:80\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n");
	n = build();
	ok(!get("CONTENT_LENGTH", n), "a chunked body streamed has no CONTENT_LENGTH");
	gathered = 1;
	body_len = 12;
	n = build();
	ok(eq(get("CONTENT_LENGTH", n), "12"),
	    "a chunked body decoded whole has its length as CONTENT_LENGTH");
	ok(!get("HTTP_TRANSFER_ENCODING", n), "and no HTTP_TRANSFER_ENCODING");
	request("POST /cgi-bin/echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n");
	n = build();
	ok(eq(get("CONTENT_LENGTH", n), "5"), "Content-Length wins over a gathered length");
	gathered = 0;
	body_len = 0;
	request("POST /cgi-bin/echo HTTP/1.1\r\nHost: [::1]:80\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n");
	n = build();
	ok(eq(get("SERVER_NAME", n), "[::1]"), "an IPv6 SERVER_NAME keeps its brackets");
	request("GET http://a.example:81/cgi-bin/echo HTTP/1.1\r\nHost: evil.example\r\n\r\n");
	n = build();
	ok(eq(get("HTTP_HOST", n), "a.example:81") && eq(get("SERVER_NAME", n), "a.example"),
	    "an absolute-form target's host is HTTP_HOST, the Host field is ignored");
	request("GET /cgi-bin/echo HTTP/1.1\r\nHost: :80\r\n\r\n");
	n = build();
	ok(eq(get("SERVER_NAME", n), "127.0.0.1"), "a Host of only a port: SERVER_NAME is the local address");
	request("GET http://a.example/cgi-bin/echo HTTP/1.0\r\n\r\n");
	n = build();
	ok(eq(get("HTTP_HOST", n), "a.example"), "and HTTP_HOST is set without a Host field");
	resp_free(&rs, &fakefs);
}

static enum status
head(const char *s, struct cgihead *h)
{
	return cgi_head(s, strlen(s), h);
}

/* the port behind a TLS proxy: the socket's is the proxy's own */
static void
proxy_port(void)
{
	static const struct {
		const char *host, *port;
	} t[] = {
		{ "example.org:8443", "8443" }, { "example.org", "443" },
		{ "[::1]:4443", "4443" }, { "[::1]", "443" }, { "example.org:", "443" },
		{ "example.org:99999", "443" }, { "example.org:65535", "65535" },
		{ "example.org:0443443", "443" }, { "example.org:08443", "8443" },
		{ "[::1]:00080", "80" }, { "example.org:000", "0" },
	};
	char q[200];
	size_t i;
	int n;

	proxied = 1;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(q, sizeof(q), "GET /cgi-bin/echo HTTP/1.1\r\nHost: %s\r\n\r\n", t[i].host);
		request(q);
		n = build();
		ok(eq(get("SERVER_PORT", n), t[i].port), "-s, Host %s: SERVER_PORT %s",
		    t[i].host, t[i].port);
		ok(eq(get("HTTPS", n), "on"), "-s, Host %s: HTTPS on", t[i].host);
	}
	request("GET /cgi-bin/echo HTTP/1.0\r\n\r\n");
	n = build();
	ok(eq(get("SERVER_PORT", n), "443"), "-s, no Host: SERVER_PORT 443");
	proxied = 0;
	request("GET /cgi-bin/echo HTTP/1.1\r\nHost: example.org:8443\r\n\r\n");
	n = build();
	ok(eq(get("SERVER_PORT", n), "8080"), "without -s: the socket's port, whatever Host says");
}

static void
header_block(void)
{
	static struct cgihead h;
	char big[HTTP_CGI_HEAD + 64];

	ok(head("Content-Type: text/plain\n\nbody", &h) == S_OK && h.s == S_OK &&
	    h.headlen == 26 && h.ctype, "LF line ends");
	ok(strcmp(h.fields, "Content-Type: text/plain\r\n") == 0, "fields pass on with CRLF");
	ok(head("Content-Type: text/plain\r\n\r\n", &h) == S_OK && h.headlen == 28,
	    "CRLF line ends");
	ok(head("Content-Type: text/plain\n", &h) == S_NONE, "incomplete");
	ok(head("Status: 404 Not Here\nContent-Type: text/html\n\n", &h) == S_OK &&
	    h.s == S_NOT_FOUND && !strstr(h.fields, "Status"), "Status sets the status");
	ok(head("Status: 42\nContent-Type: text/html\n\n", &h) == S_BAD_GATEWAY,
	    "a bad Status");
	ok(head("Location: http://example.org/\n\n", &h) == S_OK && h.s == S_FOUND,
	    "Location alone is 302");
	ok(head("Status: 301\nLocation: /x\n\n", &h) == S_OK && h.s == S_MOVED &&
	    h.local == NULL, "Location with Status: the client's to follow");
	ok(head("Location: /a/b?c=d \n\nbody", &h) == S_OK && h.local != NULL &&
	    h.nlocal == 8 && memcmp(h.local, "/a/b?c=d", 8) == 0,
	    "a local path without Status is a local redirect (RFC 3875 6.2.2)");
	ok(head("Location: http://example.org/\n\n", &h) == S_OK && h.local == NULL,
	    "an absolute URI is not local");
	ok(head("Location: //example.org/\n\n", &h) == S_OK && h.local == NULL,
	    "nor is a network-path reference");
	ok(head("Content-Length: 12\nContent-Type: a/b\n\n", &h) == S_OK && h.clen == 12 &&
	    !strstr(h.fields, "Content-Length"), "Content-Length is taken");
	ok(head("Content-Length: 1x\nContent-Type: a/b\n\n", &h) == S_BAD_GATEWAY,
	    "a bad Content-Length");
	ok(head("Content-Length: 1\nContent-Length: 2\nContent-Type: a/b\n\n", &h) ==
	    S_BAD_GATEWAY, "two Content-Lengths");
	ok(head("Content-Type: a/b\nContent-Type: c/d\n\n", &h) == S_BAD_GATEWAY,
	    "two Content-Types");
	ok(head("Status: 200\nStatus: 404\nContent-Type: a/b\n\n", &h) == S_BAD_GATEWAY,
	    "two Status fields");
	ok(head("Location: /a\nLocation: /b\n\n", &h) == S_BAD_GATEWAY, "two Locations");
	ok(head("X-A: 1\n\nbody", &h) == S_BAD_GATEWAY && h.notype,
	    "a body without Content-Type is 502, and says so");
	ok(head("X-A: 1\nBad Name: 2\n\n", &h) == S_BAD_GATEWAY && !h.notype,
	    "a malformed block is not taken for one");
	ok(head("Content-Length: 5\nX-A: 1\n\n", &h) == S_BAD_GATEWAY,
	    "an announced body without Content-Type is 502");
	ok(head("Status: 202\nX-A: 1\n\n", &h) == S_OK && h.untyped && h.s == S_ACCEPTED,
	    "no Content-Type and no body yet: held, untyped");
	ok(head("Content-Type: a/b\n\n", &h) == S_OK && !h.untyped, "typed");
	ok(head("Content-Length: 0\n\n", &h) == S_OK && !h.untyped, "no body announced");
	ok(head("Status: 204\n\n", &h) == S_OK, "204 needs no Content-Type");
	ok(head("Status: 205\n\n", &h) == S_OK && !h.untyped && h.s == S_RESET_CONTENT,
	    "nor does 205 (RFC 9110 15.3.6: it has no content)");
	ok(head("Status: 418 Short and stout\nContent-Type: a/b\n\n", &h) == S_OK &&
	    h.s == 418 && strcmp(h.reason, "Short and stout") == 0,
	    "the reason phrase of Status is kept (RFC 3875 6.3.3)");
	ok(head("Status: 200\nContent-Type: a/b\n\n", &h) == S_OK && h.reason[0] == '\0',
	    "no reason phrase: none kept");
	memcpy(big, "Status: 299 ", 12);
	memset(big + 12, 'r', HTTP_REASON);
	snprintf(big + 12 + HTTP_REASON, sizeof(big) - 12 - HTTP_REASON,
	    "\nContent-Type: a/b\n\n");
	ok(head(big, &h) == S_OK && h.s == 299 && h.reason[0] == '\0',
	    "a reason phrase too long to keep: the server's own");
	ok(head("Status: 200 Fine\tthanks\nContent-Type: a/b\n\n", &h) == S_OK &&
	    strcmp(h.reason, "Fine\tthanks") == 0, "a tab in the phrase (RFC 9112 4)");
	ok(head("Status: 200 Fine\001\nContent-Type: a/b\n\n", &h) == S_BAD_GATEWAY,
	    "a control byte in the phrase is 502");
	ok(head("Content-Type: a/b\nConnection: close\nTransfer-Encoding: chunked\n"
	    "Server: x\n\n", &h) == S_OK && strcmp(h.fields, "Content-Type: a/b\r\n") == 0,
	    "hop-by-hop fields are dropped");
	ok(head("Content-Type: a/b\nX: a\rb\n\n", &h) == S_BAD_GATEWAY, "CR in a value");
	ok(head("Content-Type: a/b\nBad Name: x\n\n", &h) == S_BAD_GATEWAY,
	    "a bad field name");
	ok(head("Content-Type: a/b\n continued\n\n", &h) == S_BAD_GATEWAY, "obs-fold");
	memset(big, 'a', sizeof(big));
	memcpy(big, "X: ", 3);
	big[sizeof(big) - 1] = '\0';
	ok(head(big, &h) == S_BAD_GATEWAY, "an endless header block is 502");
}

static void
nph_status(void)
{
	ok(cgi_nph_status("HTTP/1.1 299 Raw\r\n", 18) == 299, "an nph- status line");
	ok(cgi_nph_status("HTTP/1.0 404\r\n", 14) == S_NOT_FOUND, "no reason phrase");
	ok(cgi_nph_status("HTTP/1.1 200", 12) == S_OK, "the code alone, so far");
	ok(cgi_nph_status("HTTP/1.1 20", 11) == S_NONE, "too little to tell");
	ok(cgi_nph_status("", 0) == S_NONE, "nothing yet");
	ok(cgi_nph_status("Content-Type: a/b\n\n", 19) == S_BAD_GATEWAY,
	    "a CGI header block is not a status line");
	ok(cgi_nph_status("HTTP/1.1 2000 x", 15) == S_BAD_GATEWAY, "four digits");
	ok(cgi_nph_status("HTTP/1.1 099 x", 14) == S_BAD_GATEWAY, "below 100");
	ok(cgi_nph_status("HTTP/1.1 600 x", 14) == S_BAD_GATEWAY, "above 599");
	ok(cgi_nph_status("HTTX", 4) == S_BAD_GATEWAY, "told at the first wrong byte");
}

int
main(void)
{
	rs.handle = -1;
	conf_default(&c);
	routing();
	environment();
	proxy_port();
	header_block();
	nph_status();
	buf_free(&env);
	free(raw);
	return tap_done();
}
