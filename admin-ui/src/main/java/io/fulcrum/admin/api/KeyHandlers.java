package io.fulcrum.admin.api;

import io.fulcrum.billing.account.AccountStore;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code /admin/api/tenants/{id}/keys} and {@code /admin/api/keys/{id}}: issue, list and revoke app keys. */
final class KeyHandlers {

	private final AccountStore accounts;

	private final AccountsChanged changed;

	KeyHandlers(AccountStore accounts, AccountsChanged changed) {
		this.accounts = accounts;
		this.changed = changed;
	}

	/** The only answer that ever carries a secret. */
	Mono<ServerResponse> issue(ServerRequest request) {
		String tenantId = request.pathVariable("id");
		return RequestBodies.createKey(request)
			.flatMap((body) -> this.accounts.createKey(tenantId, body.name(), body.models(), null)
				.switchIfEmpty(Mono.error(() -> ApiProblem
					.notFound("No active tenant with id '" + tenantId + "'; revoked tenants get no new keys"))))
			.doOnNext((issued) -> this.changed.signal())
			.flatMap((issued) -> JsonResponses.json(HttpStatus.CREATED, AccountViews.issued(issued)));
	}

	Mono<ServerResponse> list(ServerRequest request) {
		String tenantId = request.pathVariable("id");
		return this.accounts.findTenant(tenantId)
			.switchIfEmpty(Mono.error(() -> TenantHandlers.noSuchTenant(tenantId)))
			.flatMap((tenant) -> this.accounts.listKeys(tenant.id()).map(AccountViews::key).collectList())
			.flatMap((keys) -> JsonResponses.json(HttpStatus.OK, Lists.data(keys)));
	}

	Mono<ServerResponse> revoke(ServerRequest request) {
		String keyId = request.pathVariable("id");
		return this.accounts.revokeKey(keyId).flatMap((revoked) -> {
			if (!revoked) {
				return Mono.error(ApiProblem.notFound("No key with id '" + keyId + "'"));
			}
			this.changed.signal();
			return ServerResponse.noContent().build();
		});
	}

}
