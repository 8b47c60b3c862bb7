#!/bin/sh
# product.cgi: the product of the numbers given as query parameters, as JSON.
#   /product?a=12&b=60&another=0.5
#   {"operation": "product", "operands": [12, 60, 0.5], "result": 360}
# Every parameter's value is an operand, in order; the names are free.
# Decimal numbers only (-1, 1e3, .5): no NaN, Inf or hex.  Errors are JSON
# objects with Status 400.  A CGI/1.1 program (RFC 3875); POSIX sh and awk.

LC_ALL=C
export LC_ALL

case ${REQUEST_METHOD:-GET} in
GET | HEAD) ;;
*)
	printf 'Status: 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n'
	printf 'Content-Type: application/json\r\n\r\n'
	printf '{"error": "method not allowed: use GET"}\n'
	exit 0
	;;
esac

exec awk -v q="${QUERY_STRING-}" '
function hex(c) {
	return c == "" ? -1 : index("0123456789abcdef", tolower(c)) - 1
}

# RFC 3986 2.1 and HTML form encoding: %XX, and "+" for a space when plus
# is set; %00 is dropped
function decode(s, plus,   out, i, h, l) {
	if (plus)
		gsub(/\+/, " ", s)
	out = ""
	while ((i = index(s, "%")) > 0) {
		out = out substr(s, 1, i - 1)
		h = hex(substr(s, i + 1, 1))
		l = hex(substr(s, i + 2, 1))
		if (h >= 0 && l >= 0) {
			if (h * 16 + l > 0)
				out = out sprintf("%c", h * 16 + l)
			s = substr(s, i + 3)
		} else {
			out = out "%"
			s = substr(s, i + 1)
		}
	}
	return out s
}

# the length of the valid UTF-8 sequence at s[i], or 0 (RFC 3629 4)
function utf8(s, i,   b, n, k, c, lo, hi) {
	b = ord[substr(s, i, 1)]
	if (b < 128)
		return 1
	lo = 128; hi = 191
	if (b >= 194 && b <= 223) n = 2
	else if (b >= 224 && b <= 239) {
		n = 3
		if (b == 224) lo = 160
		if (b == 237) hi = 159
	} else if (b >= 240 && b <= 244) {
		n = 4
		if (b == 240) lo = 144
		if (b == 244) hi = 143
	} else
		return 0
	for (k = 1; k < n; k++) {
		c = ord[substr(s, i + k, 1)]
		if (c < lo || c > hi)
			return 0
		lo = 128; hi = 191
	}
	return n
}

# a JSON string (RFC 8259 7); invalid UTF-8 becomes U+FFFD
function json(s,   out, i, c, n) {
	out = ""
	for (i = 1; i <= length(s); i += n) {
		c = substr(s, i, 1)
		n = utf8(s, i)
		if (n == 0) {
			out = out "\\ufffd"
			n = 1
		} else if (n > 1)
			out = out substr(s, i, n)
		else if (c == "\"" || c == "\\")
			out = out "\\" c
		else if (ord[c] < 32 || ord[c] == 127)
			out = out sprintf("\\u%04x", ord[c])
		else
			out = out c
	}
	return "\"" out "\""
}

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

# decimal notation only: this also keeps out nan, inf and 0x1f
function number(s) {
	return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/
}

function fail(msg) {
	printf "Status: 400 Bad Request\r\n"
	printf "Content-Type: application/json\r\n\r\n"
	printf "{\"error\": %s}\n", json(msg)
	failed = 1
	exit 0
}

# a JSON number with at most 15 significant digits, integers without ".0"
function num(x) {
	return sprintf("%.15g", x)
}

BEGIN {
	for (i = 1; i < 256; i++)
		ord[sprintf("%c", i)] = i
	n = 0
	k = split(q, parts, "&")
	for (i = 1; i <= k; i++) {
		if (parts[i] == "")
			continue
		eq = index(parts[i], "=")
		if (eq > 0) {
			name = decode(substr(parts[i], 1, eq - 1), 1)
			raw = substr(parts[i], eq + 1)
		} else {
			name = decode(parts[i], 1)
			raw = ""
		}
		val = trim(decode(raw, 1))
		# "1e+3" typed into a URL: the "+" is a sign, not a space
		if (!number(val) && number(trim(decode(raw, 0))))
			val = trim(decode(raw, 0))
		if (!number(val))
			fail("operand \047" name "\047 is not a number: " val)
		x = val + 0
		if (x > 1.7976931348623157e308 || x < -1.7976931348623157e308)
			fail("operand \047" name "\047 is out of range: " val)
		op[++n] = x
	}
	if (n == 0)
		fail("no operands: give numbers as query parameters, as in /product?a=12&b=60")
	r = 1
	list = ""
	for (i = 1; i <= n; i++) {
		r *= op[i]
		if (r > 1.7976931348623157e308 || r < -1.7976931348623157e308)
			fail("the product is out of range")
		list = list (i > 1 ? ", " : "") num(op[i])
	}
	printf "Content-Type: application/json\r\n\r\n"
	printf "{\"operation\": \"product\", \"operands\": [%s], \"result\": %s}\n", list, num(r)
}'
