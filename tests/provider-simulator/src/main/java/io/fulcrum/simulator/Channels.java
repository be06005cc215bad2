package io.fulcrum.simulator;

import io.netty.channel.Channel;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Reaches the Netty channel behind a Reactor Netty response, for its event loop and to cut it.
 */
final class Channels {

	private Channels() {
	}

	static Channel of(HttpServerResponse response) {
		Channel[] channel = new Channel[1];
		// withConnection calls back at once on a server response: the connection is already there.
		response.withConnection((connection) -> channel[0] = connection.channel());
		if (channel[0] == null) {
			throw new IllegalStateException("response has no connection");
		}
		return channel[0];
	}

	static EventLoopTimer timer(HttpServerResponse response) {
		return new EventLoopTimer(of(response));
	}

}
