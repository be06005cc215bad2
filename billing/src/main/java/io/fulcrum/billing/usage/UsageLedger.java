package io.fulcrum.billing.usage;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Append-only store of {@link UsageRecord}s. {@link #append} never blocks the caller and never fails it: records
 * are written off the request path, and the write is idempotent on {@code (requestId, attempt)}.
 */
public interface UsageLedger {

	/** Queues a record for writing; returns at once. */
	void append(UsageRecord record);

	/** Completes when every record appended before this call has been written. */
	Mono<Void> flush();

	/** The written records of one request, by attempt. */
	Flux<UsageRecord> findByRequestId(String requestId);

}
