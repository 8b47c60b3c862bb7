#!/usr/bin/env bats
# clients.bats: real clients through a socket.

load helper

@test "curl fetches a file through a real socket" {
	skip "no acceptor yet (tcpwrap comes later): httpd1 alone cannot listen on a socket"
}
