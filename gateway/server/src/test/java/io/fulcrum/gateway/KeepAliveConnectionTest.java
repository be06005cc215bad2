package io.fulcrum.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.fulcrum.simulator.ModelProfile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One HTTP/1.1 keep-alive connection carrying several requests, as clients with connection pools send them. A
 * request that arrives while the previous one is still finishing on the server (here: two pipelined in one write, the
 * first slower than the second) used to leave the connection unread, so the client's next request on it hung until
 * the client gave up (Reactor Netty before 1.3.8, reactor/reactor-netty#4361).
 */
class KeepAliveConnectionTest extends RunningGatewayTest {

	@Test
	void aConnectionKeepsServingAfterARequestThatArrivedWhileThePreviousWasFinishing() throws IOException {
		this.simulator.control().setProfile("primary-model", ModelProfile.DEFAULT.withTtftMs(50));
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write((chat() + models()).getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
			assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
			for (int i = 0; i < 3; i++) {
				out.write(models().getBytes(StandardCharsets.US_ASCII));
				out.flush();
				assertThat(readResponse(in)).as("request %d after the pipelined pair", i + 1).startsWith("HTTP/1.1 200");
			}
		}
	}

	private static String chat() {
		String body = "{\"model\":\"primary-only\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
	}

	private static String models() {
		return "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY + "\r\n\r\n";
	}

	/** Reads one response (status line, headers, and a body framed by Content-Length or chunked encoding). */
	private static String readResponse(InputStream in) throws IOException {
		String head = readUntil(in, "\r\n\r\n");
		String lower = head.toLowerCase(Locale.ROOT);
		int length = lower.indexOf("content-length:");
		if (length >= 0) {
			int end = lower.indexOf("\r\n", length);
			int size = Integer.parseInt(head.substring(length + "content-length:".length(), end).trim());
			in.readNBytes(size);
		}
		else if (lower.contains("transfer-encoding: chunked")) {
			while (true) {
				int size = Integer.parseInt(readUntil(in, "\r\n").trim(), 16);
				in.readNBytes(size + 2);
				if (size == 0) {
					break;
				}
			}
		}
		return head;
	}

	private static String readUntil(InputStream in, String terminator) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		while (!read.toString(StandardCharsets.US_ASCII).endsWith(terminator)) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("connection closed after: " + read.toString(StandardCharsets.US_ASCII));
			}
			read.write(next);
		}
		return read.toString(StandardCharsets.US_ASCII);
	}

}
